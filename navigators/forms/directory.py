"""The service directory's search and filter form (a GET form)."""

from __future__ import annotations

from django import forms

from web.forms import GovUKForm


class DirectoryFilterForm(GovUKForm):
    q = forms.CharField(
        label="Search by name or description",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search must be 100 characters or fewer"},
    )
    pathway = forms.ChoiceField(
        label="Pathway",
        required=False,
        error_messages={"invalid_choice": "Select a pathway from the list"},
    )
    women_only = forms.BooleanField(label="Women-only provision", required=False)
    veteran_specific = forms.BooleanField(label="Veteran-specific provision", required=False)

    def __init__(self, *args, pathways=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pathway"].choices = [("", "All pathways")] + [
            (p.code, p.name) for p in pathways
        ]

    def filters(self) -> dict:
        """The valid filters (an invalid one is dropped and shown as an error)."""
        data = self.cleaned_data if self.is_bound else {}
        return {
            "search": data.get("q", ""),
            "pathway": data.get("pathway", ""),
            "women_only": bool(data.get("women_only")),
            "veteran_specific": bool(data.get("veteran_specific")),
        }
