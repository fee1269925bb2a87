"""Compliance that closes and re-arrest detection in a real browser (issue 16 points 4, 6, 8).

Custody opens a case for "Siobhan Ni Bhriain", born the same day as Siobhán Ní Bhriain, who is
on a contract: the decision maker is told the navigator has been alerted. The navigator sees
the possible re-arrest on the case page, tries to save without an answer and to dismiss without
a reason, then confirms it (a new offence is recorded; Back and saving again records nothing
more). They resolve a compliance event (refused without an explanation), withdraw another,
do the task for staff the scheduled check found, and raise a new event: the page says what
happens next. The supervisor's breach review lists the participant's own non-compliance only,
and a booked appointment as booked; after the decision the page says what happens next.

Every page shown is checked with axe-core (``page.shots``); with ``SCREENSHOT_DIR`` the main
screens are also saved there at 1280 and 375 px wide; at 375 px no page scrolls sideways.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from checkpoint import dates, services
from checkpoint.actors import SYSTEM
from checkpoint.models import (
    Appointment,
    ComplianceKind,
    EventStatus,
    MatchStatus,
    NewOffenceReport,
    RearrestMatch,
)
from checkpoint.services.compliance import record_event
from tests import factories
from tests.browser.steps import (
    THEFT_FROM_A_SHOP,
    choose,
    fill_date,
    go_back,
    pick,
    sign_in_as,
    sign_out,
)
from tests.supervisors.helpers import live_case

NOTES = os.environ.get("SCREENSHOT_DIR", "")
BORN = date(1990, 6, 15)


def wide_and_narrow(page, name: str) -> None:
    """A numbered shot (checked with axe-core); at 375 px the page does not scroll sideways;
    with ``SCREENSHOT_DIR`` the page is saved at 1280 and 375 px wide."""
    page.shots(page, name)
    page.set_viewport_size({"width": 375, "height": 900})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{name}: {width} px wide at 375"
    if NOTES:
        page.screenshot(path=str(Path(NOTES) / f"comp-{name}-375.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(Path(NOTES) / f"comp-{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def the_case_on_a_contract(people):
    """Siobhán Ní Bhriain on a contract, with two compliance events, a task for staff (an
    appointment three days ago with no outcome) and an appointment booked for next week."""
    navigator = people["navigator"]
    navigator.first_name, navigator.last_name = "Liam", "O'Shea"
    navigator.save()
    person = factories.PersonFactory(
        given_name="Siobhán", family_name="Ní Bhriain", date_of_birth=BORN, pnc_id=""
    )
    case = live_case(
        dm=people["dm"], team=people["team"], navigator=navigator, person=person, days_ago=10
    )
    today = timezone.localdate()
    for detail in ("Did not answer three calls", "Raised on the wrong day"):
        services.compliance_event_raise(
            case_id=case.pk, by=navigator, kind="other", occurred_on=today, detail=detail
        )
    past = timezone.now() - timedelta(days=3)
    missed = Appointment.objects.create(
        case=case, kind="navigator", starts_at=past, created_by=navigator
    )
    record_event(
        case,
        ComplianceKind.MISSED_APPOINTMENT,
        occurred_on=dates.local_date(past),
        detail="No outcome recorded for the appointment",
        by=SYSTEM,
        at=timezone.now(),
        dedupe_key=f"missed:appointment:{missed.pk}",
    )
    services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=timezone.now() + timedelta(days=7),
    )
    return case


def custody_opens_a_case_for_the_same_name(page) -> None:
    sign_in_as(page, "dm-browser", "**/custody/")
    page.get_by_role("button", name="Open a new case").click()
    page.get_by_label("Given name").fill("Siobhan")
    page.get_by_label("Family name").fill("Ni Bhriain")
    fill_date(page, "Date of birth", BORN)
    choose(page, "Sex", "Female")
    page.get_by_label("Ethnicity").select_option(
        label="English, Welsh, Scottish, Northern Irish or British"
    )
    choose(page, "Has the person served in the armed forces?", "No")
    today = timezone.localdate()
    page.get_by_label("Custody reference").fill("DU/077777/26")
    fill_date(page, "Date of arrest", today - timedelta(days=1))
    page.get_by_label("Time of arrest").fill("18:45")
    pick(page, "Offence", THEFT_FROM_A_SHOP.typed, THEFT_FROM_A_SHOP.option)
    fill_date(page, "Date of the offence", today - timedelta(days=2))
    choose(page, "Is there an identifiable victim?", "Yes")
    page.get_by_label("Navigator team").select_option(label="Browser Team")
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url("**/assessment/")
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "This person may be on an active Checkpoint contract (same name and date of birth): "
        "their navigator and the team's supervisors have been alerted to check."
    )
    wide_and_narrow(page, "custody-case-opened")
    sign_out(page)


def navigator_confirms_the_re_arrest(page, case) -> None:
    sign_in_as(page, "nav-browser", "**/caseload/")
    page.goto(f"/cases/{case.reference}/")
    alert = page.get_by_role("region", name="Important").filter(has_text="Possible re-arrest")
    expect(alert).to_contain_text("matched on name and date of birth")
    wide_and_narrow(page, "case-page-re-arrest")
    alert.get_by_role("link", name="Confirm or dismiss").click()
    page.get_by_role("heading", name="Is this your participant?").wait_for()
    wide_and_narrow(page, "re-arrest")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Select yes if the person arrested is your participant"
    )
    choose(page, "Is the person arrested your participant?", "No, it is not the same person")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why it is not the same person")
    wide_and_narrow(page, "re-arrest-error")
    choose(
        page,
        "Is the person arrested your participant?",
        "Yes, it is the same person: record a new offence on this case",
    )
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    expect(page.get_by_role("alert", name="Success")).to_contain_text("New offence recorded")
    expect(page.get_by_role("region", name="What happens next")).to_contain_text(
        "Refer for breach review"
    )
    wide_and_narrow(page, "re-arrest-confirmed")
    # Back to the form and save again: nothing more is recorded.
    go_back(page)
    page.wait_for_load_state()
    if page.get_by_role("button", name="Save").count():
        page.get_by_role("button", name="Save").click()
    assert NewOffenceReport.objects.filter(case=case).count() == 1
    assert RearrestMatch.objects.get(active_case=case).status == MatchStatus.CONFIRMED


def navigator_closes_events_and_does_the_task(page, case) -> None:
    page.goto(f"/cases/{case.reference}/")
    compliance = page.locator("ul.app-compliance-list")
    compliance.locator("li", has_text="Did not answer three calls").get_by_role(
        "link", name="Resolve"
    ).click()
    page.get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter how it was resolved")
    wide_and_narrow(page, "resolve-error")
    page.get_by_label("How was it resolved?").fill(
        "Her phone was stolen on Monday; the crime reference is on file"
    )
    page.get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("resolved: explained")
    compliance.locator("li", has_text="Raised on the wrong day").get_by_role(
        "link", name="Withdraw"
    ).click()
    page.get_by_label("Why is it withdrawn?").fill("Raised on the wrong day: it was a Sunday")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("withdrawn")
    expect(compliance).to_contain_text("Resolved (explained) by Liam O'Shea")
    expect(compliance).to_contain_text("Withdrawn by Liam O'Shea")
    expect(compliance).not_to_contain_text("Appointment outcome overdue")
    wide_and_narrow(page, "case-page-compliance")
    page.get_by_role("link", name="Record the appointment's outcome").click()
    choose(page, "What happened?", "Attended")
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text("Outcome recorded")
    expect(page.locator("#staff-tasks ~ ul").first).to_contain_text("No tasks to do.")
    # The new offence stays open (it goes to the breach review); the rest are closed.
    events = case.compliance_events.exclude(kind=ComplianceKind.NEW_OFFENCE)
    assert {e.status for e in events} == {EventStatus.RESOLVED, EventStatus.WITHDRAWN}


def navigator_raises_an_event_and_refers(page, case) -> None:
    page.goto(f"/cases/{case.reference}/compliance/new/")
    choose(page, "What kind of non-compliance?", "Unacceptable absence")
    fill_date(page, "Date it happened", timezone.localdate())
    page.get_by_label("What happened").fill("Did not come to the placement")
    page.get_by_role("button", name="Raise compliance event").click()
    expect(page.get_by_role("region", name="What happens next")).to_contain_text("Issue a warning")
    wide_and_narrow(page, "event-raised")
    page.goto(f"/cases/{case.reference}/breach-referral/")
    page.get_by_label("Your recommendation to the supervisor").fill(
        "Re-arrested and absent: please review"
    )
    page.get_by_role("button", name="Refer to a supervisor").click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    sign_out(page)


def supervisor_reviews_the_breach(page, case) -> None:
    sign_in_as(page, "sup-browser", "**/team/")
    page.goto(f"/team/cases/{case.reference}/breach/")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Did not come to the placement")
    expect(main).to_contain_text("New offence reported")
    expect(main).not_to_contain_text("Appointment outcome overdue")
    expect(main).not_to_contain_text("no outcome recorded")
    expect(main).to_contain_text("Booked")
    wide_and_narrow(page, "breach-review")
    choose(page, "What is your decision?", "Continue the contract")
    page.get_by_label("Reasons for your decision").fill("A first re-arrest; keep going")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_role("region", name="What happens next")).to_contain_text(
        "The contract continues"
    )
    wide_and_narrow(page, "breach-decided")


def test_a_re_arrest_is_confirmed_and_compliance_events_close(page, people):
    case = the_case_on_a_contract(people)
    custody_opens_a_case_for_the_same_name(page)
    navigator_confirms_the_re_arrest(page, case)
    navigator_closes_events_and_does_the_task(page, case)
    navigator_raises_an_event_and_refers(page, case)
    supervisor_reviews_the_breach(page, case)
