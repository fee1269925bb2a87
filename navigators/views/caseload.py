"""My caseload and the case page."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from checkpoint import dates, permissions, selectors
from checkpoint.models import CaseState
from checkpoint.permissions import Permission
from checkpoint.selectors import team as team_selectors
from checkpoint.text import format_hours, long_date
from web.forms import GovUKForm
from web.pagination import paginate
from web.search import CaseSearchField
from web.views import CaseMixin

from .actions import appointment_outcome_url, case_actions, case_url, group_actions

PAGE_SIZE = 25


class CaseloadFilterForm(GovUKForm):
    STATE_CHOICES = (
        [("", "All open cases")]
        + [(s.value, s.label) for s in selectors.CASELOAD_STATES]
        + [(s.value, s.label) for s in CaseState if s not in selectors.CASELOAD_STATES]
    )

    q = CaseSearchField()
    state = forms.ChoiceField(label="State", choices=STATE_CHOICES, required=False)


class CaseloadView(LoginRequiredMixin, TemplateView):
    template_name = "navigators/caseload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = CaseloadFilterForm(self.request.GET or None)
        state, search = "", None
        if form.is_valid():
            state, search = form.cleaned_data["state"], form.cleaned_data["q"]
        now = timezone.now()
        cases = selectors.caseload_for(
            self.request.user, now=now, states=[state] if state else None, search=search or ""
        )
        if form.errors:  # a search that could not be read finds nothing (the error says why)
            cases = cases.none()
        paged = paginate(self.request, cases, PAGE_SIZE)
        today = dates.local_date(now)
        context.update(
            paged,
            form=form,
            rows=[_row(case, today) for case in paged["page"].object_list],
            filtered=bool(state or (search and not search.empty) or form.errors),
        )
        return context


def _row(case, today):
    contract = getattr(case, "contract", None)
    day = None
    if contract is not None and contract.starts_on:
        day = dates.contract_day(contract.starts_on, contract.ends_on, today)
    return {
        "case": case,
        "day": day,
        "deadline": case.deadline_status(today),
        "needs": _needs(case),
    }


def _needs(case) -> list[str]:
    """What the case needs today, most pressing first (the reasons behind its place in the
    list, ``selectors.NEEDS_ACTION``): every one that applies, not only the first."""
    if case.state not in selectors.CASELOAD_STATES:
        return []
    reasons = []
    if case.urgency == 0:
        reasons.append(selectors.NEEDS_ACTION[0])
    if case.state == CaseState.ACCEPTED:
        reasons.append(selectors.NEEDS_ACTION[1])
    if case.outcomes_due:
        reasons.append(selectors.NEEDS_ACTION[2])
    if case.open_events:
        reasons.append(selectors.NEEDS_ACTION[3])
    if case.hours_self_reported:
        reasons.append(selectors.NEEDS_ACTION[4])
    if case.state in selectors.REVIEW_STATES:
        reasons.append("Awaiting review")
    return reasons


class CaseDetailView(CaseMixin, TemplateView):
    template_name = "navigators/case_detail.html"

    def get_case(self):
        return selectors.case_detail_for(self.request.user, self.kwargs["reference"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.case
        today = timezone.localdate()
        for appointment in case.appointment_list:
            appointment.outcome_url = appointment_outcome_url(case, appointment)
        team_selectors.count_attendance(case)
        actions = case_actions(case, self.request.user)
        context.update(
            verify_url=case_url("hours-new", case),
            actions=actions,
            next_step=actions[0] if actions else None,
            action_groups=group_actions(actions[1:]),
            due_first=_due_first(case, self.request.user, timezone.now()),
            referrals=case.referral_list,
            timeline=selectors.case_timeline(case),
            progress=selectors.contract_progress(case, today),
            deadline=case.deadline_status(today),
            age=case.person.age_on(today),
            now=timezone.now(),
        )
        return context


def _due_first(case, user, now) -> list[dict]:
    """What is overdue on the case, to do before its next step: outcomes of appointments that
    have started, hours waiting to be verified (from the lists ``case_detail_for`` loaded)."""
    if not permissions.allows(user, Permission.SUPERVISE_CONTRACT):
        return []
    due = [
        {
            "text": f"Record the outcome of the {a.get_kind_display().lower()} on "
            f"{long_date(dates.local_date(a.starts_at))}",
            "href": appointment_outcome_url(case, a),
        }
        for a in case.appointment_list
        if not a.outcome and a.cancelled_at is None and a.starts_at < now
    ]
    due += [
        {
            "text": f"Verify the {format_hours(h.hours)} hours of {h.activity} on "
            f"{long_date(h.worked_on)}",
            "href": reverse("navigators:hours-verify", args=[case.reference, h.pk]),
        }
        for h in getattr(case, "hours_list", [])
        if h.verified_at is None and not h.is_withdrawn
    ]
    return due
