"""Journey (e), in a real browser: a summary-only case nearing its statutory deadline raises
escalating alerts.

A harassment, alarm or distress offence (Public Order Act 1986 s.5, summary only) committed on
3 December 2025 must be charged by 3 June 2026 (Magistrates' Courts Act 1980 s.127). The case
goes into a contract on 2 March 2026 and is still running when the deadline nears. The hourly
deadline watch runs at 29, 28, 14 and 7 days before it; the outbox worker then delivers its
emails through the fake GOV.UK Notify gateway. From 28 days the navigator and the supervisor
each get one email per threshold, and the supervisor's dashboard lists the case under the
deadlines at risk with the days left. Each step is a screenshot in
test-artifacts/screenshots/test_summary_only_case_raises_deadline_alerts/.

The case is made through the services the custody and contract screens call (journeys (c)
and (d) drive those screens); what this journey proves is the scheduled work and what staff
then see. The clock is moved with time_machine, for the reasons given in
test_journey_completion.py; the case is built at the moved time too, so its history is dated
2 March 2026.
"""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from checkpoint.models import DeadlineAlert
from notifications.models import FakeDelivery, Message
from tests import factories
from tests.browser.steps import (
    at,
    deliver_the_outbox,
    run_the_deadline_watch,
    sign_in_as,
    sign_out,
    summary_row,
)

STARTS_ON = date(2026, 3, 2)
COMMITTED_ON = date(2025, 12, 3)  # within the scheme's three months of 2 March
DEADLINE = date(2026, 6, 3)


def delivered(reference: str) -> list[tuple[str, str]]:
    return sorted(
        FakeDelivery.objects.filter(subject__endswith=reference).values_list("recipient", "subject")
    )


def supervisor_sees_the_deadline(page, person: str, days_left: int | None) -> None:
    sign_in_as(page, "sup-browser", "**/team/")
    at_risk = page.get_by_role("heading", name="Prosecution deadlines near or passed")
    if days_left is None:
        expect(at_risk).to_have_text("Prosecution deadlines near or passed (0)")
        page.shots(page, "sup dashboard 29 days before")
    else:
        expect(at_risk).to_have_text("Prosecution deadlines near or passed (1)")
        row = at_risk.locator("+ .app-table-scroll table").get_by_role("row", name=person)
        expect(row).to_contain_text(f"{DEADLINE:%-d %b %Y} {days_left} days left")
        page.shots(page, f"sup dashboard {days_left} days before")
    sign_out(page)


def navigator_sees_the_case(page, person: str, days_left: int) -> None:
    sign_in_as(page, "nav-browser", "**/caseload/")
    expect(page.get_by_role("row", name=person)).to_contain_text(f"{days_left} days left")
    page.shots(page, f"nav caseload {days_left} days before")
    page.get_by_role("link", name=person).click()
    expect(summary_row(page, "Prosecution deadline")).to_contain_text(
        f"{DEADLINE:%-d %b %Y} {days_left} days left"
    )
    page.shots(page, f"nav case page {days_left} days before")
    sign_out(page)


def test_summary_only_case_raises_deadline_alerts(page, people):
    nav, sup = people["navigator"], people["supervisor"]
    with time_machine.travel(at(STARTS_ON, 9), tick=True) as clock:
        case = factories.active_case(
            dm=people["dm"],
            team=people["team"],
            navigator=nav,
            now=timezone.now(),
            offences=[factories.offence("PO-S5", committed_on=COMMITTED_ON)],
        )
        assert case.prosecution_deadline == DEADLINE
        person, reference = case.person.full_name, case.reference

        # 29 days before: nothing yet.
        clock.move_to(at(DEADLINE - timedelta(days=29), 8, 15))
        assert run_the_deadline_watch().findings == 0
        deliver_the_outbox()
        assert delivered(reference) == []
        supervisor_sees_the_deadline(page, person, None)

        for days in (28, 14, 7):
            clock.move_to(at(DEADLINE - timedelta(days=days), 8, 15))
            assert run_the_deadline_watch().findings == 1
            deliver_the_outbox()
            subject = f"Prosecution deadline in {days} days: {reference}"
            assert [d for d in delivered(reference) if d[1] == subject] == sorted(
                [(nav.email, subject), (sup.email, subject)]
            )
            supervisor_sees_the_deadline(page, person, days)
        navigator_sees_the_case(page, person, 7)

        # The watch runs hourly: an hour later it raises and sends nothing more.
        clock.shift(timedelta(hours=1))
        assert run_the_deadline_watch().findings == 0
        deliver_the_outbox()

    assert sorted(DeadlineAlert.objects.values_list("threshold_days", "days_left")) == [
        (7, 7),
        (14, 14),
        (28, 28),
    ]
    assert len(delivered(reference)) == 6  # three thresholds, two people, once each
    body = FakeDelivery.objects.filter(recipient=nav.email).latest("sent_at").body
    assert "must be charged by 3 June 2026 (Magistrates' Courts Act 1980, s.127)" in body
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
