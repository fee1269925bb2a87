"""Forms for the decision maker's custody screens: assess, override, decide, offer.

The form that opens a case is in ``custody_open``; the helpers here are shared with it.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from checkpoint.models import Admission, CaseState, RiskBand
from checkpoint.text import display_name
from web.forms import (
    ConditionalRadiosMixin,
    FormMixinBase,
    GovUKForm,
    GovUKRadioSelect,
    raise_refusal,
)
from web.search import CaseSearchField
from web.views import CaseForm

YES_NO = [("yes", "Yes"), ("no", "No")]
MAX_TEXT = 2000


def yes_no(label: str, required: str, **kwargs) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=GovUKRadioSelect(inline=True),
        error_messages={"required": required},
        **kwargs,
    )


def radios(label: str, choices, required: str, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=GovUKRadioSelect,
        error_messages={"required": required, "invalid_choice": required},
        **kwargs,
    )


def text(label: str, *, max_length: int, required: str | None = None, **kwargs):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required is not None,
        error_messages={
            "required": required or "",
            "max_length": f"{label.removesuffix(' (optional)')} must be "
            f"{max_length:,} characters or fewer",
        },
        **kwargs,
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return display_name(obj)


class ServiceErrorsMixin(FormMixinBase):
    """Puts a service's error on the form field it belongs to (``aliases`` renames fields)."""

    aliases: dict[str | None, str] = {}  # service error field -> form field
    blocker_field: str | None = None  # where a guard's list of problems is shown

    def add_service_error(self, err) -> None:
        raise_refusal(err)
        field = getattr(err, "field", None)
        field = self.aliases.get(field, field)
        if err.problems and self.blocker_field:
            field = self.blocker_field
        self.add_error(field if field in self.fields else None, err.message)
        for problem in err.problems:
            self.add_error(field if field in self.fields else None, problem)

    def add_model_errors(self, err: ValidationError) -> None:
        """A model's ``full_clean`` errors, on the matching fields or the whole form."""
        for name, messages in err.message_dict.items():
            name = self.aliases.get(name, name)
            target = name if name in self.fields and name != NON_FIELD_ERRORS else None
            for message in messages:
                self.add_error(target, message)


class CustodyFilterForm(GovUKForm):
    q = CaseSearchField()
    state = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[("", "All custody stages")]
        + [
            (s.value, s.label)
            for s in (CaseState.ASSESSMENT, CaseState.ELIGIBLE, CaseState.OFFERED)
        ],
    )


