"""Putting mistakes right in a real browser (issue 16 point 2): contact details, an hours entry
corrected (and Back and resubmit saving nothing), a note withdrawn, a referral and the
restorative outcome corrected, an appointment cancelled and another moved onto a clash.

Every page shown is checked with axe-core (``page.shots``). With ``SCREENSHOT_DIR`` set, the
main screens are also saved there at 1280 and 375 px wide, for a reviewer.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from checkpoint import dates, services
from checkpoint.models import Appointment, HoursLogEntry, Person
from tests import factories
from tests.browser.conftest import sign_in
from tests.browser.steps import go_back
from tests.supervisors.helpers import live_case

NOTES = os.environ.get("SCREENSHOT_DIR", "")


def wide_and_narrow(page, name: str) -> None:
    """A numbered shot (checked with axe-core), and with ``SCREENSHOT_DIR`` the page at 1280
    and 375 px wide."""
    page.shots(page, name)
    if not NOTES:
        return
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(Path(NOTES) / f"corr-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _book(case, navigator, days: int, hour: int):
    day = dates.local_date(timezone.now()) + timedelta(days=days)
    return services.appointment_schedule(
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=datetime(day.year, day.month, day.day, hour, tzinfo=dates.LONDON),
        confirm=True,
    )


def _case(people):
    nav = people["navigator"]
    person = factories.PersonFactory(given_name="Siobhán", family_name="Ní Bhriain")
    case = live_case(dm=people["dm"], team=people["team"], navigator=nav, person=person)
    services.hours_log(
        case_id=case.pk,
        by=nav,
        worked_on=dates.local_date(timezone.now()) - timedelta(days=1),
        hours=Decimal(6),
        activity="Litter picking",
        placement="Wharton Park",
        verified=True,
    )
    services.note_add(case_id=case.pk, by=nav, text="Rang O'Shea's office about the course")
    services.restorative_outcome_record(case_id=case.pk, by=nav, outcome="completed")
    return case


def test_a_navigator_puts_mistakes_right_and_the_originals_stay(page, people):
    nav = people["navigator"]
    case = _case(people)
    first, second = _book(case, nav, 3, 10), _book(case, nav, 4, 10)
    clash = _book(case, nav, 6, 14)
    sign_in(page, "nav-browser")
    page.wait_for_url("**/caseload/")
    page.goto(f"/cases/{case.reference}/")
    wide_and_narrow(page, "case-before")

    # Contact details: a postcode that is not one, then the real one.
    page.get_by_role("link", name="Change contact details and address").click()
    page.get_by_label("Address line 1").fill("12 O'Shea Terrace")
    page.get_by_label("Town or city").fill("Durham")
    page.get_by_label("Postcode").fill("NOT A CODE")
    page.get_by_role("button", name="Save contact details").click()
    page.get_by_text("Enter a real postcode, like DH1 5AB").first.wait_for()
    wide_and_narrow(page, "contact-details-error")
    page.get_by_label("Postcode").fill("dh1 5ab")
    page.get_by_label("Email address (optional)").fill("siobhan@example.org")
    page.get_by_role("button", name="Save contact details").click()
    page.get_by_text("Contact details saved").first.wait_for()
    assert Person.objects.get(pk=case.person_id).postcode == "DH1 5AB"

    # An hours entry: no reason first, then corrected; Back and resubmit saves nothing.
    page.get_by_role("link", name=re.compile(r"^Correct 6 hours")).click()
    page.get_by_label("Hours worked").fill("3")
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_text("Enter why it is being corrected").first.wait_for()
    wide_and_narrow(page, "correct-hours-error")
    page.get_by_label("Why is it being corrected?").fill("Typed 6 for 3")
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_text("Hours entry corrected").first.wait_for()
    go_back(page)  # to the form as it was shown with its error: put right and saved again
    page.get_by_label("Hours worked").fill("3")
    page.get_by_label("Why is it being corrected?").fill("Typed 6 for 3")
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_text("Nothing was saved a second time").first.wait_for()
    assert HoursLogEntry.objects.filter(corrects__isnull=False).count() == 1
    page.locator("#hours").scroll_into_view_if_needed()
    wide_and_narrow(page, "hours-corrected")

    # A note withdrawn.
    page.get_by_role("link", name=re.compile(r"^Withdraw the note")).click()
    wide_and_narrow(page, "withdraw-note")
    page.get_by_label("Why is it being withdrawn?").fill("Written on the wrong case")
    page.get_by_role("button", name="Withdraw the note").click()
    page.get_by_text("Note withdrawn").first.wait_for()

    # The referral's terms and the restorative outcome corrected.
    page.get_by_role("link", name=re.compile(r"^Correct the referral")).click()
    page.get_by_label("How often").fill("Fortnightly")
    page.get_by_label("Why is it being corrected?").fill("As agreed with the provider")
    wide_and_narrow(page, "correct-referral")
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_text("corrected: ").first.wait_for()
    page.get_by_role("link", name=re.compile(r"^Correct the outcome")).click()
    page.get_by_label("Victim withdrew").check()
    page.get_by_label("Why is it being corrected?").fill(
        "The victim withdrew; completed was a slip"
    )
    page.get_by_role("button", name="Save the correction").click()
    page.get_by_text("Restorative outcome corrected").first.wait_for()

    # An appointment cancelled; another moved onto a clash, confirmed.
    when = f"{dates.local_date(first.starts_at):%-d %B %Y}"
    page.get_by_role("link", name=re.compile(rf"^Cancel the appointment of {when}")).click()
    page.get_by_role("button", name="Cancel the appointment").click()
    page.get_by_text("Enter why the appointment is cancelled").first.wait_for()
    wide_and_narrow(page, "cancel-appointment-error")
    page.get_by_label("Why is the appointment cancelled?").fill("Booked on the wrong day")
    page.get_by_role("button", name="Cancel the appointment").click()
    page.get_by_text("cancelled and its reminders stopped").first.wait_for()
    when = f"{dates.local_date(second.starts_at):%-d %B %Y}"
    page.get_by_role("link", name=re.compile(rf"^Move the appointment of {when}")).click()
    day = dates.local_date(clash.starts_at)
    page.get_by_label("Day").fill(str(day.day))
    page.get_by_label("Month").fill(str(day.month))
    page.get_by_label("Year").fill(str(day.year))
    page.get_by_label("New time").fill("14:30")
    page.get_by_label("Why is the appointment moved?").fill("Participant at a job interview")
    page.get_by_role("button", name="Move the appointment").click()
    page.get_by_text("It clashes with the participant").first.wait_for()
    wide_and_narrow(page, "move-appointment-clash")
    page.get_by_label("I have checked: save it anyway").check()
    page.get_by_role("button", name="Move the appointment").click()
    page.get_by_text("Appointment moved from").first.wait_for()
    assert Appointment.objects.get(pk=second.pk).outcome == "rescheduled"
    wide_and_narrow(page, "case-after")

    page.get_by_role("link", name=re.compile(r"^Change history")).click()
    page.get_by_role("heading", name="Change history").wait_for()
    wide_and_narrow(page, "case-history")
