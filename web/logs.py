"""The administrator's search of the audit logs: consultations, disclosures and changes, by
person (name or case reference), by user and by date range, paginated (DPA 2018 s.62: logs of
consultation and disclosure)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from checkpoint.selectors.audit import LOG_KINDS, log_search_for, require_administrator

from .forms import GovUKDateField, GovUKForm, GovUKRadioSelect
from .pagination import paginate

PAGE_SIZE = 50


class LogSearchForm(GovUKForm):
    kind = forms.ChoiceField(
        label="Log",
        choices=list(LOG_KINDS.items()),
        initial="access",
        widget=GovUKRadioSelect(inline=True),
        error_messages={"invalid_choice": "Select a log", "required": "Select a log"},
    )
    person = forms.CharField(
        label="Person",
        required=False,
        max_length=100,
        help_text="A name, or a case reference like CP-6MZD-1X7T",
    )
    username = forms.CharField(label="User (username)", required=False, max_length=150)
    start = GovUKDateField(what="the start date", label="From", required=False)
    end = GovUKDateField(what="the end date", label="To", required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data


class LogSearchView(LoginRequiredMixin, TemplateView):
    template_name = "audit/logs.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_administrator(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = LogSearchForm(self.request.GET or {"kind": "access"})
        context.update(form=form, page=None, kind="")
        if form.is_valid():
            rows = log_search_for(self.request.user, **form.cleaned_data)
            context.update(paginate(self.request, rows, PAGE_SIZE), kind=form.cleaned_data["kind"])
        return context
