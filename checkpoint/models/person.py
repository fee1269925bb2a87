"""The participant, with contact details and equality-monitoring fields.

Equality fields always allow "prefer not to say": they are collected for monitoring fairness
(reports), never for decisions.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from checkpoint import dates
from checkpoint.text import normalise_pnc, search_key

from .base import TimeStamped, choices_check


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class Ethnicity(models.TextChoices):
    """The police self-defined ethnicity codes (18+1, ONS 2021 categories)."""

    W1 = "W1", "White: English, Welsh, Scottish, Northern Irish or British"
    W2 = "W2", "White: Irish"
    W3 = "W3", "White: Gypsy or Irish Traveller"
    W4 = "W4", "White: Roma"
    W9 = "W9", "White: any other White background"
    M1 = "M1", "Mixed: White and Black Caribbean"
    M2 = "M2", "Mixed: White and Black African"
    M3 = "M3", "Mixed: White and Asian"
    M9 = "M9", "Mixed: any other Mixed or multiple ethnic background"
    A1 = "A1", "Asian or Asian British: Indian"
    A2 = "A2", "Asian or Asian British: Pakistani"
    A3 = "A3", "Asian or Asian British: Bangladeshi"
    A4 = "A4", "Asian or Asian British: Chinese"
    A9 = "A9", "Asian or Asian British: any other Asian background"
    B1 = "B1", "Black or Black British: Caribbean"
    B2 = "B2", "Black or Black British: African"
    B9 = "B9", "Black or Black British: any other Black background"
    O1 = "O1", "Other ethnic group: Arab"
    O9 = "O9", "Other ethnic group: any other ethnic group"
    NS = "NS", "Prefer not to say"


ETHNIC_GROUPS = {"W": "White", "M": "Mixed", "A": "Asian", "B": "Black", "O": "Other"}


def ethnic_group(code: str) -> str:
    """The broad group used in reports (five groups plus 'Not stated')."""
    return ETHNIC_GROUPS.get(code[:1], "Not stated") if code != Ethnicity.NS else "Not stated"


class VeteranStatus(models.TextChoices):
    YES = "yes", "Yes, served in the armed forces"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"


class Language(models.TextChoices):
    """The language of everything written to the participant (Welsh Language Act 1993: in
    Wales a person may have the contract and letters in Welsh). The values are Django's
    language codes, so a document is rendered in ``translation.override(value)``."""

    ENGLISH = "en", "English"
    WELSH = "cy", "Welsh (Cymraeg)"


uk_mobile = RegexValidator(
    r"^(\+44\s?7\d{3}|07\d{3})\s?\d{3}\s?\d{3}$",
    "Enter a UK mobile number, like 07700 900 982 or +44 7700 900 982",
)


class Person(TimeStamped):
    """A participant (or prospective participant) in a diversion scheme."""

    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    pnc_id = models.CharField("PNC ID", max_length=20, blank=True)
    sex = models.CharField(max_length=20, choices=Sex.choices, default=Sex.PREFER_NOT_TO_SAY)
    ethnicity = models.CharField(max_length=2, choices=Ethnicity.choices, default=Ethnicity.NS)
    veteran_status = models.CharField(
        max_length=20, choices=VeteranStatus.choices, default=VeteranStatus.PREFER_NOT_TO_SAY
    )
    # Contact details and consent to reminders (opt-in; they can opt out at any time).
    mobile = models.CharField(max_length=20, blank=True, validators=[uk_mobile])
    email = models.EmailField(blank=True)
    # The postal address (UK), or no fixed abode; corrected with history (the services).
    # A text field: it was the whole address before the lines were recorded apart.
    address_line_1 = models.TextField(blank=True)
    address_line_2 = models.CharField(max_length=100, blank=True)
    town = models.CharField("Town or city", max_length=60, blank=True)
    county = models.CharField("County", max_length=60, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    no_fixed_abode = models.BooleanField(default=False)
    # How to write to them: the language of the contract, letters and messages, and what
    # they need to understand them (recorded at custody, changed later with history).
    preferred_language = models.CharField(
        "Language for letters and messages",
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
    )
    needs_interpreter = models.BooleanField("Needs an interpreter", default=False)
    interpreter_language = models.CharField(max_length=60, blank=True)
    needs_easy_read = models.BooleanField("Needs easy read documents", default=False)
    # The name as searched: accents and case folded (``checkpoint.text.search_key``), so that
    # "Ni Bhriain" finds "Ní Bhriain" on SQLite and PostgreSQL alike.
    search_name = models.CharField(max_length=210, blank=True, db_index=True, editable=False)
    sms_reminders = models.BooleanField(default=False)
    email_reminders = models.BooleanField(default=False)
    reminders_consent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["family_name", "given_name"])]
        constraints = [
            choices_check("sex", Sex),
            choices_check("ethnicity", Ethnicity),
            choices_check("veteran_status", VeteranStatus),
            choices_check("preferred_language", Language),
            models.CheckConstraint(
                condition=Q(needs_interpreter=True) | Q(interpreter_language=""),
                name="person_interpreter_language_needs_interpreter",
                violation_error_message="Only record an interpreter's language when one is needed.",
            ),
            models.CheckConstraint(
                condition=Q(sms_reminders=False) | ~Q(mobile=""),
                name="person_sms_needs_mobile",
                violation_error_message="SMS reminders need a mobile number.",
            ),
            models.CheckConstraint(
                condition=Q(email_reminders=False) | ~Q(email=""),
                name="person_email_needs_address",
                violation_error_message="Email reminders need an email address.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived column, kept with the name whoever saves it (services, admin, migrations).
        self.search_name = search_key(f"{self.given_name} {self.family_name}")
        self.pnc_id = normalise_pnc(self.pnc_id)
        super().save(*args, **kwargs)

    @property
    def postal_address(self) -> list[str]:
        """The address as lines for a letter (empty with no fixed abode)."""
        if self.no_fixed_abode:
            return []
        lines = [
            *self.address_line_1.splitlines(),
            self.address_line_2,
            self.town,
            self.county,
            self.postcode,
        ]
        return [line.strip() for line in lines if line.strip()]

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, on: date) -> int:
        return dates.age_on(self.date_of_birth, on)

    @property
    def is_woman(self) -> bool:
        return self.sex == Sex.FEMALE

    @property
    def is_veteran(self) -> bool:
        return self.veteran_status == VeteranStatus.YES
