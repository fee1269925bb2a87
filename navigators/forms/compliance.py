"""Forms for closing a compliance event and deciding on a re-arrest match.

Field names follow the services' ``InvalidInput.field`` values (``explanation``, ``reason``), so
a service's refusal appears against the right field.
"""

from __future__ import annotations

from django import forms

from web.forms import ConditionalRadiosMixin, GovUKForm, GovUKRadioSelect


def _text(label: str, required_message: str, *, name: str, hint: str = "", rows: int = 5):
    """A textarea; optional when there is no ``required_message``."""
    return forms.CharField(
        label=label,
        required=bool(required_message),
        max_length=5000,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message,
            "max_length": f"{name} must be 5,000 characters or fewer",
        },
    )


class ComplianceResolveForm(GovUKForm):
    explanation = _text(
        "How was it resolved?",
        "Enter how it was resolved",
        name="The explanation",
        hint="For example, the participant was in hospital that day and brought the discharge "
        "letter",
    )


class ComplianceWithdrawForm(GovUKForm):
    reason = _text(
        "Why is it withdrawn?",
        "Enter why the compliance event is withdrawn",
        name="The reason",
        hint="For example, it was raised on the wrong case or for the wrong date",
    )


class RearrestDecisionForm(ConditionalRadiosMixin, GovUKForm):
    """Is the person arrested the participant? Yes records a new offence; no needs a reason."""

    YES, NO = "yes", "no"
    radio_field = "same_person"
    reveals = {YES: ("description",), NO: ("reason",)}

    same_person = forms.ChoiceField(
        label="Is the person arrested your participant?",
        choices=[
            (YES, "Yes, it is the same person: record a new offence on this case"),
            (NO, "No, it is not the same person"),
        ],
        widget=GovUKRadioSelect,
        error_messages={
            "required": "Select yes if the person arrested is your participant",
            "invalid_choice": "Select yes if the person arrested is your participant",
        },
    )
    description = _text(
        "What happened (optional)",
        "",
        name="The description",
        hint="Leave empty to record the arrest date and the custody case",
        rows=3,
    )
    reason = _text(
        "Why is it not the same person?",
        "",
        name="The reason",
        hint="For example, a different middle name or address",
        rows=3,
    )

    def clean(self):
        data = super().clean()
        if data.get("same_person") == self.NO and not data.get("reason", "").strip():
            self.add_error("reason", "Enter why it is not the same person")
        return data
