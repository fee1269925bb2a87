"""My caseload and the case page."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from checkpoint import dates, selectors
from checkpoint.models import CaseState
from checkpoint.selectors import team as team_selectors
from web.forms import GovUKForm
from web.pagination import paginate
from web.views import CaseMixin

from .actions import appointment_outcome_url, case_actions, case_url

PAGE_SIZE = 25


class CaseloadFilterForm(GovUKForm):
    STATE_CHOICES = (
        [("", "All open cases")]
        + [(s.value, s.label) for s in selectors.CASELOAD_STATES]
        + [(s.value, s.label) for s in CaseState if s not in selectors.CASELOAD_STATES]
    )

    q = forms.CharField(label="Search by name or reference", required=False, max_length=100)
    state = forms.ChoiceField(label="State", choices=STATE_CHOICES, required=False)


class CaseloadView(LoginRequiredMixin, TemplateView):
    template_name = "navigators/caseload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = CaseloadFilterForm(self.request.GET or None)
        state = search = ""
        if form.is_valid():
            state, search = form.cleaned_data["state"], form.cleaned_data["q"]
        now = timezone.now()
        cases = selectors.caseload_for(
            self.request.user, now=now, states=[state] if state else None, search=search
        )
        paged = paginate(self.request, cases, PAGE_SIZE)
        today = dates.local_date(now)
        context.update(
            paged,
            form=form,
            rows=[_row(case, today) for case in paged["page"].object_list],
            filtered=bool(state or search),
        )
        return context


def _row(case, today):
    contract = getattr(case, "contract", None)
    day = None
    if contract is not None and contract.starts_on:
        day = dates.contract_day(contract.starts_on, contract.ends_on, today)
    return {"case": case, "day": day, "deadline": case.deadline_status(today)}


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
        context.update(
            verify_url=case_url("hours-new", case),
            actions=case_actions(case, self.request.user),
            referrals=case.referral_list,
            timeline=selectors.case_timeline(case),
            progress=selectors.contract_progress(case, today),
            deadline=case.deadline_status(today),
            age=case.person.age_on(today),
            now=timezone.now(),
        )
        return context
