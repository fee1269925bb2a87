"""Forms for the day-to-day supervision screens.

Field names follow the services' ``InvalidInput.field`` values, so a service's refusal (a
date in the future, a duration out of range) appears against the right field; where a form
splits one service value into several fields (a date and a time), ``service_fields`` says
which field carries the service's error.
"""

from __future__ import annotations

import copy
import datetime as dt
import re

from django import forms

from checkpoint import dates
from checkpoint.models import (
    STAFF_TASK_KINDS,
    AppointmentKind,
    AppointmentOutcome,
    ComplianceKind,
    ReferralStatus,
    RestorativeOutcome,
)
from checkpoint.text import PlainText
from web.forms import (
    FormMixinBase,
    GovUKCheckboxSelectMultiple,
    GovUKDateField,
    GovUKForm,
    GovUKRadioSelect,
    confirm_field,
)
from web.views import CaseForm

TIME_PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})$")
TIME_EXAMPLE = "like 09:30 or 14:00"


def _text(
    label: str, required_message: str = "", *, name: str = "", max_length: int = 5000, rows=5
):
    """A textarea; optional when there is no ``required_message``. ``name`` starts messages."""
    name = name or label.split(" (")[0]
    return forms.CharField(
        label=label,
        required=bool(required_message),
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message,
            "max_length": f"{name} must be {max_length:,} characters or fewer",
        },
    )


def _sized(width: str, **attrs) -> dict:
    """Field arguments for a text input of a GOV.UK fixed width (``"3"``, ``"20"``, ...)."""
    widget = forms.TextInput(attrs={"class": f"govuk-input--width-{width}", **attrs})
    return {"widget": widget}


def _choose(message: str) -> dict[str, str]:
    """Messages for a required choice: the same one when nothing or an unknown value is sent."""
    return {"required": message, "invalid_choice": message}


class TimeOfDayField(forms.CharField):
    """A time typed as HH:MM in the 24-hour clock (9:30, 09:30 and 09.30 all work)."""

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("help_text", f"Use the 24-hour clock, {TIME_EXAMPLE}")
        kwargs.update(_sized("5"))
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter {what}"
        # Checked in to_python (the value is a time by the time validators run).
        self.max_length = 20

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        match = TIME_PATTERN.match(value.strip()) if len(value) <= self.max_length else None
        if match is None:
            raise forms.ValidationError(f"Enter {self.what} in the 24-hour clock, {TIME_EXAMPLE}")
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            raise forms.ValidationError(
                f"{self.what[0].upper()}{self.what[1:]} must be a real time, {TIME_EXAMPLE}"
            )
        return dt.time(hour, minute)


def london_datetime(day: dt.date, at: dt.time) -> dt.datetime | None:
    """The aware Europe/London moment, or None for a time the clocks skip (spring forward)."""
    moment = dt.datetime.combine(day, at, tzinfo=dates.LONDON)
    back = moment.astimezone(dt.UTC).astimezone(dates.LONDON)
    return moment if back.replace(tzinfo=None) == moment.replace(tzinfo=None) else None


class ServiceFieldsMixin(FormMixinBase):
    """Attach a service error naming ``starts_at`` (say) to this form's ``date`` field."""

    service_fields: dict[str, str] = {}

    def add_service_error(self, err) -> None:
        field = getattr(err, "field", None)
        if field in self.service_fields:
            err = copy.copy(err)
            err.field = self.service_fields[field]
        super().add_service_error(err)

    def _combine(self, date_field: str, time_field: str) -> dt.datetime | None:
        day, at = self.cleaned_data.get(date_field), self.cleaned_data.get(time_field)
        if day is None or at is None:
            return None
        moment = london_datetime(day, at)
        if moment is None:
            self.add_error(time_field, "The clocks go forward at that time: enter another time")
        return moment


class NoteForm(GovUKForm):
    text = _text("Note", "Enter the note", rows=6)


