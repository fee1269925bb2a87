"""A person custody arrested who matches the participant (checkpoint/services/rearrest.py):
the navigator confirms it, which records the new offence on the case, or dismisses it as
another person, with why."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse

from checkpoint import services
from checkpoint.models import MatchStatus
from checkpoint.permissions import Permission
from checkpoint.selectors import compliance as compliance_selectors
from navigators.forms import compliance as forms
from navigators.views.supervision import ManageCaseFormView
from web.next_steps import NextStep, NextStepMixin


class RearrestView(NextStepMixin, ManageCaseFormView):
    needs = Permission.CONFIRM_REARREST
    form_class = forms.RearrestDecisionForm
    template_name = "navigators/rearrest.html"
    title = "Is this your participant?"
    submit_label = "Save"

    def get_case(self):
        case = super().get_case()
        self.match = compliance_selectors.rearrest_get_for(
            self.request.user, case, self.kwargs["pk"]
        )
        return case

    def get(self, request, *args, **kwargs):
        if self.match.status != MatchStatus.PENDING:
            status = self.match.get_status_display().lower()
            messages.info(request, f"This re-arrest is already decided: {status}.")
            return redirect(self.case_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        arrest = self.match.new_case.arrest
        return {
            **super().get_context_data(**kwargs),
            "match": self.match,
            "arrested": self.match.new_case.person,
            "arrest": arrest,
            "offences": list(arrest.offences.all()),
        }

    def perform(self, form) -> None:
        data, reference = form.cleaned_data, self.match.new_case.reference
        if data["same_person"] == form.YES:
            services.rearrest_confirm(
                match_id=self.match.pk, by=self.actor, description=data["description"]
            )
            self.success_message = f"New offence recorded on this case (custody case {reference})"
            self.next_step = NextStep(
                "The Offending condition is no longer met. Decide whether to refer the case "
                "to a supervisor for a breach review.",
                "Refer for breach review",
                reverse("navigators:breach-refer", args=[self.case.reference]),
            )
        else:
            services.rearrest_dismiss(match_id=self.match.pk, by=self.actor, reason=data["reason"])
            self.success_message = f"Custody case {reference} dismissed: not the same person"


urlpatterns = [
    path("cases/<str:reference>/rearrests/<int:pk>/", RearrestView.as_view(), name="rearrest"),
]
