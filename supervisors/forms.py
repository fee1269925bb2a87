"""Forms for the supervisor's decisions. Field names match the services' ``InvalidInput.field``."""

from __future__ import annotations

from django import forms

from checkpoint.models import BreachDecisionKind, CaseState
from checkpoint.text import display_name
from web.forms import ConditionalRadiosMixin, GovUKForm, GovUKRadioSelect
from web.search import CaseSearchField
from web.views import CaseForm

MAX_TEXT = 5000


def _reasons(label: str, required: str, *, name: str = "The reasons") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=bool(required),
        max_length=MAX_TEXT,
        widget=forms.Textarea({"rows": 4}),
        error_messages={
            "required": required,
            "max_length": f"{name} must be {MAX_TEXT:,} characters or fewer",
        },
    )


def _whole_number(label: str, *, what: str, hint: str, low: int, high: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=low,
        max_value=high,
        help_text=hint,
        widget=forms.TextInput({"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": f"{what} must be a whole number, like 6",
            "min_value": f"{what} must be {low} or more",
            "max_value": f"{what} must be {high} or fewer",
        },
    )


class BreachDecisionForm(ConditionalRadiosMixin, CaseForm):
    """Continue, vary (more hours, a later end date) or terminate, always with reasons."""

    radio_field = "decision"
    reveals = {BreachDecisionKind.VARY.value: ("extra_hours", "extend_days")}

    decision = forms.ChoiceField(
        label="What is your decision?",
        choices=BreachDecisionKind.choices,
        widget=GovUKRadioSelect,
        error_messages={
            "required": "Select your decision on the breach",
            "invalid_choice": "Select your decision on the breach",
        },
    )
    extra_hours = _whole_number(
        "Extra community hours (optional)",
        what="Extra hours",
        hint="Added to the hours already required; the total stays within the scheme's range",
        low=1,
        high=36,
    )
    extend_days = _whole_number(
        "Extend the end date by this many days (optional)",
        what="The extension",
        hint="Only if the scheme profile allows it and the prosecution deadline leaves time",
        low=1,
        high=366,
    )
    reasons = _reasons(
        "Reasons for your decision",
        "Enter the reasons for your decision",
    )

    def __init__(self, *args, max_extension_days: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if max_extension_days == 0:
            del self.fields["extend_days"]
            self.reveals = {BreachDecisionKind.VARY.value: ("extra_hours",)}
        else:
            self.fields["extend_days"].help_text = (
                f"At most {max_extension_days} days under this scheme profile, and only if the "
                "prosecution deadline leaves time"
            )


class CompletionDecisionForm(ConditionalRadiosMixin, CaseForm):
    """Sign off (every condition met) or terminate at completion review."""

    SIGN_OFF, TERMINATE = "sign_off", "terminate"

    radio_field = "decision"
    reveals = {TERMINATE: ("reasons",)}

    decision = forms.ChoiceField(
        label="What is your decision?",
        choices=[
            (SIGN_OFF, "Sign off: every condition was met, the person exits without conviction"),
            (TERMINATE, "Terminate: the conditions were not met"),
        ],
        widget=GovUKRadioSelect,
        error_messages={
            "required": "Select sign off or terminate",
            "invalid_choice": "Select sign off or terminate",
        },
    )
    notes = _reasons("Notes for the record (optional)", "", name="The notes")
    reasons = _reasons("Reasons for termination", "", name="The reasons")

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.TERMINATE and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Enter the reasons for termination")
        return data


class ProsecutionReferForm(CaseForm):
    reason = _reasons(
        "Reason for the referral",
        "Enter the reason for the referral",
        name="The reason",
    )


class TeamCasesFilterForm(GovUKForm):
    q = CaseSearchField()
    state = forms.ChoiceField(
        label="State",
        required=False,
        choices=[("", "All states"), *CaseState.choices],
        error_messages={"invalid_choice": "Select a state from the list"},
    )
    navigator = forms.TypedChoiceField(
        label="Navigator",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[],
        error_messages={"invalid_choice": "Select a navigator from the list"},
    )

    def __init__(self, *args, navigators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["navigator"].choices = [("", "All navigators")] + [
            (str(u.pk), display_name(u)) for u in navigators
        ]
