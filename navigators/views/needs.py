"""The needs assessment: a need level and notes for each pathway, and the services the
directory suggests for the needs found."""

from __future__ import annotations

from functools import cached_property

from django.urls import path, reverse

from checkpoint.models import SUPERVISED_STATES, CaseState
from checkpoint.permissions import Permission
from checkpoint.selectors.needs import needs_summary_for, pathway_list
from checkpoint.services.needs import NEEDS_STATES, needs_assessment_record
from navigators.forms.needs import NeedsForm
from navigators.views.contract import ManageMixin
from web.next_steps import NextStep, NextStepMixin
from web.views import CaseServiceFormView


class NeedsView(NextStepMixin, ManageMixin, CaseServiceFormView):
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
        context.update(
            summary=self.summary,
            can_record=case.state in NEEDS_STATES,
            back_url=self.case_url(),
            **self._referral_context(case),
        )
        return context

    def _referral_context(self, case) -> dict:
        """Where a suggested service can be referred to, or why it cannot yet: referrals are
        the contract's Pathway conditions, added while it is being built (before signing)."""
        reference = case.reference
        if case.state in SUPERVISED_STATES:
            cannot = (
                "The contract is signed, so no referral can be added to it now: give the "
                "participant the service's details, and record progress on the contract's "
                "own referrals from the case page."
            )
            return {"referral_url": None, "referral_blocked": cannot, "referral_start": None}
        if case.state != CaseState.ACCEPTED:
            cannot = f"This case is '{case.get_state_display()}': no referral can be made."
            return {"referral_url": None, "referral_blocked": cannot, "referral_start": None}
        if getattr(case, "contract", None) is None:
            return {
                "referral_url": None,
                "referral_blocked": "To refer the participant to a service, start building "
                "the contract first: each referral becomes one of its Pathway conditions.",
                "referral_start": reverse("navigators:contract", args=[reference]),
            }
        return {
            "referral_url": reverse("navigators:contract-referral", args=[reference]),
            "referral_blocked": "",
            "referral_start": None,
        }

    def perform(self, form) -> None:
        needs_assessment_record(case_id=self.case.pk, by=self.actor, items=form.items())
        self.next_step = self._after()

    def _after(self) -> NextStep:
        reference = self.case.reference
        if self.case.state == CaseState.ACCEPTED:
            return NextStep(
                "Build the contract with the participant: the services suggested below can "
                "become its Pathway referrals.",
                "Build the contract",
                reverse("navigators:contract", args=[reference]),
            )
        return NextStep(
            "Go through the suggested services with the participant at their next appointment.",
            "Back to the case",
            reverse("navigators:case", args=[reference]),
        )


urlpatterns = [
    path("cases/<str:reference>/needs/", NeedsView.as_view(), name="needs"),
]
