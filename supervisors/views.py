"""Supervisor screens: the team dashboard and the decisions that end or change a contract.

Each case screen loads the case through a user-scoped selector (404 when out of the user's
reach), refuses a role that may not take supervisor decisions (403 with the reason), logs the
consultation, and calls one service. The printable outcome letter and prosecution file are
disclosures: they open only after the user has said who they are for and why, which is logged
(DPA 2018 s.62), and each opening is logged like any consultation, with the page named.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView

from checkpoint import conditions, roles, selectors, services
from checkpoint.models import BreachDecisionKind, CaseState, DisclosureKind
from checkpoint.permissions import Permission
from checkpoint.selectors import compliance as compliance_selectors
from checkpoint.selectors import documents as document_selectors
from checkpoint.selectors import team as team_selectors
from checkpoint.text import long_date
from web.disclosure import DisclosureGateMixin
from web.documents import DocumentView
from web.next_steps import NextStep, NextStepMixin
from web.pagination import paginate
from web.views import CaseMixin, CaseServiceFormView

from . import forms

PAGE_SIZE = 50
ENDED_FOR_PROSECUTION = (CaseState.DECLINED, CaseState.WITHDRAWN, CaseState.TERMINATED)


class SupervisorOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(roles.SUPERVISE):
            raise PermissionDenied("Only a supervisor can use the team screens.")
        return super().dispatch(request, *args, **kwargs)


class DashboardView(SupervisorOnlyMixin, TemplateView):
    template_name = "supervisors/dashboard.html"

    def get_context_data(self, **kwargs):
        board = team_selectors.team_dashboard_for(self.request.user, now=timezone.now())
        rearrests = compliance_selectors.team_rearrests_pending_for(self.request.user)
        return {**super().get_context_data(**kwargs), "board": board, "rearrests": rearrests}


class TeamCasesView(SupervisorOnlyMixin, TemplateView):
    template_name = "supervisors/team_cases.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = forms.TeamCasesFilterForm(
            self.request.GET or None, navigators=team_selectors.team_navigators_for(user)
        )
        state, navigator_id, search = "", None, ""
        if form.is_valid():
            state, navigator_id = form.cleaned_data["state"], form.cleaned_data["navigator"]
            search = form.cleaned_data["q"]
        cases = team_selectors.team_case_list_for(
            user, state=state, navigator_id=navigator_id, search=search
        )
        if form.errors:  # a filter or search that could not be read finds nothing
            cases = cases.none()
        paged = paginate(self.request, cases, PAGE_SIZE)
        today = timezone.localdate()
        for case in paged["page"].object_list:
            case.deadline = case.deadline_status(today)
        return {
            **super().get_context_data(**kwargs),
            **paged,
            "form": form,
            "filtered": bool(state or navigator_id or (search and not search.empty) or form.errors),
        }


class SupervisorCaseFormView(CaseServiceFormView):
    """A decision form on one case, shown beside everything the decision rests on."""

    needs = Permission.DECIDE_BREACH
    expected_states: tuple[str, ...] = ()

    def get_case(self):
        return selectors.case_detail_for(self.request.user, self.kwargs["reference"])

    def get(self, request, *args, **kwargs):
        if self.case.state not in self.expected_states:
            messages.info(
                request, f"This case is '{self.case.get_state_display()}': {self.not_due_message}"
            )
            return redirect(self.case_url())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            # Only the participant's own conduct: the tasks for staff are not a breach.
            timeline=selectors.case_timeline(self.case, staff_tasks=False),
            deadline=self.case.deadline_status(timezone.localdate()),
            conditions=selectors.condition_statuses(self.case),
        )
        return context


class BreachReviewView(NextStepMixin, SupervisorCaseFormView):
    template_name = "supervisors/breach_review.html"
    form_class = forms.BreachDecisionForm
    title = "Decide on the breach"
    submit_label = "Save the decision"
    expected_states = (CaseState.BREACH_REVIEW,)
    not_due_message = "there is no breach awaiting a decision."

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "max_extension_days": self.case.scheme_version.max_extension_days,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reviews = list(self.case.breach_reviews.select_related("referred_by", "decided_by"))
        now = timezone.now()
        appointments = [a for a in self.case.appointment_list if not a.cancelled_at]
        context.update(
            open_review=next((r for r in reviews if not r.decision), None),
            past_reviews=[r for r in reviews if r.decision],
            # A future appointment has no outcome yet: it is listed as booked, never as
            # "no outcome recorded".
            past_appointments=[a for a in appointments if a.starts_at <= now],
            future_appointments=sorted(
                (a for a in appointments if a.starts_at > now), key=lambda a: a.starts_at
            ),
        )
        return context

    def perform(self, form) -> None:
        data = form.cleaned_data
        review = services.breach_decide(
            case_id=self.case.pk,
            by=self.actor,
            decision=data["decision"],
            reasons=data["reasons"],
            extra_hours=data.get("extra_hours"),
            extend_days=data.get("extend_days"),
        )
        self.success_message = f"Decision saved: {review.get_decision_display().lower()}"
        self.decision = review.decision
        self.next_step = _after_breach_decision(self.case, review.decision)

    def get_success_url(self) -> str:
        if getattr(self, "decision", "") == "terminate":
            return reverse("supervisors:prosecution-refer", args=[self.case.reference])
        return self.case_url()


def _after_breach_decision(case, decision: str) -> NextStep:
    if decision == BreachDecisionKind.TERMINATE:
        deadline = (
            f" before the time limit on {long_date(case.prosecution_deadline)}"
            if case.prosecution_deadline
            else ""
        )
        return NextStep(
            f"The contract has ended. Refer the case for prosecution on this page{deadline}."
        )
    return NextStep(
        "The contract continues"
        + (" as varied" if decision == BreachDecisionKind.VARY else "")
        + ". The navigator has been told by email and carries on supervising it.",
        "Back to the team dashboard",
        reverse("supervisors:dashboard"),
    )


class CompletionReviewView(SupervisorCaseFormView):
    needs = Permission.SIGN_OFF
    template_name = "supervisors/completion_review.html"
    form_class = forms.CompletionDecisionForm
    title = "Completion review"
    submit_label = "Save the decision"
    expected_states = (CaseState.COMPLETION_REVIEW,)
    not_due_message = "it is not awaiting completion review."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = getattr(self.case, "contract", None)
        context["blockers"] = conditions.unmet(context["conditions"]) if contract else []
        return context

    def perform(self, form) -> None:
        data = form.cleaned_data
        if data["decision"] == form.SIGN_OFF:
            services.completion_sign_off(case_id=self.case.pk, by=self.actor, reason=data["notes"])
            self.success_message = "Signed off: the person exits without conviction"
            self.next_url = reverse("supervisors:outcome-letter", args=[self.case.reference])
        else:
            services.completion_terminate(
                case_id=self.case.pk, by=self.actor, reasons=data["reasons"]
            )
            self.success_message = "Contract terminated: refer the case for prosecution"
            self.next_url = reverse("supervisors:prosecution-refer", args=[self.case.reference])

    def get_success_url(self) -> str:
        return getattr(self, "next_url", None) or self.case_url()


class ProsecutionReferView(SupervisorCaseFormView):
    needs = Permission.REFER_FOR_PROSECUTION
    template_name = "supervisors/prosecution_refer.html"
    form_class = forms.ProsecutionReferForm
    title = "Refer for prosecution"
    submit_label = "Refer for prosecution"
    success_message = "Referred for prosecution: the file is ready for the prosecutor"
    expected_states = ENDED_FOR_PROSECUTION
    not_due_message = "it cannot be referred for prosecution now."

    def perform(self, form) -> None:
        services.prosecution_refer(
            case_id=self.case.pk, by=self.actor, reason=form.cleaned_data["reason"]
        )
        self.next_url = reverse("supervisors:prosecution-file", args=[self.case.reference])

    def get_success_url(self) -> str:
        return getattr(self, "next_url", None) or self.case_url()


class PrintableCaseView(DisclosureGateMixin, CaseMixin, TemplateView):
    """A document for printing, for navigators and supervisors of the case.

    Printing is a disclosure (DPA 2018 s.62): the document opens only after the user has said
    who it is for and why, which is logged (``DisclosureGateMixin``).
    """

    needs = Permission.DISCLOSE_CASE_DOCUMENT
    expected_states: tuple[str, ...] = ()
    document: str  # the document's name, set by each kind of printable document

    def get_case(self):
        return selectors.case_detail_for(self.request.user, self.kwargs["reference"])

    def disclosure_what(self) -> str:
        return self.document

    def disclosure_case(self):
        return self.case

    def disclosure_back_url(self) -> str:
        return self.case_url()

    def get(self, request, *args, **kwargs):
        if self.case.state not in self.expected_states:
            messages.info(request, f"There is no {self.document} for this case yet.")
            return redirect(self.case_url())
        if not self.disclosure_allowed():
            return self.disclosure_form_response()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.case.state not in self.expected_states:
            return redirect(self.case_url())
        return self.disclosure_post()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            deadline=self.case.deadline_status(timezone.localdate()),
            outcome=getattr(self.case, "outcome", None),
            timeline=selectors.case_timeline(self.case, staff_tasks=False),
            conditions=selectors.condition_statuses(self.case),
            today=timezone.localdate(),
        )
        return context


class OutcomeLetterView(DocumentView):
    """The letter telling the participant their case ended without conviction (the shared
    letter template, in their language; printable and downloadable as a PDF)."""

    document_name = "outcome_letter"
    document = "outcome letter"
    disclosure_kind = DisclosureKind.OUTCOME_LETTER
    disclosure_hints = {
        "justification": "The purpose, for example 'to tell the participant their case is "
        "closed without prosecution'"
    }
    disclosure_title = "Before you print the outcome letter"

    def get_case(self):
        return selectors.case_detail_for(self.request.user, self.kwargs["reference"])

    def unavailable(self) -> str | None:
        if self.case.state != CaseState.EXITED_NO_CONVICTION:
            return f"There is no {self.document} for this case yet."
        return None

    def document_context(self) -> dict:
        outcome = getattr(self.case, "outcome", None)
        decided_by = outcome.decided_by if outcome is not None else self.request.user
        return {
            "terms": document_selectors.contract_terms(self.case),
            "conditions": selectors.condition_statuses(self.case),
            "outcome": outcome,
            "letter_date": outcome.decided_on if outcome is not None else timezone.localdate(),
            "signatory": document_selectors.staff_contact(decided_by, self.case, "supervisor"),
        }


class BreachLetterView(DocumentView):
    """The letter telling the participant a supervisor's decision on a breach (the latest,
    or ``?review=<id>``): the contract continues, is varied, or is ended."""

    document_name = "breach_decision_letter"
    document = "breach decision letter"
    disclosure_kind = DisclosureKind.BREACH_LETTER
    disclosure_hints = {
        "justification": "The purpose, for example 'to tell the participant the decision'"
    }
    disclosure_title = "Before you print the breach decision letter"

    @cached_property
    def review(self):
        asked = self.request.GET.get("review", "")
        return document_selectors.breach_decision_for_letter(
            self.case, int(asked) if asked.isdigit() else None
        )

    def unavailable(self) -> str | None:
        if not self.case.breach_reviews.exclude(decision="").exists():
            return "No breach decision has been made on this case."
        return None

    def document_id(self) -> str:
        return f"breach review {self.review.pk}"

    def document_context(self) -> dict:
        review = self.review
        return {
            "review": review,
            "terms": document_selectors.contract_terms(self.case),
            "letter_date": timezone.localdate(review.decided_at),
            "signatory": document_selectors.staff_contact(
                review.decided_by, self.case, "supervisor"
            ),
        }


class ProsecutionFileView(PrintableCaseView):
    template_name = "supervisors/prosecution_file.html"
    document = "prosecution file"
    disclosure_kind = DisclosureKind.PROSECUTION_FILE
    disclosure_hints = {
        "justification": "The purpose, for example 'charging decision before the s.127 deadline'"
    }
    disclosure_title = "Before you open the prosecution file"
    expected_states = (CaseState.PROSECUTION_REFERRED,)


def _case_path(route: str, view, name: str):
    return path(f"cases/<str:reference>/{route}", view.as_view(), name=name)


urlpatterns = [
    path("", DashboardView.as_view(), name="dashboard"),
    path("cases/", TeamCasesView.as_view(), name="team-cases"),
    _case_path("breach/", BreachReviewView, "breach"),
    _case_path("completion/", CompletionReviewView, "completion"),
    _case_path("prosecution/", ProsecutionReferView, "prosecution-refer"),
    _case_path("outcome-letter/", OutcomeLetterView, "outcome-letter"),
    _case_path("breach/letter/", BreachLetterView, "breach-letter"),
    _case_path("prosecution-file/", ProsecutionFileView, "prosecution-file"),
]
