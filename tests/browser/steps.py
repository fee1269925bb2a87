"""Steps of the browser journeys, shared by the journey tests: what a user does on a page, and
each role's part of the process, driven only by what a user sees (labels, roles, link text).

The scheduled work (the daily sweep, the deadline watch, the outbox worker) runs through its
management commands, as the scheduler would, at whatever time the test's clock says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from io import StringIO

from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from checkpoint import dates
from checkpoint.models import SweepKind, SweepRun, SweepStatus
from tests.browser.conftest import sign_in

PROVIDER = "Northside Drug Service"
PERSON = "Jordan Avery"


@dataclass(frozen=True)
class Offence:
    """An offence as the decision maker finds it in the Offence picker."""

    typed: str
    option: str


THEFT_FROM_A_SHOP = Offence("shop", "Theft from a shop (THEFT-SHOP)")  # either way
PUBLIC_ORDER_S5 = Offence("distress", "Harassment, alarm or distress (s.5) (PO-S5)")  # summary


# --- what a user does on any page --------------------------------------------------------


def choose(page, question: str, answer: str) -> None:
    """Tick the radio labelled exactly ``answer`` under the question (fieldset) ``question``."""
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def fill_date(page, question: str, day) -> None:
    """Type a date into the GOV.UK date input (Day, Month, Year) of ``question``."""
    group = page.get_by_role("group", name=question)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def pick(page, field: str, typed: str, option: str) -> None:
    """Type into an accessible-autocomplete picker and choose one of its suggestions."""
    page.get_by_role("combobox", name=field).fill(typed)
    page.get_by_role("option", name=option, exact=True).click()


def go(page, role: str, name: str | re.Pattern, url: str) -> None:
    """Click a link (or a link styled as a button) and wait for the page it opens."""
    page.get_by_role(role, name=name, exact=isinstance(name, str)).click()
    page.wait_for_url(url)


def expect_success(page, text: str) -> None:
    expect(page.get_by_role("alert", name="Success")).to_contain_text(text)


def summary_row(page, key: str):
    """A row of a GOV.UK summary list, found by its key."""
    return page.locator(".govuk-summary-list__row").filter(
        has=page.get_by_role("term").filter(has_text=re.compile(f"^{re.escape(key)}$"))
    )


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment on ``day``, Europe/London time (where the test's clock is moved to)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=dates.LONDON)


def hidden_suffix(visible: str, hidden: str) -> re.Pattern:
    """A link's name when part of it is visually hidden (Chromium may put a space between)."""
    return re.compile(rf"^{re.escape(visible)}\s?{re.escape(hidden)}$")


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


def go_back(page) -> None:
    """Back, as a person in a browser does it. Pages with personal data are sent no-store
    (web/caching.py), so the browser keeps no copy: Back to a page reached by a GET fetches it
    again, and Back to the page a POST answered (a form shown again with its errors) shows
    the browser's "Confirm form resubmission" page, where the person reloads and so sends again
    what they posted then (its one-time form token is the one their later, successful
    submission used)."""
    try:
        page.go_back()
    except PlaywrightError as error:
        if "ERR_CACHE_MISS" not in str(error):
            raise
        # The browser's error page takes a moment to attach before it can be reloaded.
        for _ in range(50):
            try:
                page.reload()
                break
            except PlaywrightError as not_yet:
                if "Not attached" not in str(not_yet):
                    raise
                page.wait_for_timeout(100)
    page.wait_for_load_state()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")


def sign_in_as(page, username: str, lands_on: str) -> None:
    """Sign in (each working day starts here: a session ends after 30 idle minutes)."""
    sign_in(page, username)
    page.wait_for_url(lands_on)


# --- the scheduled work ------------------------------------------------------------------


def run_scheduled(command: str, kind: str) -> SweepRun:
    """Run a scheduled job's management command now (the test's clock) and return its run."""
    call_command(command, stdout=StringIO())
    run = SweepRun.objects.filter(kind=kind).latest("started_at")
    assert run.status == SweepStatus.SUCCEEDED, run.error
    return run


def run_the_sweep() -> SweepRun:
    return run_scheduled("run_sweep", SweepKind.COMPLIANCE)


def run_the_deadline_watch() -> SweepRun:
    return run_scheduled("watch_deadlines", SweepKind.DEADLINES)


