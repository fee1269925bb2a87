"""Dates read the GOV.UK way everywhere people see them: "3 December 2026", never
"03 December" or "2026-07-30" (issue 16, point 10). Key pages are rendered with dates whose
day has one digit and their visible text is searched for ISO dates and zero-padded days."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from checkpoint import dates, services
from checkpoint.actors import SYSTEM
from checkpoint.services.digest import staff_digest
from notifications.models import Message
from notifications.rendering import render
from tests import factories

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 6, 9, 0, tzinfo=dates.LONDON)  # the case's dates: 1-9 of the month
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PADDED_DAY = re.compile(rf"\b0\d (?:{MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def visible(html: str) -> str:
    """The text a reader sees: no tags, scripts, styles or attribute values."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_govuk_dates(text: str, where: str) -> None:
    assert not ISO_DATE.findall(text), (where, ISO_DATE.findall(text))
    assert not PADDED_DAY.findall(text), (where, PADDED_DAY.findall(text))


@pytest.fixture
def case(dm, team, navigator):
    offence = factories.offence("PO-S5", committed_on=date(2026, 2, 1))  # s.127: 1 August
    case = factories.active_case(dm=dm, team=team, navigator=navigator, offences=[offence])
    services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=datetime(2026, 3, 9, 10, tzinfo=dates.LONDON),
        location="Aykley Heads",
        now=factories.NOW,
    )
    services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=date(2026, 3, 3),
        hours=Decimal(3),
        activity="Food bank",
        now=factories.NOW + timedelta(days=1),
    )
    return case


def test_the_pages_people_read_show_govuk_dates(client, case, navigator, supervisor, dm):
    reference = case.reference
    pages = {
        navigator: [
            reverse("navigators:caseload"),
            reverse("navigators:case", args=[reference]),
            reverse("navigators:case-history", args=[reference]),
            reverse("navigators:needs", args=[reference]),
            reverse("navigators:diary"),
        ],
        supervisor: [reverse("supervisors:dashboard"), reverse("supervisors:team-cases")],
        dm: [
            reverse("custody:list"),
            reverse("custody:assessment-result", args=[reference]),
        ],
    }
    seen: dict[str, str] = {}
    with time_machine.travel(NOW, tick=False):
        for user, urls in pages.items():
            client.force_login(user)
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, url
                text = visible(response.content.decode())
                assert_govuk_dates(text, url)
                seen[url] = text
    case_page = seen[reverse("navigators:case", args=[reference])]
    assert "1 February 2026" in case_page and "2 March 2026" in case_page  # dates are shown


def test_the_morning_digest_shows_deadlines_as_govuk_dates(case, navigator):
    navigator.email = "nav@example.org"
    navigator.save()
    staff_digest(by=SYSTEM, now=datetime(2026, 7, 6, 7, tzinfo=dates.LONDON))  # 26 days left
    message = Message.objects.get(template="staff_digest", user=navigator)
    _subject, body = render(message.template, message.context)
    assert "1 August 2026" in body
    assert_govuk_dates(body, "staff digest")