class AssessmentForm(ServiceErrorsMixin, CaseForm):
    """The facts the eligibility policy is applied to."""

    evidential_test_met = yes_no(
        "Is the evidential test met?",
        "Select whether the evidential test is met",
        help_text="There is enough evidence to charge",
    )
    admission = radios(
        "Did the person admit the offence?",
        Admission.choices,
        "Select whether the person admitted the offence",
    )
    previous_convictions = forms.IntegerField(
        label="Number of previous convictions",
        min_value=0,
        max_value=999,
        help_text="Enter 0 if there are none",
        widget=forms.TextInput({"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of previous convictions, or 0 if there are none",
            "invalid": "Previous convictions must be a whole number, like 2",
            "min_value": "Previous convictions cannot be negative",
            "max_value": "Previous convictions must be 999 or fewer",
        },
    )
    custodial_sentence_likely = yes_no(
        "Is a custodial sentence likely on conviction?",
        "Select whether a custodial sentence is likely",
    )
    risk_band = radios(
        "Risk of reoffending", RiskBand.choices, "Select the risk of reoffending band"
    )
    risk_source = text(
        "Where did the risk band come from?",
        max_length=200,
        required="Enter where the risk band came from",
        help_text="For example, the custody risk tool reviewed by you, or officer judgement",
    )
    risk_tool_score = forms.DecimalField(
        label="Risk tool score (optional)",
        required=False,
        max_digits=6,
        decimal_places=2,
        min_value=0,
        help_text="Advisory only: the decision is yours",
        widget=forms.TextInput({"inputmode": "decimal", "class": "govuk-input--width-5"}),
        error_messages={
            "invalid": "Risk tool score must be a number, like 12.5",
            "max_digits": "Risk tool score must be less than 10,000",
            "max_whole_digits": "Risk tool score must be less than 10,000",
            "max_decimal_places": "Risk tool score must have no more than 2 decimal places",
            "min_value": "Risk tool score cannot be negative",
        },
    )
    dpp_consent = yes_no(
        "Has the Director of Public Prosecutions consented?",
        "Select whether the DPP has consented",
        help_text="An indictable-only offence needs the DPP's consent for a statutory "
        "diversionary caution",
    )

    def __init__(self, *args, needs_dpp: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_dpp:
            del self.fields["dpp_consent"]  # only meaningful for an indictable-only offence

    def facts(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("lock_version", "opened_at"):
            data.pop(name)
        data.setdefault("dpp_consent", None)
        return data


class OverrideForm(ServiceErrorsMixin, CaseForm):
    """Override one failed rule, with the justification the record keeps."""

    aliases = {"code": "justification"}
    rule_code: str  # the rule this form overrides, set by the view

    justification = forms.CharField(
        label="Why should this rule be overridden?",
        max_length=MAX_TEXT,
        widget=forms.Textarea({"rows": 4}),
        error_messages={
            "required": "Explain why the rule should be overridden",
            "max_length": f"The justification must be {MAX_TEXT:,} characters or fewer",
        },
    )

    def __init__(self, *args, rule_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["justification"].label = f"Why should '{rule_label}' be overridden?"
        self.fields[
            "justification"
        ].help_text = (
            "At least 20 characters. This is kept with the assessment and shown to reviewers."
        )


class DecisionForm(ConditionalRadiosMixin, ServiceErrorsMixin, CaseForm):
    """The decision maker's decision on the latest assessment."""

    blocker_field = "decision"
    radio_field = "decision"
    reveals = {"ineligible": ("reason",)}

    decision = radios(
        "Is the person eligible?",
        [("eligible", "Eligible"), ("ineligible", "Not eligible")],
        "Select whether the person is eligible",
    )
    reason = forms.CharField(
        label="Why is the person not eligible?",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea({"rows": 3}),
        help_text="Required when every rule passed but you find the person not eligible",
        error_messages={"max_length": f"The reason must be {MAX_TEXT:,} characters or fewer"},
    )


class OfferForm(CaseForm):
    """Records that the scheme was offered: nothing to type, the button is the record."""

    step = forms.CharField(widget=forms.HiddenInput, initial="offer", max_length=20)


class AnswerForm(ConditionalRadiosMixin, ServiceErrorsMixin, CaseForm):
    """The person's answer to the offer."""

    radio_field = "answer"
    reveals = {"accepted": ("navigator",), "declined": ("reason",)}

    step = forms.CharField(widget=forms.HiddenInput, initial="answer", max_length=20)
    answer = radios(
        "What did the person decide?",
        [("accepted", "Accepted: they agree to take part"), ("declined", "Declined")],
        "Select whether the person accepted or declined the offer",
    )
    navigator = StaffChoiceField(
        label="Allocate a navigator (optional)",
        queryset=None,
        required=False,
        empty_label="Leave for the team's supervisor to allocate",
        error_messages={"invalid_choice": "Select a navigator from the list"},
    )
    reason = forms.CharField(
        label="The reason they gave",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea({"rows": 3}),
        error_messages={"max_length": f"The reason must be {MAX_TEXT:,} characters or fewer"},
    )

    def __init__(self, *args, navigators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["navigator"].queryset = navigators

    def clean(self):
        data = super().clean()
        if data.get("answer") == "declined" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason the person gave for declining")
        return data
