"""Forms of the allocation and handover screens. Field names match the services'
``InvalidInput.field`` (``navigator``, ``reason``, ``cases``, ``assignments``).

Each navigator is offered with their workload beside their name, so the supervisor can see who
has room: ``navigators`` are the rows of ``selectors.allocation.allocation_navigators_for``.
"""

from __future__ import annotations

from django import forms

from checkpoint.text import display_name
from web.forms import (
    ConditionalRadiosMixin,
    GovUKCheckboxSelectMultiple,
    GovUKForm,
    GovUKRadioSelect,
)
from web.views import CaseForm

MAX_TEXT = 5000


def workload(navigator) -> str:
    """ "12 open cases: 9 under supervision, 1 appointment outcome overdue"."""
    n = navigator.open_cases
    text = f"{n} open case{'' if n == 1 else 's'}"
    details = [f"{navigator.supervised} under supervision"]
    if navigator.overdue:
        overdue = navigator.overdue
        details.append(f"{overdue} appointment outcome{'' if overdue == 1 else 's'} overdue")
    if navigator.open_events:
        events = navigator.open_events
        details.append(f"{events} open compliance event{'' if events == 1 else 's'}")
    return f"{text}: {', '.join(details)}"


class RadiosWithHints(GovUKRadioSelect):
    """GOV.UK radios with a hint under each option (the navigator's workload)."""

    template_name = "supervisors/allocation_radios.html"

    def __init__(self, *args, hints: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(str(value), "")
        return option


def _reason(label: str, hint: str, *, required: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=bool(required),
        max_length=MAX_TEXT,
        widget=forms.Textarea({"rows": 3}),
        error_messages={
            "required": required,
            "max_length": f"The reason must be {MAX_TEXT:,} characters or fewer",
        },
    )


def _navigator_field(navigators, *, team_name: str, label: str, current_id=None):
    hints = {}
    for navigator in navigators:
        hint = workload(navigator)
        if navigator.pk == current_id:
            hint += " (has the case now)"
        hints[str(navigator.pk)] = hint
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[(str(n.pk), display_name(n)) for n in navigators],
        widget=RadiosWithHints(hints=hints),
        error_messages={
            "required": "Select the navigator to allocate to",
            "invalid_choice": f"Choose a navigator of the {team_name} team",
        },
    )


REASON_HINT = "Kept in the case's history. For example, 'Covering Sam's caseload while on leave'"


class AllocationFieldsMixin:
    """The navigator to allocate to and the reason, for one case or several; the reason is
    asked for when a case already has a navigator (``services.case_allocate`` requires it)."""

    fields: dict

    def add_allocation_fields(
        self, navigators, *, team_name: str, reallocating: bool, current_id=None
    ) -> None:
        self.fields["navigator"] = _navigator_field(
            navigators,
            team_name=team_name,
            label="Who should the case go to?" if current_id is not None else "Allocate to",
            current_id=current_id,
        )
        if reallocating:
            self.fields["reason"] = _reason("Why are you reallocating?", REASON_HINT)
        else:
            self.fields["reason"] = _reason("Note for the case history (optional)", REASON_HINT)


class AllocationForm(AllocationFieldsMixin, GovUKForm):
    """Several of the team's cases (their references, carried from the page that chose them)."""

    cases = forms.MultipleChoiceField(
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": "Select at least one case",
            "invalid_choice": "A case you selected can no longer be allocated: select again",
        },
    )

    def __init__(self, *args, cases=(), navigators=(), team_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(c.reference, c.reference) for c in cases]
        reallocating = any(c.navigator_id for c in cases)
        self.add_allocation_fields(navigators, team_name=team_name, reallocating=reallocating)

    def add_error(self, field, error):
        # The cases are hidden fields: their errors are shown above the form.
        super().add_error(None if field == "cases" else field, error)


class CaseAllocationForm(AllocationFieldsMixin, CaseForm):
    """One case, from its own page."""

    def __init__(self, *args, navigators=(), team_name: str = "", current_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_allocation_fields(
            navigators,
            team_name=team_name,
            reallocating=current_id is not None,
            current_id=current_id,
        )


class HandoverChooseForm(GovUKForm):
    """Whose caseload is handed over (a GET form: choosing changes nothing)."""

    navigator = forms.TypedChoiceField(
        label="Whose caseload are you handing over?",
        coerce=int,
        error_messages={
            "required": "Select the navigator whose caseload you are handing over",
            "invalid_choice": "Select a navigator of your team from the list",
        },
    )

    def __init__(self, *args, navigators=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["navigator"]
        field.widget = RadiosWithHints(hints={str(n.pk): workload(n) for n in navigators})
        field.choices = [(str(n.pk), display_name(n)) for n in navigators]  # to the widget too


class HandoverForm(ConditionalRadiosMixin, GovUKForm):
    """How a leaving navigator's open cases are handed on: all to one navigator, or shared
    between several (each case to whoever has fewest open cases: ``checkpoint.handover``)."""

    ONE, SHARE = "one", "share"
    radio_field = "mode"
    reveals = {ONE: ("to",), SHARE: ("share",)}

    navigator = forms.IntegerField(widget=forms.HiddenInput)
    mode = forms.ChoiceField(
        label="How should the cases be handed over?",
        choices=[
            (ONE, "All to one navigator"),
            (SHARE, "Shared between several navigators, evening out their workloads"),
        ],
        widget=GovUKRadioSelect,
        error_messages={
            "required": "Select how the cases should be handed over",
            "invalid_choice": "Select how the cases should be handed over",
        },
    )
    to = forms.TypedChoiceField(
        label="Navigator who takes every case",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Select a navigator of your team from the list"},
    )
    share = forms.TypedMultipleChoiceField(
        label="Navigators who share the cases",
        help_text="Each case goes to whoever of them has the fewest open cases at that point",
        coerce=int,
        required=False,
        widget=GovUKCheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select navigators of your team from the list"},
    )
    reason = _reason(
        "Why is the caseload handed over?",
        "Kept in the history of every case that moves. For example, 'Leaving the team'",
        required="Enter why the caseload is handed over",
    )
    # The open cases the supervisor was shown, to notice a caseload that changed meanwhile.
    expected = forms.CharField(required=False, widget=forms.HiddenInput, max_length=100_000)

    def __init__(self, *args, navigators=(), leaving=None, **kwargs):
        super().__init__(*args, **kwargs)
        others = [n for n in navigators if leaving is None or n.pk != leaving.pk]
        labels = [(str(n.pk), f"{display_name(n)} ({workload(n).split(':')[0]})") for n in others]
        self.fields["to"].choices = [("", "Select a navigator"), *labels]
        self.fields["share"].choices = labels

    def clean(self):
        data = super().clean()
        if data.get("mode") == self.ONE and not data.get("to") and "to" not in self.errors:
            self.add_error("to", "Select the navigator who takes every case")
        if data.get("mode") == self.SHARE and not data.get("share") and "share" not in self.errors:
            self.add_error("share", "Select the navigators who share the cases")
        return data

    def receivers(self) -> list[int]:
        data = self.cleaned_data
        return [data["to"]] if data["mode"] == self.ONE else list(data["share"])
