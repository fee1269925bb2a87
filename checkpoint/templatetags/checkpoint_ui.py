"""Small display helpers for templates: state tags, deadlines, dates, people."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from checkpoint.models import CaseState

register = template.Library()

STATE_COLOURS = {
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
def deadline(value, days_left, soon: bool):
    """A prosecution deadline with a warning tag when it is close or past."""
    if value is None:
        # A constant string: nothing from the user or the database reaches mark_safe.
        return mark_safe('<span class="govuk-body-s">No statutory time limit</span>')  # nosec B308
    text = f"{value:%-d %b %Y}"
    if days_left is not None and days_left < 0:
        return format_html('{} <strong class="govuk-tag govuk-tag--red">Passed</strong>', text)
    if soon:
        noun = "day" if days_left == 1 else "days"
        return format_html(
            '{} <strong class="govuk-tag govuk-tag--orange">{} {} left</strong>',
            text,
            days_left,
            noun,
        )
    return text


@register.filter
def hours(value) -> str:
    """Decimal hours without trailing zeros: 4.50 -> 4.5, 6.00 -> 6.

    Nothing to show (None, or "" from a missing variable such as an unsigned contract's
    progress) is 0 hours, not a 500 on the case page."""
    if value is None or value == "":
        return "0"
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(value.to_integral_value())
    return format(value.normalize(), "f")
