"""The needs assessment: a need level and notes for each pathway, and the services the
directory suggests for the needs found."""

from __future__ import annotations

from functools import cached_property

from django.urls import path, reverse

from checkpoint.models import CaseState
from checkpoint.permissions import Permission
from checkpoint.selectors.needs import needs_summary_for, pathway_list
from checkpoint.services.needs import NEEDS_STATES, needs_assessment_record
from navigators.forms.needs import NeedsForm
from navigators.views.contract import ManageMixin
from web.views import CaseServiceFormView


class NeedsView(ManageMixin, CaseServiceFormView):
    """GET shows the latest assessment, its suggestions and the form to record a new one."""

    form_class = NeedsForm
    template_name = "navigators/needs_assessment.html"
    title = "Needs assessment"
    submit_label = "Save needs assessment"
    success_message = "Needs assessment saved"
    case_related = ("contract",)
    needs = Permission.ASSESS_NEEDS

    @cached_property
    def summary(self):
        return needs_summary_for(self.request.user, self.case)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "pathways": pathway_list()}

    def get_initial(self):
        return {**super().get_initial(), **NeedsForm.initial_from(self.summary.assessment)}

    def get_success_url(self) -> str:
        return reverse("navigators:needs", args=[self.case.reference])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.case
        can_refer = case.state == CaseState.ACCEPTED and getattr(case, "contract", None)
        context.update(
            summary=self.summary,
            can_record=case.state in NEEDS_STATES,
            referral_url=(
                reverse("navigators:contract-referral", args=[case.reference])
                if can_refer
                else None
            ),
            back_url=self.case_url(),
        )
        return context

    def perform(self, form) -> None:
        needs_assessment_record(case_id=self.case.pk, by=self.actor, items=form.items())


urlpatterns = [
    path("cases/<str:reference>/needs/", NeedsView.as_view(), name="needs"),
]
