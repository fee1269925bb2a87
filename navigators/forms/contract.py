"""Forms for the contract builder and the victim's wishes.

Field names match the services' ``InvalidInput.field`` values, so a refusal from a service is
shown against the field it concerns.
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.conf import settings

from checkpoint import uploads
from checkpoint.models import (
    CommunityKind,
    ConsentMethod,
    Language,
    RestorativeApproach,
    RestorativePreference,
)
from checkpoint.models.person import uk_mobile
from checkpoint.services.contract import MAX_START_AHEAD_DAYS
from checkpoint.text import PlainText
from web.forms import FormMixinBase, GovUKDateField, GovUKForm, GovUKRadioSelect
from web.views import CaseForm


def sized_input(width: str, **attrs) -> forms.TextInput:
    """A GOV.UK text input with a width modifier (``govuk-input--width-3``)."""
    width_class = f"govuk-input--width-{width}"
    return forms.TextInput({"inputmode": "numeric", **attrs, "class": width_class})


class VictimWishesForm(GovUKForm):
    name = forms.CharField(
        label="Victim's name",
        help_text="Or the organisation, for business victims",
        max_length=150,
        validators=[PlainText("Victim's name")],
        error_messages={
            "required": "Enter the victim's name",
            "max_length": "Victim's name must be 150 characters or fewer",
        },
    )
    restorative_preference = forms.ChoiceField(
        label="What does the victim want?",
        choices=RestorativePreference.choices,
        widget=GovUKRadioSelect,
        error_messages={"required": "Select what the victim wants"},
    )
    keep_informed = forms.BooleanField(
        label="The victim wants to be kept informed of progress",
        required=False,
        help_text="They will be told when the contract is signed and of the outcome",
    )
    mobile = forms.CharField(
        label="Victim's mobile number (optional)",
        help_text="To keep the victim informed, give a mobile number or an email address",
        required=False,
        max_length=20,
        validators=[uk_mobile],
        widget=sized_input("20", autocomplete="off", inputmode="tel"),
    )
    email = forms.EmailField(
        label="Victim's email address (optional)",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    preferred_language = forms.ChoiceField(
        label="Language for the victim's updates",
        help_text="The updates are written in English unless the victim asks for Welsh",
        choices=Language.choices,
        initial=Language.ENGLISH,
        required=False,
        widget=GovUKRadioSelect,
    )

    def clean_preferred_language(self):
        return self.cleaned_data.get("preferred_language") or Language.ENGLISH

    def clean(self):
        cleaned = super().clean()
        contact = cleaned.get("mobile") or cleaned.get("email")
        if cleaned.get("keep_informed") and not contact and not self.errors:
            self.add_error("mobile", "To keep the victim informed, enter a mobile number or email")
        return cleaned


class VictimConditionForm(CaseForm):
    approach = forms.ChoiceField(
        label="Restorative approach",
        choices=RestorativeApproach.choices,
        widget=GovUKRadioSelect,
        error_messages={"required": "Select the restorative approach"},
    )


class ReferralForm(GovUKForm):
    provider = forms.TypedChoiceField(
        label="Service",
        coerce=int,
        help_text="Each service lists the pathways it offers",
        widget=forms.Select(attrs={"data-autocomplete": ""}),
        error_messages={
            "required": "Select a service from the directory",
            "invalid_choice": "Select a service from the directory",
        },
    )
    pathway = forms.TypedChoiceField(
        label="Pathway",
        coerce=int,
        help_text="The need this referral addresses; the service must offer it",
        error_messages={
            "required": "Select the pathway this referral addresses",
            "invalid_choice": "Select the pathway this referral addresses",
        },
    )
    what = forms.CharField(
        label="What the participant will do",
        help_text="For example, a 4-week drug awareness course",
        max_length=200,
        error_messages={
            "required": "Enter what the participant will do",
            "max_length": "What the participant will do must be 200 characters or fewer",
        },
    )
    frequency = forms.CharField(
        label="How often",
        help_text="For example, weekly",
        max_length=100,
        widget=sized_input("20", inputmode="text"),
        error_messages={
            "required": "Enter how often",
            "max_length": "How often must be 100 characters or fewer",
        },
    )
    required_sessions = forms.IntegerField(
        label="Sessions the participant must attend",
        widget=sized_input("3"),
        error_messages={
            "required": "Enter the number of sessions the participant must attend",
            "invalid": "Sessions must be a whole number, like 4",
        },
    )

    def __init__(self, *args, providers, pathways, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "Select a service")] + [
            (p.pk, _provider_label(p)) for p in providers
        ]
        self.fields["pathway"].choices = [("", "Select a pathway")] + [
            (p.pk, p.name) for p in pathways
        ]

    def clean_required_sessions(self):
        value = self.cleaned_data["required_sessions"]
        if not 1 <= value <= 100:
            raise forms.ValidationError("Sessions must be between 1 and 100")
        return value


_FLAGS = (("women only", "women_only"), ("veterans", "veteran_specific"))


def _provider_label(provider) -> str:
    flags = [flag for flag, on in _FLAGS if getattr(provider, on)]
    pathways = ", ".join(p.name for p in provider.pathways.all())
    label = f"{provider.name}: {pathways}"
    return f"{label} ({', '.join(flags)})" if flags else label


class CommunityForm(CaseForm):
    kind = forms.ChoiceField(
        label="Community condition",
        choices=CommunityKind.choices,
        widget=GovUKRadioSelect,
        error_messages={
            "required": "Select unpaid work or a GPS tag",
            "invalid_choice": "Select a community condition this scheme allows",
        },
    )
    hours_required = forms.IntegerField(
        label="Hours of unpaid work",
        required=False,
        widget=sized_input("3"),
        error_messages={"invalid": "Community hours must be a whole number, like 24"},
    )
    gps_starts_on = GovUKDateField(
        label="Date the GPS tag starts", what="the date the GPS tag starts", required=False
    )
    gps_ends_on = GovUKDateField(
        label="Date the GPS tag ends", what="the date the GPS tag ends", required=False
    )

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields[
            "hours_required"
        ].help_text = f"Between {scheme.hours_min} and {scheme.hours_max} hours"
        self.fields[
            "gps_ends_on"
        ].help_text = (
            f"At most {scheme.gps_tag_max_days} days after it starts. For example, 27 3 2026"
        )
        if not scheme.gps_tag_allowed:
            self.fields["kind"].choices = [(CommunityKind.HOURS, CommunityKind.HOURS.label)]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == CommunityKind.HOURS:
            self._clean_hours(cleaned.get("hours_required"))
        elif cleaned.get("kind") == CommunityKind.GPS_TAG:
            self._clean_gps(cleaned.get("gps_starts_on"), cleaned.get("gps_ends_on"))
        return cleaned

    def _clean_hours(self, hours) -> None:
        scheme = self.scheme
        if "hours_required" in self.errors:
            return
        if hours is None:
            self.add_error("hours_required", "Enter the number of community hours")
        elif not scheme.hours_min <= hours <= scheme.hours_max:
            self.add_error(
                "hours_required",
                f"Community hours must be between {scheme.hours_min} and {scheme.hours_max}",
            )

    def _clean_gps(self, starts_on, ends_on) -> None:
        if "gps_starts_on" not in self.errors and starts_on is None:
            self.add_error("gps_starts_on", "Enter the date the GPS tag starts")
        if "gps_ends_on" not in self.errors and ends_on is None:
            self.add_error("gps_ends_on", "Enter the date the GPS tag ends")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("gps_ends_on", "The GPS tag end date must be after the start date")


def scan_field(*, required: bool) -> forms.FileField:
    """The GOV.UK file upload for a scan of the signed consent form (``checkpoint.uploads``)."""
    return forms.FileField(
        label="Scan of the signed consent form" + ("" if required else " (optional)"),
        required=required,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
        ),
        error_messages={
            "required": "Select the scan of the signed consent form",
            "missing": "Select the scan of the signed consent form",
            "invalid": "Select the scan of the signed consent form",
            "empty": "The selected file is empty",
        },
    )


class ScanMixin(FormMixinBase):
    """Checks the scan by its bytes, size and name (``uploads.check_upload``); the service
    checks again. A refused file cannot be kept (browsers do not refill a file input), so the
    message asks for it again while every other value stays as typed."""

    def set_scan_hint(self) -> None:
        limit = uploads.format_limit(settings.CONSENT_UPLOAD_MAX_BYTES)
        self.fields[
            "scan"
        ].help_text = (
            f"A scan or photo of the whole signed form: a PDF, JPG or PNG smaller than {limit}"
        )

    def clean_scan(self):
        upload = self.cleaned_data.get("scan")
        if not upload:
            return None
        try:
            uploads.check_upload(upload, max_bytes=settings.CONSENT_UPLOAD_MAX_BYTES)
        except uploads.UploadRefused as err:
            raise forms.ValidationError(err.message) from None
        return upload


class ConsentForm(ScanMixin, CaseForm):
    method = forms.ChoiceField(
        label="How did the participant give their consent?",
        choices=ConsentMethod.choices,
        widget=GovUKRadioSelect,
        error_messages={"required": "Select how consent was given"},
    )
    given_on = GovUKDateField(label="Date consent was given", what="the date consent was given")
    scan = scan_field(required=False)

    def __init__(self, *args, today: date, signed_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if signed_required:
            self.fields["method"].help_text = "This scheme needs consent on a signed form"
        self.set_scan_hint()

    def clean_given_on(self):
        value = self.cleaned_data["given_on"]
        if value and value > self.today:
            raise forms.ValidationError("The date consent was given must be today or in the past")
        return value

    def clean(self):
        cleaned = super().clean()
        paper = cleaned.get("method") == ConsentMethod.PAPER_SIGNED
        if cleaned.get("scan") and cleaned.get("method") and not paper:
            self.add_error("scan", "Only upload a scan if consent was given on a signed paper form")
        return cleaned


class ConsentDocumentForm(ScanMixin, CaseForm):
    scan = scan_field(required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_scan_hint()


class SignForm(CaseForm):
    starts_on = GovUKDateField(
        label="Date the contract starts", what="the date the contract starts"
    )

    def __init__(self, *args, today: date, consent_given_on: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.consent_given_on = consent_given_on
        self.fields[
            "starts_on"
        ].help_text = (
            f"Today, or up to {MAX_START_AHEAD_DAYS} days ahead. For example, {today:%-d %-m %Y}"
        )

    def clean_starts_on(self):
        value = self.cleaned_data["starts_on"]
        if value and self.consent_given_on and value < self.consent_given_on:
            raise forms.ValidationError("The contract cannot start before consent was given")
        if value and value > self.today + timedelta(days=MAX_START_AHEAD_DAYS):
            raise forms.ValidationError(
                f"The start date must be within {MAX_START_AHEAD_DAYS} days from today"
            )
        return value