def deliver_the_outbox() -> None:
    call_command("deliver_outbox", stdout=StringIO())


# --- the decision maker, in custody ------------------------------------------------------


def dm_starts_a_new_case(page) -> None:
    sign_in_as(page, "dm-browser", "**/custody/")  # a decision maker's work starts here
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Custody")
    ).to_be_visible()
    page.shots(page, "dm custody list")
    go(page, "button", "Open a new case", "**/custody/new/")


def dm_enters_the_person(page) -> None:
    page.get_by_label("Given name").fill("Jordan")
    page.get_by_label("Family name").fill("Avery")
    fill_date(page, "Date of birth", date(1990, 6, 15))  # an adult
    choose(page, "Sex", "Male")
    page.get_by_label("Ethnicity").select_option(
        label="English, Welsh, Scottish, Northern Irish or British"
    )
    choose(page, "Has the person served in the armed forces?", "No")
    page.get_by_label("Mobile number (optional)").fill("07700 900 982")
    choose(page, "Which reminders has the person agreed to? (optional)", "Text message (SMS)")


def dm_enters_arrest_and_offence(
    page, today, *, offence: Offence = THEFT_FROM_A_SHOP, committed_on=None
) -> str:
    page.get_by_label("Custody reference").fill("DU/012345/26")
    fill_date(page, "Date of arrest", today - timedelta(days=1))
    page.get_by_label("Time of arrest").fill("18:45")
    page.get_by_label("Custody suite or station (optional)").fill("Durham City")
    pick(page, "Offence", offence.typed, offence.option)
    fill_date(page, "Date of the offence", committed_on or today - timedelta(days=3))
    choose(page, "Is there an identifiable victim?", "Yes")
    page.get_by_label("Navigator team").select_option(label="Browser Team")
    page.shots(page, "dm new case filled in")
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url("**/assessment/")
    expect_success(page, "opened. Now record the eligibility assessment.")
    return re.search(r"/cases/([^/]+)/assessment/", page.url)[1]


def dm_records_the_assessment(page, *, previous_convictions: int = 0) -> None:
    page.shots(page, "dm assessment form")
    choose(page, "Is the evidential test met?", "Yes")
    choose(page, "Did the person admit the offence?", "Admitted the offence")
    page.get_by_label("Number of previous convictions").fill(str(previous_convictions))
    choose(page, "Is a custodial sentence likely on conviction?", "No")
    choose(page, "Risk of reoffending", "Moderate")
    page.get_by_label("Where did the risk band come from?").fill(
        "Custody risk tool, reviewed by the decision maker"
    )
    page.shots(page, "dm assessment filled in")
    go(page, "button", "Save and see the result", "**/assessment/result/")


def dm_decides_eligible(page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Eligibility result")
    expect(page.get_by_text("Every rule passed or was overridden.")).to_be_visible()
    rules = page.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("cell"))
    expect(rules).not_to_have_count(0)
    for rule in rules.all():  # each rule's Result column
        expect(rule.get_by_role("cell").first).to_have_text("Passed")
    page.shots(page, "dm eligibility result")
    choose(page, "Is the person eligible?", "Eligible")
    go(page, "button", "Save the decision", "**/offer/")
    expect_success(page, "Recorded as eligible. Now record the offer.")


def dm_records_the_offer(page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Offer Checkpoint")
    page.shots(page, "dm offer")
    page.get_by_role("button", name="Record the offer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the person's answer")


def dm_records_offer_and_acceptance(page, navigator_name: str) -> None:
    dm_records_the_offer(page)
    choose(page, "What did the person decide?", "Accepted: they agree to take part")
    page.get_by_label("Allocate a navigator (optional)").select_option(label=navigator_name)
    page.shots(page, "dm answer accepted")
    page.get_by_role("button", name="Save the answer").click()
    expect_success(page, "the person accepted the offer.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accepted")
    page.shots(page, "dm case page accepted")
    sign_out(page)


def dm_takes_the_case_to_acceptance(
    page, today, navigator_name: str, *, offence: Offence = THEFT_FROM_A_SHOP, committed_on=None
) -> str:
    """Custody: open the case, assess, decide eligible, offer, record acceptance."""
    dm_starts_a_new_case(page)
    dm_enters_the_person(page)
    reference = dm_enters_arrest_and_offence(
        page, today, offence=offence, committed_on=committed_on
    )
    dm_records_the_assessment(page)
    dm_decides_eligible(page)
    dm_records_offer_and_acceptance(page, navigator_name)
    return reference


# --- the navigator: needs and the contract -----------------------------------------------


def navigator_opens_the_case(page) -> None:
    sign_in_as(page, "nav-browser", "**/caseload/")
    page.shots(page, "nav caseload")
    page.get_by_role("link", name=PERSON).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PERSON)
    page.shots(page, "nav case page accepted")


