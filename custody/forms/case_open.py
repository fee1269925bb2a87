"""The form that opens a case in custody: the person, contact details, arrest and offence."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import cast

from django import forms
from django.core.exceptions import ValidationError

from checkpoint import dates
from checkpoint.models import (
    Ethnicity,
    Language,
    OffenceType,
    Person,
    Sex,
    Team,
    VeteranStatus,
)
from checkpoint.models.person import uk_mobile
from checkpoint.services import InvalidInput, OffenceInput
from checkpoint.services.corrections import normalise_postcode
from checkpoint.text import PlainText
from web.forms import (
    GovUKCheckboxSelectMultiple,
    GovUKDateField,
    GovUKForm,
    GovUKRadioSelect,
)

from .assessment import ServiceErrorsMixin, radios, text, yes_no

ADULT_AGE = 18  # Checkpoint and the statutory diversionary caution are for adults only


def ethnicity_choices() -> list:
    """The 18+1 codes grouped as on the census form; 'Prefer not to say' last, on its own."""
    groups: dict[str, list] = {}
    for code, label in Ethnicity.choices:
        if code == Ethnicity.NS:
            continue
        group, _, detail = label.partition(": ")
        groups.setdefault(group, []).append((code, detail[:1].upper() + detail[1:]))
    return [("", "Select an ethnicity"), *groups.items(), (Ethnicity.NS, Ethnicity.NS.label)]


class OffenceSelect(forms.Select):
    """The offence picker's list: each option also carries the offence's everyday names
    (``OffenceType.keywords``), which the autocomplete in web/static/checkpoint/init.js matches
    as well as the title and code, so "shoplifting" finds "Theft from a shop"."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        keywords = getattr(getattr(value, "instance", None), "keywords", "")
        if keywords:
            option["attrs"]["data-keywords"] = keywords
        return option


