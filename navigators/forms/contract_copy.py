"""The participant's consent to be emailed a copy of their signed contract."""

from __future__ import annotations

from django import forms

from web.views import CaseForm


class ContractCopyForm(CaseForm):
    email = forms.EmailField(
        label="Participant's email address",
        help_text="They will need to type this address to open the file",
        max_length=254,
        error_messages={
            "required": "Enter the participant's email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    consent = forms.BooleanField(
        label="The participant agrees to be sent a copy of their signed contract by email",
        error_messages={
            "required": "Confirm that the participant agrees to be sent their contract by email"
        },
    )