def navigator_opens_the_case_again(page, day: date) -> None:
    """Another working day: sign in, open the person's case from the caseload."""
    sign_in_as(page, "nav-browser", "**/caseload/")
    page.get_by_role("link", name=PERSON).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PERSON)
    page.shots(page, f"nav case page {day:%-d %b}")


def navigator_assesses_needs(page) -> None:
    go(page, "link", "Needs assessment", "**/needs/")
    choose(page, "Drugs", "Medium")
    page.get_by_label("Notes on drugs (optional)").fill("Uses cannabis daily; wants help.")
    page.get_by_role("button", name="Save needs assessment").click()
    expect_success(page, "Needs assessment saved")
    expect(page.get_by_text(PROVIDER)).to_be_visible()  # suggested for the drugs need
    page.shots(page, "nav needs assessment saved")
    page.get_by_role("link", name="Back to the case").click()


def navigator_starts_the_contract(page) -> None:
    go(page, "button", "Build the contract", "**/contract/")
    page.shots(page, "nav contract builder")
    page.get_by_role("button", name="Start the contract").click()
    expect_success(page, "Contract started")
    go(page, "link", "Victim condition", "**/contract/victim/")
    choose(page, "Restorative approach", "Letter of apology")
    page.shots(page, "nav victim condition")
    page.get_by_role("button", name="Save and return to the contract").click()
    expect_success(page, "Victim condition saved")


def navigator_adds_a_referral(page) -> None:
    go(page, "link", "Pathway referrals", "**/contract/referrals/new/")
    pick(page, "Service", "Northside", f"{PROVIDER}: Drugs")
    page.get_by_label("Pathway", exact=True).select_option(label="Drugs")
    page.get_by_label("What the participant will do").fill("A 4-week drug awareness course")
    page.get_by_label("How often").fill("Weekly")
    page.get_by_label("Sessions the participant must attend").fill("4")
    page.shots(page, "nav pathway referral")
    page.get_by_role("button", name="Add referral").click()
    expect_success(page, "Referral added")


def navigator_sets_hours_and_consent(page, today) -> None:
    go(page, "link", "Community condition", "**/contract/community/")
    choose(page, "Which community condition?", "Unpaid voluntary work")
    page.get_by_label("Hours of unpaid work").fill("24")
    page.shots(page, "nav community condition")
    page.get_by_role("button", name="Save and return to the contract").click()
    expect_success(page, "Community condition saved")
    go(page, "link", "Participant's consent", "**/contract/consent/")
    choose(page, "How did the participant give their consent?", "In-person e-consent")
    fill_date(page, "Date consent was given", today)
    page.shots(page, "nav consent")
    page.get_by_role("button", name="Save and return to the contract").click()
    expect_success(page, "Consent recorded")
    page.shots(page, "nav contract ready to sign")


def navigator_signs_the_contract(page, today, *, deadline: str = "No statutory time limit") -> date:
    """Sign from ``today``; ``deadline`` is what the check page says of the s.127 limit."""
    go(page, "link", "Sign the contract", "**/contract/sign/")
    page.shots(page, "nav contract start date")  # today is filled in
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the contract before signing")
    ends = today + relativedelta(months=4)
    expect(summary_row(page, "Contract starts")).to_contain_text(f"{today:%A %-d %B %Y}")
    expect(summary_row(page, "Contract ends")).to_contain_text(f"{ends:%A %-d %B %Y}")
    expect(summary_row(page, "Prosecution deadline")).to_contain_text(deadline)
    page.shots(page, "nav check contract dates")
    page.get_by_role("button", name="Sign the contract").click()
    expect_success(page, f"Contract signed: it runs from {long_date(today)} to {long_date(ends)}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active")
    page.shots(page, "nav case page active")
    return ends


