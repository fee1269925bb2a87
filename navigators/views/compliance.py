"""Closing a compliance event: resolve it with an explanation, or withdraw it with a reason.

The other ways an event closes are their own screens: recording an appointment's outcome
closes the "outcome overdue" task for staff, and issuing a warning resolves the events it is
about. Each screen loads the event through a user-scoped selector (404 for another case's) and
calls one service.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse

from checkpoint import services
from checkpoint.models import EventStatus
from checkpoint.permissions import Permission
from checkpoint.selectors import compliance as compliance_selectors
from navigators.forms import compliance as forms
from navigators.views.supervision import ManageCaseFormView


class EventFormView(ManageCaseFormView):
    """A form about one compliance event of the case, while it is open."""

    needs = Permission.RESOLVE_COMPLIANCE
    template_name = "navigators/compliance_close.html"

    def get_case(self):
        case = super().get_case()
        self.event = compliance_selectors.compliance_event_get_for(
            self.request.user, case, self.kwargs["pk"]
        )
        return case

    def get(self, request, *args, **kwargs):
        if self.event.status != EventStatus.OPEN:
            messages.info(
                request,
                f"This compliance event is already {self.event.get_status_display().lower()}.",
            )
            return redirect(self.case_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "event": self.event}

    def get_success_url(self) -> str:
        return f"{self.case_url()}#compliance"


class ComplianceResolveView(EventFormView):
    form_class = forms.ComplianceResolveForm
    title = "Resolve a compliance event"
    submit_label = "Resolve"
    intro = (
        "Resolve it when the participant has explained it and you accept the explanation. "
        "The event is kept on the case, with your explanation."
    )

    def get_context_data(self, **kwargs):
        reference = self.case.reference
        return {
            **super().get_context_data(**kwargs),
            "warning_url": reverse("navigators:warning-new", args=[reference]),
        }

    def perform(self, form) -> None:
        event = services.compliance_event_resolve(
            event_id=self.event.pk, by=self.actor, explanation=form.cleaned_data["explanation"]
        )
        self.success_message = f"{event.get_kind_display()} resolved: explained"


class ComplianceWithdrawView(EventFormView):
    form_class = forms.ComplianceWithdrawForm
    title = "Withdraw a compliance event"
    submit_label = "Withdraw"
    intro = (
        "Withdraw it when it was raised in error. It is kept on the case, shown as withdrawn, "
        "with your reason."
    )

    def perform(self, form) -> None:
        event = services.compliance_event_withdraw(
            event_id=self.event.pk, by=self.actor, reason=form.cleaned_data["reason"]
        )
        self.success_message = f"{event.get_kind_display()} withdrawn"


def _event_path(route: str, view, name: str):
    return path(f"cases/<str:reference>/compliance/<int:pk>/{route}", view.as_view(), name=name)


urlpatterns = [
    _event_path("resolve/", ComplianceResolveView, "compliance-resolve"),
    _event_path("withdraw/", ComplianceWithdrawView, "compliance-withdraw"),
]
