"""The reports' filter form (GET): arrest date range, team, and the reference group."""

from __future__ import annotations

from django import forms

from web.forms import GovUKDateField, GovUKForm

from .selectors import ReportFilters


class ReportFilterForm(GovUKForm):
    start = GovUKDateField(
        what="the start date",
        label="Arrested from",
        required=False,
        help_text="For example, 1 4 2025",
    )
    end = GovUKDateField(
        what="the end date",
        label="Arrested up to",
        required=False,
        help_text="For example, 31 3 2026",
    )
    team = forms.TypedChoiceField(
        label="Team",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Select a team from the list"},
    )

    def __init__(self, *args, teams=(), groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams"), *((str(pk), n) for pk, n in teams)]
        if groups:
            self.fields["reference"] = forms.ChoiceField(
                label="Compare each group with",
                required=False,
                choices=[("", "The largest group"), *groups],
                help_text="The reference group for the rate ratios",
                error_messages={"invalid_choice": "Select a reference group from the list"},
            )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data

    def filters(self) -> ReportFilters:
        """The filters entered (call after a successful ``is_valid()``, or for an empty form)."""
        data = self.cleaned_data if self.is_bound else {}
        return ReportFilters(
            start=data.get("start"), end=data.get("end"), team_id=data.get("team") or None
        )

    def reference(self) -> str:
        return (self.cleaned_data.get("reference") or "") if self.is_bound else ""
