"""Small display helpers for templates: state tags, deadlines, dates, people."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from checkpoint.conditions import ConditionState
from checkpoint.deadlines import DeadlineStatus
from checkpoint.models import CaseState, NeedLevel
from checkpoint.text import format_hours
from web.templatetags.components import render_tag

register = template.Library()

# Tag colours (GOV.UK tag modifiers): the tag markup itself is components/tag.html.
STATE_COLOURS: dict[str, str] = {
    CaseState.ASSESSMENT: "light-blue",
    CaseState.INELIGIBLE: "grey",
    CaseState.ELIGIBLE: "light-blue",
    CaseState.OFFERED: "light-blue",
    CaseState.DECLINED: "grey",
    CaseState.ACCEPTED: "purple",
    CaseState.ACTIVE: "green",
    CaseState.BREACH_REVIEW: "red",
    CaseState.COMPLETION_REVIEW: "yellow",
    CaseState.WITHDRAWN: "grey",
    CaseState.TERMINATED: "orange",
    CaseState.EXITED_NO_CONVICTION: "teal",
    CaseState.PROSECUTION_REFERRED: "pink",
}
NEED_COLOURS: dict[str, str] = {
    NeedLevel.HIGH: "red",
    NeedLevel.MEDIUM: "orange",
    NeedLevel.LOW: "yellow",
}
CONDITION_COLOURS: dict[str, str] = {ConditionState.MET: "green", ConditionState.NOT_MET: "red"}


@register.simple_tag
def state_tag(state: str):
    """The case state as a GOV.UK tag, coloured by what it asks of the user."""
    return render_tag(CaseState(state).label, STATE_COLOURS.get(state, ""))


@register.filter
def need_colour(level: str) -> str:
    """The tag colour of a need level in a needs assessment: grey when none was found."""
    return NEED_COLOURS.get(level, "grey")


@register.filter
def condition_colour(state: str) -> str:
    """The tag colour of a contract condition's state at review: yellow while not yet met."""
    return CONDITION_COLOURS.get(state, "yellow")


@register.simple_tag
def deadline(status: DeadlineStatus | None):
    """A prosecution deadline (``checkpoint.deadlines``) with a warning tag when it is inside
    the scheme's warning window, or time-barred once passed."""
    if status is None or status.deadline is None:
        # A constant string: nothing from the user or the database reaches mark_safe.
        return mark_safe('<span class="govuk-body-s">No statutory time limit</span>')  # nosec B308
    text = f"{status.deadline:%-d %b %Y}"
    if status.time_barred:
        return format_html("{} {}", text, render_tag("Passed: time-barred", "red"))
    if status.near:
        noun = "day" if status.days_left == 1 else "days"
        return format_html("{} {}", text, render_tag(f"{status.days_left} {noun} left", "orange"))
    return text


@register.filter
def hours(value) -> str:
    """Decimal hours without trailing zeros: 4.50 -> 4.5, 6.00 -> 6.

    Nothing to show (None, or "" from a missing variable such as an unsigned contract's
    progress) is 0 hours, not a 500 on the case page."""
    return format_hours(value)
