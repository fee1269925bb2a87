"""Moving between weeks on the diary pages (a navigator's diary, the team's week): the week an
address asks for and the links to the weeks either side."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.urls import reverse

from checkpoint.selectors.diary import week_start


class WeekForm(forms.Form):
    week = forms.DateField(required=False, input_formats=["%Y-%m-%d"])


def week_asked(request) -> date | None:
    """The week the address asks for (any day of it, ``?week=2026-12-07``), or None for this
    week (also when the date cannot be read)."""
    form = WeekForm(request.GET)
    return form.cleaned_data["week"] if form.is_valid() else None


def week_links(start: date, today: date, url_name: str) -> dict[str, str]:
    """The previous and next weeks' addresses, and this week's when another is shown."""
    base = reverse(url_name)
    return {
        "previous_url": f"{base}?week={start - timedelta(days=7):%Y-%m-%d}",
        "next_url": f"{base}?week={start + timedelta(days=7):%Y-%m-%d}",
        "this_week_url": base if week_start(today) != start else "",
    }