class TimeField(forms.Field):
    """A 24-hour time typed as text (GOV.UK has no time component): 14:30, 9:05 or 14.30."""

    PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})$")

    def __init__(self, *, what: str, **kwargs):
        self.what = what
        kwargs.setdefault("error_messages", {"required": f"Enter {what}"})
        attrs = {"class": "govuk-input--width-5", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(widget=forms.TextInput(attrs), **kwargs)

    def _invalid(self) -> str:
        return f"{self.what[0].upper()}{self.what[1:]} must be a real time, like 14:30"

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        match = self.PATTERN.match(value)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError(self._invalid())
        return time(int(match[1]), int(match[2]))


class CaseOpenForm(ServiceErrorsMixin, GovUKForm):
    """The person, their contact details, the arrest and the offence, on one page."""

    aliases = {
        "arrested_at": "arrested_time",
        "offences": "offence_type",
        "sms_reminders": "reminders",
        "email_reminders": "reminders",
        "needs_interpreter": "needs",
        "needs_easy_read": "needs",
    }
    # (heading, intro, fields): one page in sections, in the order the error summary lists them
    SECTIONS = (
        ("The person", "", ("given_name", "family_name", "date_of_birth", "pnc_id")),
        (
            "Equality monitoring",
            "Used only to check the scheme treats people fairly, never for the decision. "
            "Ask the person; every question can be answered 'Prefer not to say'.",
            ("sex", "ethnicity", "veteran_status"),
        ),
        ("Contact details and reminders", "", ("mobile", "email", "reminders")),
        (
            "Postal address",
            "Where letters are sent: the appointment letters, warnings and the outcome. "
            "Leave it empty if the person will not give one.",
            (
                "address_line_1",
                "address_line_2",
                "town",
                "county",
                "postcode",
                "no_fixed_abode",
            ),
        ),
        (
            "Letters and communication",
            "Ask the person. Their contract, letters and messages are written in the "
            "language chosen here.",
            ("preferred_language", "needs", "interpreter_language"),
        ),
        ("The arrest", "", ("custody_reference", "arrested_on", "arrested_time", "station")),
        (
            "The offence",
            "",
            ("offence_type", "committed_on", "location", "has_victim", "gravity_score"),
        ),
        ("Navigator team", "", ("team",)),
    )

    given_name = text(
        "Given name",
        max_length=100,
        required="Enter the person's given name",
        validators=[PlainText("Given name")],
    )
    family_name = text(
        "Family name",
        max_length=100,
        required="Enter the person's family name",
        validators=[PlainText("Family name")],
    )
    date_of_birth = GovUKDateField(
        label="Date of birth", what="the person's date of birth", help_text="For example, 15 6 1995"
    )
    pnc_id = text(
        "PNC ID (optional)",
        max_length=20,
        help_text="Police National Computer ID, if known",
        widget=forms.TextInput({"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    sex = radios("Sex", Sex.choices, "Select the person's sex, or 'Prefer not to say'")
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        choices=ethnicity_choices,
        help_text="As the person describes it (self-defined ethnicity code)",
        error_messages={
            "required": "Select the person's ethnicity, or 'Prefer not to say'",
            "invalid_choice": "Select the person's ethnicity, or 'Prefer not to say'",
        },
    )
    veteran_status = radios(
        "Has the person served in the armed forces?",
        VeteranStatus.choices,
        "Select whether the person has served in the armed forces, or 'Prefer not to say'",
    )
    mobile = text(
        "Mobile number (optional)",
        max_length=20,
        validators=[uk_mobile],
        help_text="For example, 07700 900 982",
        widget=forms.TextInput(
            {"type": "tel", "autocomplete": "off", "class": "govuk-input--width-20"}
        ),
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
        widget=forms.EmailInput({"spellcheck": "false", "autocomplete": "off"}),
    )
    reminders = forms.MultipleChoiceField(
        label="Which reminders has the person agreed to? (optional)",
        choices=[("sms", "Text message (SMS)"), ("email", "Email")],
        required=False,
        widget=GovUKCheckboxSelectMultiple,
        help_text="Tick only what the person has agreed to. They can opt out at any time.",
    )
    address_line_1 = text("Address line 1 (optional)", max_length=200)
    address_line_2 = text("Address line 2 (optional)", max_length=100)
    town = text(
        "Town or city (optional)",
        max_length=60,
        widget=forms.TextInput({"class": "govuk-!-width-two-thirds"}),
    )
    county = text(
        "County (optional)",
        max_length=60,
        widget=forms.TextInput({"class": "govuk-!-width-two-thirds"}),
    )
    postcode = text(
        "Postcode (optional)",
        max_length=10,
        widget=forms.TextInput(
            {"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    no_fixed_abode = forms.BooleanField(
        label="No fixed abode",
        required=False,
        help_text="Tick this and leave the address empty if the person has no fixed address",
    )
    preferred_language = forms.TypedChoiceField(
        label="In which language should letters and messages be written?",
        choices=Language.choices,
        required=False,
        empty_value=Language.ENGLISH,
        initial=Language.ENGLISH,
        widget=GovUKRadioSelect,
        help_text="In Wales the person may have their contract and letters in Welsh",
        error_messages={"invalid_choice": "Select English or Welsh"},
    )
    needs = forms.MultipleChoiceField(
        label="What does the person need to understand their contract and letters? (optional)",
        choices=[
            ("interpreter", "An interpreter"),
            ("easy_read", "Easy read documents (short sentences with pictures)"),
        ],
        required=False,
        widget=GovUKCheckboxSelectMultiple,
        help_text="Tick all that apply, for example easy read for a learning disability or "
        "difficulty reading",
    )
    interpreter_language = text(
        "Interpreter's language (if one is needed)",
        max_length=60,
        help_text="For example, Polish or British Sign Language",
        widget=forms.TextInput({"class": "govuk-!-width-one-half"}),
    )
    custody_reference = text(
        "Custody reference",
        max_length=40,
        required="Enter the custody reference",
        validators=[PlainText("Custody reference")],
        help_text="For example, DU/012345/26",
        widget=forms.TextInput({"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    arrested_on = GovUKDateField(label="Date of arrest", what="the date of the arrest")
    arrested_time = TimeField(
        label="Time of arrest",
        what="the time of the arrest",
        help_text="Use the 24-hour clock, for example 14:30",
    )
    station = text("Custody suite or station (optional)", max_length=100)
    offence_type: forms.ModelChoiceField[OffenceType] = forms.ModelChoiceField(
        label="Offence",
        queryset=None,
        empty_label="",
        help_text="Start typing the offence, its code or an everyday name such as shoplifting",
        widget=OffenceSelect({"data-autocomplete": True}),
        error_messages={
            "required": "Select the offence",
            "invalid_choice": "Select an offence from the list",
        },
    )
    committed_on = GovUKDateField(
        label="Date of the offence", what="the date the offence was committed"
    )
    location = text("Where the offence was committed (optional)", max_length=200)
    has_victim = yes_no(
        "Is there an identifiable victim?", "Select whether there is an identifiable victim"
    )
    gravity_score = forms.TypedChoiceField(
        label="Gravity score",
        choices=[("", "The usual score for this offence"), *[(n, str(n)) for n in range(1, 5)]],
        coerce=int,
        empty_value=None,
        required=False,
        initial="",
        widget=GovUKRadioSelect,
        help_text="1 (least serious) to 4. Change it only if this offence differs from the usual.",
        error_messages={"invalid_choice": "Select a gravity score from 1 to 4"},
    )
    team: forms.ModelChoiceField[Team] = forms.ModelChoiceField(
        label="Navigator team",
        queryset=None,
        empty_label="Select a team",
        help_text="The team that will take the case if the person takes part",
        error_messages={
            "required": "Select the team that will take the case",
            "invalid_choice": "Select a team from the list",
        },
    )

    def __init__(self, *args, offence_types, teams, now: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now
        self.today = dates.local_date(now)
        # The ModelChoiceFields declared above (django-stubs types ``fields`` as any Field).
        cast(forms.ModelChoiceField, self.fields["offence_type"]).queryset = offence_types
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = teams

    @property
    def sections(self):
        return [
            {"title": title, "intro": intro, "fields": [self[name] for name in names]}
            for title, intro, names in self.SECTIONS
        ]

    def clean_postcode(self) -> str:
        try:
            return normalise_postcode(self.cleaned_data["postcode"])
        except InvalidInput as err:
            raise ValidationError(err.message) from None

    def clean(self):
        data = super().clean()
        self._check_address(data)
        needs = data.get("needs") or []
        if "interpreter" in needs and not data.get("interpreter_language"):
            self.add_error("interpreter_language", "Enter the language the interpreter must speak")
        self._check_birth(data.get("date_of_birth"), data.get("arrested_on"))
        self._check_arrest(data.get("arrested_on"), data.get("arrested_time"))
        self._check_offence(data.get("committed_on"), data.get("arrested_on"))
        reminders = data.get("reminders") or []
        if "sms" in reminders and not data.get("mobile") and "mobile" not in self.errors:
            self.add_error("mobile", "Enter a mobile number to send text message reminders")
        if "email" in reminders and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Enter an email address to send email reminders")
        return data

    def _check_address(self, data: dict) -> None:
        lines = ("address_line_1", "address_line_2", "town", "county")
        if data.get("no_fixed_abode"):
            if any(data.get(name) for name in (*lines, "postcode")):
                self.add_error(
                    "address_line_1", "Either enter the address or tick no fixed abode, not both"
                )
            return
        if any(data.get(name) for name in lines) or data.get("postcode"):
            if not data.get("address_line_1") and "address_line_1" not in self.errors:
                self.add_error("address_line_1", "Enter the first line of the address")
            if not data.get("postcode") and "postcode" not in self.errors:
                self.add_error("postcode", "Enter the postcode")

    def _check_birth(self, born: date | None, arrested_on: date | None) -> None:
        if born is None:
            return
        if born >= self.today:
            self.add_error("date_of_birth", "The person's date of birth must be in the past")
        elif dates.age_on(born, arrested_on or self.today) < ADULT_AGE:
            self.add_error(
                "date_of_birth",
                f"The person must be {ADULT_AGE} or over on the day of the arrest: "
                "this scheme is for adults",
            )

    def _check_arrest(self, arrested_on: date | None, at: time | None) -> None:
        if arrested_on is None:
            return
        if arrested_on > self.today:
            self.add_error("arrested_on", "The date of the arrest must be today or in the past")
        elif at is not None and self.arrested_at() > self.now:
            self.add_error("arrested_time", "The time of the arrest must be in the past")

    def _check_offence(self, committed_on: date | None, arrested_on: date | None) -> None:
        if committed_on is None:
            return
        if committed_on > self.today:
            self.add_error(
                "committed_on", "The date the offence was committed must be today or in the past"
            )
        elif arrested_on is not None and committed_on > arrested_on:
            self.add_error(
                "committed_on",
                "The date the offence was committed must be on or before the date of the arrest",
            )

    def arrested_at(self) -> datetime:
        data = self.cleaned_data
        return datetime.combine(data["arrested_on"], data["arrested_time"], tzinfo=dates.LONDON)

    def person(self) -> Person:
        data = self.cleaned_data
        reminders = data["reminders"]
        return Person(
            given_name=data["given_name"],
            family_name=data["family_name"],
            date_of_birth=data["date_of_birth"],
            pnc_id=data["pnc_id"],
            sex=data["sex"],
            ethnicity=data["ethnicity"],
            veteran_status=data["veteran_status"],
            mobile=data["mobile"],
            email=data["email"],
            address_line_1=data["address_line_1"],
            address_line_2=data["address_line_2"],
            town=data["town"],
            county=data["county"],
            postcode=data["postcode"],
            no_fixed_abode=data["no_fixed_abode"],
            preferred_language=data["preferred_language"],
            needs_interpreter="interpreter" in data["needs"],
            interpreter_language=(
                data["interpreter_language"] if "interpreter" in data["needs"] else ""
            ),
            needs_easy_read="easy_read" in data["needs"],
            sms_reminders="sms" in reminders,
            email_reminders="email" in reminders,
            reminders_consent_on=self.today if reminders else None,
        )

    def offence(self) -> OffenceInput:
        data = self.cleaned_data
        return OffenceInput(
            offence_type_id=data["offence_type"].pk,
            committed_on=data["committed_on"],
            has_victim=data["has_victim"],
            gravity_score=data["gravity_score"],
            location=data["location"],
        )
