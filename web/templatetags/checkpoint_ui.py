"""Small display helpers for templates: state tags, deadlines, dates, people."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from checkpoint.deadlines import DeadlineStatus
from checkpoint.models import CaseState
from checkpoint.text import format_hours

register = template.Library()

STATE_COLOURS: dict[str, str] = {
    CaseState.ASSESSMENT: "govuk-tag--light-blue",
    CaseState.INELIGIBLE: "govuk-tag--grey",
    CaseState.ELIGIBLE: "govuk-tag--light-blue",
    CaseState.OFFERED: "govuk-tag--light-blue",
    CaseState.DECLINED: "govuk-tag--grey",
    CaseState.ACCEPTED: "govuk-tag--purple",
    CaseState.ACTIVE: "govuk-tag--green",
    CaseState.BREACH_REVIEW: "govuk-tag--red",
    CaseState.COMPLETION_REVIEW: "govuk-tag--yellow",
    CaseState.WITHDRAWN: "govuk-tag--grey",
    CaseState.TERMINATED: "govuk-tag--orange",
    CaseState.EXITED_NO_CONVICTION: "govuk-tag--teal",
    CaseState.PROSECUTION_REFERRED: "govuk-tag--pink",
}


@register.simple_tag
def state_tag(state: str):
    """The case state as a GOV.UK tag, coloured by what it asks of the user."""
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATE_COLOURS.get(state, ""),
        CaseState(state).label,
    )


@register.simple_tag
def deadline(status: DeadlineStatus | None):
    """A prosecution deadline (``checkpoint.deadlines``) with a warning tag when it is inside
    the scheme's warning window, or time-barred once passed."""
    if status is None or status.deadline is None:
        # A constant string: nothing from the user or the database reaches mark_safe.
        return mark_safe('<span class="govuk-body-s">No statutory time limit</span>')  # nosec B308
    text = f"{status.deadline:%-d %b %Y}"
    if status.time_barred:
        return format_html(
            '{} <strong class="govuk-tag govuk-tag--red">Passed: time-barred</strong>', text
        )
    if status.near:
        noun = "day" if status.days_left == 1 else "days"
        return format_html(
            '{} <strong class="govuk-tag govuk-tag--orange">{} {} left</strong>',
            text,
            status.days_left,
            noun,
        )
    return text


@register.filter
def hours(value) -> str:
    """Decimal hours without trailing zeros: 4.50 -> 4.5, 6.00 -> 6.

    Nothing to show (None, or "" from a missing variable such as an unsigned contract's
    progress) is 0 hours, not a 500 on the case page."""
    return format_hours(value)
