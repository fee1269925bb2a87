"""The needs assessment form: a need level and notes for each pathway."""

from __future__ import annotations

from django import forms

from checkpoint.models import NeedLevel
from checkpoint.services.needs import NeedInput
from web.forms import GovUKForm, GovUKRadioSelect


class NeedsForm(GovUKForm):
    """One ``level_<code>`` radio group and one ``notes_<code>`` box per pathway.

    A pathway left without a level is not part of this assessment; at least one needs a level.
    """

    def __init__(self, *args, pathways, **kwargs):
        super().__init__(*args, **kwargs)
        self.pathways = list(pathways)
        for pathway in self.pathways:
            self.fields[f"level_{pathway.code}"] = forms.ChoiceField(
                label=pathway.name,
                choices=NeedLevel.choices,
                required=False,
                widget=GovUKRadioSelect(inline=True),
                error_messages={"invalid_choice": f"Select a need level for {pathway.name}"},
            )
            self.fields[f"notes_{pathway.code}"] = forms.CharField(
                label=f"Notes on {pathway.name[0].lower()}{pathway.name[1:]} (optional)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": "Notes must be 2,000 characters or fewer"},
            )

    @property
    def rows(self):
        """(pathway, level field, notes field) for the template, in display order."""
        return [(p, self[f"level_{p.code}"], self[f"notes_{p.code}"]) for p in self.pathways]

    def clean(self):
        cleaned = super().clean()
        chosen = 0
        for pathway in self.pathways:
            level = cleaned.get(f"level_{pathway.code}")
            chosen += bool(level)
            if not level and cleaned.get(f"notes_{pathway.code}", "").strip():
                self.add_error(
                    f"level_{pathway.code}",
                    f"Select a need level for {pathway.name}, or remove its notes",
                )
        if not chosen and self.pathways and not self.errors:
            self.add_error(
                f"level_{self.pathways[0].code}",
                "Select a need level for at least one pathway",
            )
        return cleaned

    def items(self) -> list[NeedInput]:
        return [
            NeedInput(
                pathway_id=p.pk,
                level=self.cleaned_data[f"level_{p.code}"],
                notes=self.cleaned_data[f"notes_{p.code}"],
            )
            for p in self.pathways
            if self.cleaned_data.get(f"level_{p.code}")
        ]

    @staticmethod
    def initial_from(assessment) -> dict:
        """Start from the latest assessment, so the navigator updates rather than retypes."""
        if assessment is None:
            return {}
        initial = {}
        for item in assessment.item_list:
            initial[f"level_{item.pathway.code}"] = item.level
            initial[f"notes_{item.pathway.code}"] = item.notes
        return initial