def navigator_makes_the_contract(page, today, **sign) -> date:
    """Needs, the four conditions, consent and signature, from the accepted case's page."""
    navigator_opens_the_case(page)
    navigator_assesses_needs(page)
    navigator_starts_the_contract(page)
    navigator_adds_a_referral(page)
    navigator_sets_hours_and_consent(page, today)
    return navigator_signs_the_contract(page, today, **sign)


# --- the navigator: supervision ----------------------------------------------------------


def navigator_books_an_appointment(page, day, at: str = "10:00") -> None:
    go(page, "button", "Book an appointment", "**/appointments/new/")
    choose(page, "Type of appointment", "Navigator meeting")
    fill_date(page, "Date", day)
    page.get_by_label("Time", exact=True).fill(at)
    page.get_by_label("Location (optional)").fill("Durham navigator office")
    page.shots(page, "nav book appointment")
    page.get_by_role("button", name="Book appointment").click()
    expect_success(page, f"Appointment booked for {day:%A %-d %B %Y} at {at}")
    page.shots(page, "nav appointment booked")


def navigator_records_the_outcome(page, outcome: str = "Attended") -> None:
    """From the case page, record the outcome of the (one) appointment that has started."""
    page.get_by_role("link", name=re.compile(r"^Record outcome")).click()
    page.wait_for_url("**/appointments/*/outcome/")
    choose(page, "What happened?", outcome)
    page.shots(page, "nav appointment outcome")
    page.get_by_role("button", name="Save outcome").click()
    expect_success(page, f"Outcome recorded: {outcome}")
    expect(page.get_by_role("table").filter(has_text="Navigator meeting")).to_contain_text(outcome)
    page.shots(page, "nav appointment outcome recorded")


def navigator_logs_hours(page, day, hours: int, *, verified_total: int) -> None:
    go(page, "link", "Log community hours", "**/hours/new/")
    fill_date(page, "Date worked", day)
    page.get_by_label("Hours worked").fill(str(hours))
    page.get_by_label("Work done").fill("Litter picking in the park")
    page.get_by_label("Placement (optional)").fill("Durham Parks")
    choose(
        page,
        "Who confirmed these hours?",
        "Verified by me, or confirmed by the placement supervisor",
    )
    page.shots(page, "nav log hours")
    page.get_by_role("button", name="Save hours").click()
    expect_success(page, f"{hours} hours logged (verified)")
    expect(summary_row(page, "Community")).to_have_text(
        re.compile(rf"{verified_total} of 24 hours verified")
    )
    page.shots(page, f"nav {verified_total} hours verified")


# --- the supervisor ----------------------------------------------------------------------


def supervisor_opens_from_the_dashboard(page, *, section: str, action: str, url: str) -> None:
    """Sign in, find the person under the dashboard's ``section`` heading, open ``action``."""
    sign_in_as(page, "sup-browser", "**/team/")
    heading = page.get_by_role("heading", name=section, exact=True)
    expect(heading).to_be_visible()
    expect(
        heading.locator("+ .app-table-scroll table").get_by_role("row", name=PERSON)
    ).to_be_visible()
    page.shots(page, f"sup dashboard {section.split(' (')[0]}")
    go(page, "link", hidden_suffix(PERSON, action), url)


def supervisor_refers_for_prosecution(page, reference: str, reason: str) -> None:
    """On the prosecution referral page: give the reason, refer, and see the file."""
    page.get_by_label("Reason for the referral").fill(reason)
    page.shots(page, "sup prosecution referral")
    page.get_by_role("button", name="Refer for prosecution").click()
    page.wait_for_url(f"**/team/cases/{reference}/prosecution-file/")
    expect_success(page, "Referred for prosecution: the file is ready for the prosecutor")
    justify_the_disclosure(
        page, "Before you open the prosecution file", "CPS charging team", "Charging decision"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Prosecution file: {reference}")


def justify_the_disclosure(page, title: str, recipient: str, reason: str) -> None:
    """A printed document is a disclosure (DPA 2018 s.62): say who it is for and why."""
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.get_by_label("Who is it for?").fill(recipient)
    page.get_by_label("Why are you disclosing this?").fill(reason)
    page.shots(page, "disclosure justification")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*\?disclosure=\d+$"))