class AppointmentForm(ServiceFieldsMixin, GovUKForm):
    service_fields = {"starts_at": "date"}

    kind = forms.ChoiceField(
        label="Type of appointment",
        choices=AppointmentKind.choices,
        widget=GovUKRadioSelect,
        error_messages=_choose("Select the type of appointment"),
    )
    date = GovUKDateField(what="the date of the appointment", label="Date")
    time = TimeOfDayField(what="the time of the appointment", label="Time")
    duration_minutes = forms.IntegerField(
        label="Length in minutes",
        initial=60,
        min_value=5,
        max_value=480,
        **_sized("3", inputmode="numeric"),
        error_messages={
            "required": "Enter how long the appointment lasts, in minutes",
            "invalid": "Length must be a whole number of minutes, like 60",
            "min_value": "An appointment lasts between 5 minutes and 8 hours",
            "max_value": "An appointment lasts between 5 minutes and 8 hours",
        },
    )
    location = forms.CharField(
        label="Location (optional)",
        required=False,
        max_length=200,
        error_messages={"max_length": "Location must be 200 characters or fewer"},
    )
    confirm = confirm_field()
    referral = forms.ChoiceField(
        label="Pathway referral (optional)",
        required=False,
        widget=GovUKRadioSelect,
        help_text="Link a session with a service to the referral it counts towards",
        error_messages={"invalid_choice": "Select one of this contract's referrals"},
    )

    def __init__(self, *args, referrals=(), **kwargs):
        super().__init__(*args, **kwargs)
        if referrals:
            self.fields["referral"].choices = [("", "Not linked to a referral")] + [
                (str(r.pk), f"{r.provider.name}: {r.what}") for r in referrals
            ]
        else:
            del self.fields["referral"]

    def clean(self):
        data = super().clean()
        data["starts_at"] = self._combine("date", "time")
        data["referral_id"] = int(data["referral"]) if data.get("referral") else None
        return data


class AppointmentOutcomeForm(ServiceFieldsMixin, GovUKForm):
    service_fields = {"rescheduled_to": "new_date"}

    outcome = forms.ChoiceField(
        label="What happened?",
        choices=AppointmentOutcome.choices,
        widget=GovUKRadioSelect,
        error_messages=_choose("Select what happened at the appointment"),
    )
    notes = _text("Notes (optional)")
    new_date = GovUKDateField(
        what="the new date of the appointment",
        label="New date (if rescheduled)",
        required=False,
    )
    new_time = TimeOfDayField(
        what="the new time of the appointment", label="New time (if rescheduled)", required=False
    )
    confirm = confirm_field()

    def clean(self):
        data = super().clean()
        data["rescheduled_to"] = None
        if data.get("outcome") != AppointmentOutcome.RESCHEDULED:
            return data
        for name, message in (
            ("new_date", "Enter the new date of the appointment"),
            ("new_time", "Enter the new time of the appointment"),
        ):
            if name not in self.errors and data.get(name) is None:
                self.add_error(name, message)
        data["rescheduled_to"] = self._combine("new_date", "new_time")
        return data


class HoursFields(GovUKForm):
    """An hours entry's own fields: logged (HoursForm) or corrected (HoursCorrectForm)."""

    worked_on = GovUKDateField(what="the date worked", label="Date worked")
    hours = forms.DecimalField(
        label="Hours worked",
        help_text="For example, 3.5 for three and a half hours",
        max_digits=4,
        decimal_places=2,
        **_sized("4", inputmode="decimal"),
        error_messages={
            "required": "Enter the hours worked",
            "invalid": "Hours must be a number, like 3.5",
            "max_decimal_places": "Hours can have up to 2 decimal places, like 3.25",
            "max_digits": "Hours must be more than 0 and at most 12",
            "max_whole_digits": "Hours must be more than 0 and at most 12",
        },
    )
    activity = forms.CharField(
        label="Work done",
        max_length=200,
        error_messages={
            "required": "Enter the work done",
            "max_length": "Work done must be 200 characters or fewer",
        },
    )
    placement = forms.CharField(
        label="Placement (optional)",
        required=False,
        max_length=150,
        error_messages={"max_length": "Placement must be 150 characters or fewer"},
    )

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if not 0 < hours <= 12:
            raise forms.ValidationError("Hours must be more than 0 and at most 12")
        return hours


