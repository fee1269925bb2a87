"""The administrator's retention screen: cases past their retention period, and the
confirmation that erases their personal data (one, several or a page at once)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View

from checkpoint.selectors.audit import retention_pending_for
from checkpoint.services import CaseError
from checkpoint.services.retention import retention_erase, retention_rules

from .forms import GovUKCheckboxSelectMultiple, GovUKForm
from .pagination import paginate

PAGE_SIZE = 50


class EraseForm(GovUKForm):
    cases = forms.MultipleChoiceField(
        label="Cases to erase",
        widget=GovUKCheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one case to erase",
            "invalid_choice": "Select cases from the list",
        },
    )
    confirm = forms.BooleanField(
        label="I confirm that the personal data of these cases is to be erased. "
        "This cannot be undone.",
        error_messages={"required": "Confirm that the personal data is to be erased"},
    )

    def __init__(self, *args, reviews=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [
            (
                str(r.case_id),
                f"{r.case.reference}: {r.case.get_state_display()}, closed {r.due_on:%-d %B %Y}",
            )
            for r in reviews
        ]


class RetentionView(LoginRequiredMixin, View):
    template_name = "audit/retention.html"

    def _page(self, request):
        reviews = retention_pending_for(request.user)
        return paginate(request, reviews, PAGE_SIZE)

    def _render(self, request, paged, form):
        context = {**paged, "form": form, "rules": retention_rules()}
        return render(request, self.template_name, context)

    def get(self, request):
        paged = self._page(request)
        return self._render(request, paged, EraseForm(reviews=paged["page"].object_list))

    def post(self, request):
        paged = self._page(request)
        form = EraseForm(request.POST, reviews=paged["page"].object_list)
        if form.is_valid():
            try:
                ids = [int(pk) for pk in form.cleaned_data["cases"]]
                records = retention_erase(case_ids=ids, by=request.user)
            except CaseError as err:
                form.add_service_error(err)
            else:
                messages.success(request, f"Personal data erased from {len(records)} cases")
                return redirect(request.path)
        return self._render(request, paged, form)
