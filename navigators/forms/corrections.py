"""Forms for putting mistakes right: contact details, appointments cancelled or moved, and
records corrected or withdrawn with a reason (the services keep the original).

Field names follow the services' ``InvalidInput.field`` values, so that a service's refusal
appears against the right field.
"""

from __future__ import annotations

from django import forms

from checkpoint.models import Language, RestorativeOutcome
from web.forms import (
    GovUKCheckboxSelectMultiple,
    GovUKDateField,
    GovUKForm,
    GovUKRadioSelect,
    confirm_field,
)
from web.views import CaseForm

from .supervision import HoursFields, ServiceFieldsMixin, TimeOfDayField, _choose, _sized, _text

REASON_HINT = "This is kept with the original, which stays on the case, struck through"


def reason_field(label: str, required_message: str, max_length: int = 1000) -> forms.CharField:
    """The reason for a correction: required, and kept in the history with the original."""
    field = _text(label, required_message, name="Reason", max_length=max_length, rows=3)
    field.help_text = REASON_HINT
    return field


class ContactDetailsForm(CaseForm):
    """The participant's contact details and postal address (history kept by the service)."""

    mobile = forms.CharField(
        label="Mobile number (optional)",
        required=False,
        max_length=20,
        help_text="A UK mobile number, like 07700 900123. Needed for text message reminders",
        **_sized("20", autocomplete="off", inputmode="tel"),
        error_messages={"max_length": "Mobile number must be 20 characters or fewer"},
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        help_text="Needed for email reminders",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )
    address_line_1 = forms.CharField(
        label="Address line 1",
        required=False,
        max_length=200,
        error_messages={"max_length": "Address line 1 must be 200 characters or fewer"},
    )
    address_line_2 = forms.CharField(
        label="Address line 2 (optional)",
        required=False,
        max_length=100,
        error_messages={"max_length": "Address line 2 must be 100 characters or fewer"},
    )
    town = forms.CharField(
        label="Town or city",
        required=False,
        max_length=60,
        **_sized("20"),
        error_messages={"max_length": "Town or city must be 60 characters or fewer"},
    )
    county = forms.CharField(
        label="County (optional)",
        required=False,
        max_length=60,
        **_sized("20"),
        error_messages={"max_length": "County must be 60 characters or fewer"},
    )
    postcode = forms.CharField(
        label="Postcode",
        required=False,
        max_length=10,
        **_sized("10", autocomplete="off"),
        error_messages={"max_length": "Enter a real postcode, like DH1 5AB"},
    )
    no_fixed_abode = forms.BooleanField(
        label="No fixed abode",
        required=False,
        help_text="Leave the address empty if you tick this",
    )
    preferred_language = forms.ChoiceField(
        label="Language for letters and messages",
        choices=Language.choices,
        required=False,  # left as it was when not sent
        widget=GovUKRadioSelect,
        help_text="The contract, letters and reminders are written in this language",
        error_messages={"invalid_choice": "Select English or Welsh"},
    )
    needs = forms.MultipleChoiceField(
        label="What does the participant need to understand their letters? (optional)",
        choices=[
            ("interpreter", "An interpreter"),
            ("easy_read", "Easy read documents (short sentences with pictures)"),
        ],
        required=False,
        widget=GovUKCheckboxSelectMultiple,
    )
    interpreter_language = forms.CharField(
        label="Interpreter's language (if one is needed)",
        required=False,
        max_length=60,
        help_text="For example, Polish or British Sign Language",
        **_sized("20"),
        error_messages={"max_length": "The interpreter's language must be 60 characters or fewer"},
    )
    reason = _text("Why the details changed (optional)", name="Reason", max_length=100, rows=2)
    reason.help_text = "For example: new phone. Kept in the case's change history"

    def clean(self):
        data = super().clean()
        if "interpreter" in (data.get("needs") or []) and not data.get("interpreter_language"):
            self.add_error("interpreter_language", "Enter the language the interpreter must speak")
        return data

    def service_arguments(self) -> dict:
        """The cleaned data as ``services.person_contact_update`` takes it."""
        data = dict(self.cleaned_data)
        for name in ("lock_version", "opened_at"):
            data.pop(name, None)
        data["preferred_language"] = data["preferred_language"] or None
        needs = data.pop("needs")
        data["needs_interpreter"] = "interpreter" in needs
        data["needs_easy_read"] = "easy_read" in needs
        return data


class AppointmentCancelForm(GovUKForm):
    reason = reason_field(
        "Why is the appointment cancelled?", "Enter why the appointment is cancelled"
    )


class AppointmentRescheduleForm(ServiceFieldsMixin, GovUKForm):
    service_fields = {"rescheduled_to": "date", "starts_at": "date"}

    date = GovUKDateField(what="the new date of the appointment", label="New date")
    time = TimeOfDayField(what="the new time of the appointment", label="New time")
    reason = reason_field("Why is the appointment moved?", "Enter why the appointment is moved")
    confirm = confirm_field()

    def clean(self):
        data = super().clean()
        data["starts_at"] = self._combine("date", "time")
        return data


class WithdrawForm(GovUKForm):
    """Withdraw a record made in error: only the reason."""

    reason = reason_field("Why is it being withdrawn?", "Enter why it is being withdrawn")


def correct_reason(max_length: int = 1000) -> forms.CharField:
    return reason_field(
        "Why is it being corrected?", "Enter why it is being corrected", max_length=max_length
    )


# A detail corrected in place keeps its reason in its change history, which holds 100
# characters (django-simple-history's change reason): say so rather than cut it.
IN_PLACE_REASON = 100


class HoursCorrectForm(HoursFields):
    reason = correct_reason()


class NoteCorrectForm(GovUKForm):
    text = _text("Corrected note", "Enter the note", name="Note", rows=6)
    reason = correct_reason()


class ReferralCorrectForm(GovUKForm):
    what = forms.CharField(
        label="What the participant will do",
        max_length=200,
        error_messages={
            "required": "Enter what the participant will do",
            "max_length": "What the participant will do must be 200 characters or fewer",
        },
    )
    frequency = forms.CharField(
        label="How often",
        max_length=100,
        help_text="For example, weekly",
        **_sized("20"),
        error_messages={
            "required": "Enter how often",
            "max_length": "How often must be 100 characters or fewer",
        },
    )
    required_sessions = forms.IntegerField(
        label="Sessions required",
        min_value=1,
        max_value=100,
        **_sized("3", inputmode="numeric"),
        error_messages={
            "required": "Enter the number of sessions required",
            "invalid": "Sessions required must be a whole number, like 6",
            "min_value": "Required sessions must be between 1 and 100",
            "max_value": "Required sessions must be between 1 and 100",
        },
    )
    reason = correct_reason(IN_PLACE_REASON)


class RestorativeCorrectForm(GovUKForm):
    outcome = forms.ChoiceField(
        label="Outcome of the restorative approach",
        choices=[c for c in RestorativeOutcome.choices if c[0] != RestorativeOutcome.PENDING],
        widget=GovUKRadioSelect,
        error_messages=_choose("Select the outcome of the restorative approach"),
    )
    recorded_on = GovUKDateField(what="the date of the outcome", label="Date of the outcome")
    notes = _text("Notes (optional)")
    reason = correct_reason(IN_PLACE_REASON)