class HoursForm(HoursFields):
    VERIFIED, SELF_REPORTED = "verified", "self_reported"

    verification = forms.ChoiceField(
        label="Who confirmed these hours?",
        choices=[
            (VERIFIED, "Verified by me, or confirmed by the placement supervisor"),
            (SELF_REPORTED, "Reported by the participant, not yet verified"),
        ],
        widget=GovUKRadioSelect,
        help_text="Hours reported by the participant show as self-reported until verified",
        error_messages=_choose("Select who confirmed these hours"),
    )
    verifier_name = forms.CharField(
        label="Placement supervisor's name (if they confirmed the hours)",
        required=False,
        max_length=150,
        help_text="Leave this blank if you saw the work yourself",
        validators=[PlainText("Name")],
        error_messages={"max_length": "Name must be 150 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        data["verified"] = data.get("verification") == self.VERIFIED
        if not data["verified"]:
            data["verifier_name"] = ""  # nobody confirmed self-reported hours yet
        return data


class HoursVerifyForm(GovUKForm):
    verifier_name = forms.CharField(
        label="Placement supervisor's name",
        max_length=150,
        help_text="Who at the placement confirmed the participant did this work",
        validators=[PlainText("Name")],
        error_messages={
            "required": "Enter the name of the placement supervisor who confirmed the hours",
            "max_length": "Name must be 150 characters or fewer",
        },
    )


class NewOffenceForm(GovUKForm):
    occurred_on = GovUKDateField(what="the date of the offence", label="Date of the offence")
    reference = forms.CharField(
        label="Custody or crime reference (optional)",
        required=False,
        max_length=40,
        **_sized("20"),
        validators=[PlainText("Reference")],
        error_messages={"max_length": "Reference must be 40 characters or fewer"},
    )
    offence_type = forms.ChoiceField(
        label="Type of offence (optional)",
        required=False,
        error_messages={"invalid_choice": "Select a type of offence from the list"},
    )
    description = _text("What happened", "Describe the new offence", name="Description")

    def __init__(self, *args, offence_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offence_type"].choices = [("", "Not known yet")] + [
            (str(t.pk), str(t)) for t in offence_types
        ]

    def clean(self):
        data = super().clean()
        data["offence_type_id"] = int(data["offence_type"]) if data.get("offence_type") else None
        return data


class RestorativeOutcomeForm(CaseForm):
    outcome = forms.ChoiceField(
        label="Outcome of the restorative approach",
        choices=[c for c in RestorativeOutcome.choices if c[0] != RestorativeOutcome.PENDING],
        widget=GovUKRadioSelect,
        error_messages=_choose("Select the outcome of the restorative approach"),
    )
    recorded_on = GovUKDateField(what="the date of the outcome", label="Date of the outcome")
    notes = _text("Notes (optional)")


class ReferralStatusForm(GovUKForm):
    """The Pathway condition: whether a referral was completed (needed for sign-off)."""

    referral = forms.TypedChoiceField(
        label="Which referral?",
        coerce=int,
        widget=GovUKRadioSelect,
        error_messages=_choose("Select the referral"),
    )
    status = forms.ChoiceField(
        label="How did the referral end?",
        choices=[c for c in ReferralStatus.choices if c[0] != ReferralStatus.ACTIVE],
        widget=GovUKRadioSelect,
        error_messages=_choose("Select how the referral ended"),
    )
    reason = forms.CharField(
        label="Why it counts as completed (if fewer sessions were attended than required)",
        help_text="For example: the service confirmed the course was completed. Leave empty "
        "when every required session is recorded as attended.",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, referrals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].choices = [
            (
                r.pk,
                f"{r.provider.name}: {r.what} (attended {r.attended} of {r.required_sessions}, "
                f"{r.get_status_display().lower()})",
            )
            for r in referrals
        ]


class ComplianceEventForm(GovUKForm):
    # The participant's own non-compliance only. New offences are reported on their own screen
    # (they count against the Offending condition); staff tasks (an outcome overdue, the end
    # date reached) are raised by the scheduled check and closed by doing the task.
    KINDS = [
        c
        for c in ComplianceKind.choices
        if c[0] != ComplianceKind.NEW_OFFENCE and c[0] not in STAFF_TASK_KINDS
    ]

    kind = forms.ChoiceField(
        label="What kind of non-compliance?",
        choices=KINDS,
        widget=GovUKRadioSelect,
        error_messages=_choose("Select the kind of non-compliance"),
    )
    occurred_on = GovUKDateField(what="the date it happened", label="Date it happened")
    detail = _text("What happened", "Describe what happened", name="Description")


class WarningForm(GovUKForm):
    events = forms.TypedMultipleChoiceField(
        label="Which compliance events is this warning about?",
        coerce=int,
        widget=GovUKCheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Select the compliance events this warning is about",
            "invalid_choice": "Select events from this case",
        },
    )
    reason = _text("Reason for the warning", "Enter the reason for the warning", name="Reason")

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = [
            (e.pk, f"{e.get_kind_display()} on {e.occurred_on:%-d %B %Y}") for e in events
        ]


class BreachReferForm(CaseForm):
    recommendation = _text(
        "Your recommendation to the supervisor",
        "Enter your recommendation to the supervisor",
        name="Recommendation",
    )


class WithdrawForm(CaseForm):
    reason = _text(
        "Why did the participant withdraw?", "Enter why the participant withdrew", name="Reason"
    )


class RemindersForm(GovUKForm):
    sms = forms.BooleanField(label="Text message (SMS) reminders", required=False)
    email = forms.BooleanField(label="Email reminders", required=False)
