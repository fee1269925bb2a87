"""A navigator's journey by keyboard alone, in a real browser (issue 8.2).

No clicks and no fill(): focus moves only with Tab and Shift+Tab, links and buttons are followed
with Enter or Space, radios are chosen with the arrow keys and Space, and text is typed into
whatever has the focus. Every element the Tab key reaches must show the GOV.UK focus style (the
yellow focus colour, rgb(255, 221, 0)) and match :focus-visible. On the caseload the skip link
is the first stop and moves the focus to the main content.

The navigator signs in (password, then the authenticator code), opens a case from the caseload,
books an appointment for twenty minutes later, and once it has begun (the clock is moved with
time_machine) goes back through the caseload to record that the person attended.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from checkpoint.models import Appointment, AppointmentOutcome
from tests import factories
from tests.browser.conftest import PASSWORD
from tests.browser.steps import at, expect_success

DAY = date(2026, 3, 3)  # the day after the contract was signed (factories.NOW)
FOCUS_COLOUR = "rgb(255, 221, 0)"  # $govuk-focus-colour

# What has the focus, and whether it shows the GOV.UK focus style: a yellow background (links,
# buttons), outline (text inputs, selects) or box shadow (radios draw theirs on the label's
# ::before; the table scroll container on itself).
_FOCUSED = """colour => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const painted = s => [s.backgroundColor, s.boxShadow, s.borderColor].some(v => v.includes(colour))
    || (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 && s.outlineColor === colour);
  const styles = [getComputedStyle(e)];
  for (const label of e.labels || []) styles.push(getComputedStyle(label, "::before"));
  const label = e.labels && e.labels.length ? e.labels[0].textContent : "";
  const name = label || e.getAttribute("aria-label") || e.textContent || "";
  return {
    tag: e.tagName.toLowerCase(),
    id: e.id,
    name: name.replace(/\\s+/g, " ").trim(),
    checked: !!e.checked,
    value: e.value === undefined ? null : e.value,
    visible: e.matches(":focus-visible") && styles.some(painted),
  };
}"""


def focused(page) -> dict | None:
    return page.evaluate(_FOCUSED, FOCUS_COLOUR)


def tab_to(page, name: str | re.Pattern, *, backwards: bool = False, limit: int = 60) -> dict:
    """Press Tab (Shift+Tab backwards) until the focus is on ``name`` (a label, link or button
    text); every stop on the way must show the focus style."""
    key = "Shift+Tab" if backwards else "Tab"
    passed = []
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        assert now is not None, f"{key} left the page's controls after {passed}"
        assert now["visible"], f"no visible focus on {now} at {page.url}"
        if re.fullmatch(name, now["name"]) if isinstance(name, re.Pattern) else now["name"] == name:
            return now
        passed.append(now["name"])
    raise AssertionError(f"{name!r} not reached by {key} on {page.url}; passed {passed}")


def type_into(page, field: str, text: str) -> None:
    tab_to(page, field)
    page.keyboard.type(text)


def the_skip_link_goes_to_the_main_content(page) -> None:
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["name"] == "Skip to main content" and skip["visible"], skip
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert page.url.endswith("#main-content")


def signs_in_by_keyboard(page, username: str, device) -> None:
    page.goto("/sign-in/")
    assert focused(page)["name"] == "Username"  # the form's autofocus
    page.keyboard.type(username[:-1])  # a slip, put right below
    type_into(page, "Password", PASSWORD)
    tab_to(page, "Username", backwards=True)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(username)
    page.shots(page, "sign in: username corrected")
    tab_to(page, "Sign in")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    type_into(page, "Code from your authenticator app", factories.totp_code(device))
    page.keyboard.press("Enter")  # submits the form from the text field
    page.wait_for_url("**/caseload/")


def opens_the_case(page, person: str) -> None:
    the_skip_link_goes_to_the_main_content(page)
    tab_to(page, person)
    page.shots(page, "caseload: focus on the person")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(person)


def chooses_with_arrows(page, group_first: str, answer: str, *, keys: list[str]) -> None:
    """Tab into a radio group (the focus lands on its first option), then arrow keys."""
    tab_to(page, group_first)
    for key in keys:
        page.keyboard.press(key)
        now = focused(page)
        assert now["checked"] and now["visible"], now  # arrows move and select together
    assert focused(page)["name"] == answer


def books_an_appointment(page) -> None:
    tab_to(page, "Book an appointment")
    page.keyboard.press("Space")  # a link styled as a button: Space works, as on a button
    expect(page.get_by_role("heading", level=1)).to_have_text("Book an appointment")
    # Down to the second type and back up again: each arrow selects the option it reaches.
    chooses_with_arrows(
        page, "Navigator meeting", "Navigator meeting", keys=["ArrowDown", "ArrowUp"]
    )
    type_into(page, "Day", str(DAY.day))
    type_into(page, "Month", str(DAY.month))
    type_into(page, "Year", str(DAY.year))
    type_into(page, "Time", "09:20")
    type_into(page, "Location (optional)", "Durham navigator office")
    page.shots(page, "appointment typed in")
    tab_to(page, "Book appointment")
    page.keyboard.press("Enter")
    expect_success(page, "Appointment booked for Tuesday 3 March 2026 at 09:20")


def records_attendance(page, person: str) -> None:
    tab_to(page, "Back to cases", backwards=True)
    page.keyboard.press("Enter")
    page.wait_for_url("**/caseload/")
    opens_the_case(page, person)
    tab_to(page, re.compile(r"Record outcome\s?for 3 Mar"))
    page.shots(page, "case page: focus on record outcome")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record the outcome of an appointment"
    )
    tab_to(page, "Attended")  # the first option: focused, not yet chosen
    assert not focused(page)["checked"]
    page.keyboard.press("Space")
    assert focused(page)["checked"]
    page.shots(page, "outcome chosen")
    tab_to(page, "Save outcome")
    page.keyboard.press("Enter")
    expect_success(page, "Outcome recorded: Attended")
    page.shots(page, "outcome recorded")


def test_a_navigator_books_and_records_an_appointment_by_keyboard_alone(page, people):
    case = factories.active_case(
        dm=people["dm"], team=people["team"], navigator=people["navigator"], now=factories.NOW
    )
    person = case.person.full_name
    device = factories.totp_device(people["navigator"])

    with time_machine.travel(at(DAY, 9), tick=True) as clock:
        signs_in_by_keyboard(page, "nav-browser", device)
        opens_the_case(page, person)
        books_an_appointment(page)
        clock.move_to(at(DAY, 9, 25))  # the appointment has begun
        records_attendance(page, person)

    (appointment,) = Appointment.objects.filter(case=case)
    assert appointment.starts_at == at(DAY, 9, 20)
    assert appointment.location == "Durham navigator office"
    assert appointment.outcome == AppointmentOutcome.ATTENDED


def test_the_focus_check_fails_on_a_control_without_the_govuk_focus_style(page):
    """tab_to can fail: a button without the design system's classes has no yellow focus."""
    page.goto("/sign-in/")
    page.evaluate(
        """() => {
          const plain = document.createElement("button");
          plain.textContent = "Plain";
          document.querySelector("form").append(plain);
        }"""
    )
    with pytest.raises(AssertionError, match=r"no visible focus on .*'name': 'Plain'"):
        tab_to(page, "Plain")
