"""The whole process in a real browser, only by clicking and typing.

A decision maker opens a case in custody, records the eligibility assessment, decides the
person is eligible and records the offer and its acceptance. The navigator then assesses the
person's needs, builds and signs the contract, books an appointment, records that the person
attended and logs verified community hours. Each step is a screenshot in
test-artifacts/screenshots/test_full_journey_from_custody_to_community_hours/.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from playwright.sync_api import expect

from checkpoint.models import Appointment, Case, HoursLogEntry
from tests import factories
from tests.browser.conftest import sign_in

PROVIDER = "Northside Drug Service"
PERSON = "Jordan Avery"


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


def go(page, role: str, name: str, url: str) -> None:
    """Click a link (or a link styled as a button) and wait for the page it opens."""
    page.get_by_role(role, name=name, exact=True).click()
    page.wait_for_url(url)


def expect_success(page, text: str) -> None:
    expect(page.get_by_role("alert", name="Success")).to_contain_text(text)


def summary_row(page, key: str):
    """A row of a GOV.UK summary list, found by its key."""
    return page.locator(".govuk-summary-list__row").filter(
        has=page.get_by_role("term").filter(has_text=re.compile(f"^{key}$"))
    )


# --- the decision maker, in custody ------------------------------------------------------


def dm_starts_a_new_case(page) -> None:
    sign_in(page, "dm-browser")
    # A decision maker lands on "My caseload", a page not in their menu (reported), so they
    # go to Custody through the service navigation.
    page.wait_for_url(lambda url: "/sign-in/" not in url)
    page.shots(page, "dm signed in")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Custody").click()
    page.wait_for_url("**/custody/")
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


def dm_enters_arrest_and_offence(page, today) -> str:
    page.get_by_label("Custody reference").fill("DU/012345/26")
    fill_date(page, "Date of arrest", today - timedelta(days=1))
    page.get_by_label("Time of arrest").fill("18:45")
    page.get_by_label("Custody suite or station (optional)").fill("Durham City")
    pick(page, "Offence", "shop", "Theft from a shop (THEFT-SHOP)")
    fill_date(page, "Date of the offence", today - timedelta(days=3))
    choose(page, "Is there an identifiable victim?", "Yes")
    page.get_by_label("Navigator team").select_option(label="Browser Team")
    page.shots(page, "dm new case filled in")
    page.get_by_role("button", name="Open the case").click()
    page.wait_for_url("**/assessment/")
    expect_success(page, "opened. Now record the eligibility assessment.")
    return re.search(r"/cases/([^/]+)/assessment/", page.url)[1]


def dm_records_the_assessment(page) -> None:
    page.shots(page, "dm assessment form")
    choose(page, "Is the evidential test met?", "Yes")
    choose(page, "Did the person admit the offence?", "Admitted the offence")
    page.get_by_label("Number of previous convictions").fill("0")
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


def dm_records_offer_and_acceptance(page, navigator_name: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Offer Checkpoint")
    page.shots(page, "dm offer")
    page.get_by_role("button", name="Record the offer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record the person's answer")
    choose(page, "What did the person decide?", "Accepted: they agree to take part")
    page.get_by_label("Allocate a navigator (optional)").select_option(label=navigator_name)
    page.shots(page, "dm answer accepted")
    page.get_by_role("button", name="Save the answer").click()
    expect_success(page, "the person accepted the offer.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Accepted")
    page.shots(page, "dm case page accepted")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/")


# --- the navigator: needs and the contract -----------------------------------------------


def navigator_opens_the_case(page) -> None:
    sign_in(page, "nav-browser")
    page.wait_for_url("**/caseload/")
    page.shots(page, "nav caseload")
    page.get_by_role("link", name=PERSON).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(PERSON)
    page.shots(page, "nav case page accepted")


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


def navigator_signs_the_contract(page, today) -> None:
    go(page, "link", "Sign the contract", "**/contract/sign/")
    page.shots(page, "nav contract start date")  # today is filled in
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the contract dates")
    ends = today + relativedelta(months=4)
    expect(summary_row(page, "Contract starts")).to_contain_text(f"{today:%A %-d %B %Y}")
    expect(summary_row(page, "Contract ends")).to_contain_text(f"{ends:%A %-d %B %Y}")
    # Theft from a shop is triable either way: no six-month limit for laying an information.
    expect(summary_row(page, "Prosecution deadline")).to_contain_text("No statutory time limit")
    page.shots(page, "nav check contract dates")
    page.get_by_role("button", name="Sign the contract").click()
    expect_success(page, f"Contract signed: it runs from {today:%-d %B %Y} to {ends:%-d %B %Y}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active")
    page.shots(page, "nav case page active")


# --- the navigator: supervision ----------------------------------------------------------


def navigator_books_an_appointment(page, today) -> None:
    tomorrow = today + timedelta(days=1)
    go(page, "button", "Book an appointment", "**/appointments/new/")
    choose(page, "Type of appointment", "Navigator meeting")
    fill_date(page, "Date", tomorrow)
    page.get_by_label("Time", exact=True).fill("10:00")
    page.get_by_label("Location (optional)").fill("Durham navigator office")
    page.shots(page, "nav book appointment")
    page.get_by_role("button", name="Book appointment").click()
    expect_success(page, f"Appointment booked for {tomorrow:%A %-d %B %Y} at 10:00")
    page.shots(page, "nav appointment booked")


def navigator_records_attendance(page, reference: str) -> None:
    # The only data shortcut in this test: an outcome can only be recorded once the
    # appointment has started, so move tomorrow's appointment an hour into the past.
    appointment = Appointment.objects.get(case__reference=reference)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timedelta(hours=1)
    )
    page.reload()
    page.get_by_role("link", name=re.compile(r"^Record outcome")).click()
    page.wait_for_url(f"**/appointments/{appointment.pk}/outcome/")
    choose(page, "What happened?", "Attended")
    page.shots(page, "nav appointment outcome")
    page.get_by_role("button", name="Save outcome").click()
    expect_success(page, "Outcome recorded: Attended")
    expect(page.get_by_role("table").filter(has_text="Navigator meeting")).to_contain_text(
        "Attended"
    )
    page.shots(page, "nav appointment attended")


def navigator_logs_hours(page, today) -> None:
    go(page, "link", "Log community hours", "**/hours/new/")
    fill_date(page, "Date worked", today)
    page.get_by_label("Hours worked").fill("3")
    page.get_by_label("Work done").fill("Litter picking in the park")
    page.get_by_label("Placement (optional)").fill("Durham Parks")
    choose(
        page,
        "Who confirmed these hours?",
        "Verified by me, or confirmed by the placement supervisor",
    )
    page.shots(page, "nav log hours")
    page.get_by_role("button", name="Save hours").click()
    expect_success(page, "3 hours logged (verified)")
    expect(summary_row(page, "Community")).to_have_text(re.compile(r"3 of 24 hours verified"))
    page.shots(page, "nav hours verified")


def assert_final_state(reference: str, today, navigator) -> None:
    case = Case.objects.select_related("contract").get(reference=reference)
    assert case.state == "active"
    assert case.contract.starts_on == today
    assert case.contract.ends_on == case.contract.starts_on + relativedelta(months=4)
    (appointment,) = Appointment.objects.filter(case=case)
    assert appointment.outcome == "attended"
    (entry,) = HoursLogEntry.objects.filter(community_condition__contract__case=case)
    assert entry.hours == Decimal(3)
    assert entry.verified_by == navigator and entry.verified_at is not None
    history = list(case.transitions.values_list("from_state", "to_state"))
    assert history == [
        ("assessment", "eligible"),
        ("eligible", "offered"),
        ("offered", "accepted"),
        ("accepted", "active"),
    ]


def test_full_journey_from_custody_to_community_hours(page, people):
    factories.ServiceProviderFactory(name=PROVIDER, pathways=["drugs"])
    today = timezone.localdate()

    dm_starts_a_new_case(page)
    dm_enters_the_person(page)
    reference = dm_enters_arrest_and_offence(page, today)
    dm_records_the_assessment(page)
    dm_decides_eligible(page)
    dm_records_offer_and_acceptance(page, people["navigator"].get_full_name())

    navigator_opens_the_case(page)
    navigator_assesses_needs(page)
    navigator_starts_the_contract(page)
    navigator_adds_a_referral(page)
    navigator_sets_hours_and_consent(page, today)
    navigator_signs_the_contract(page, today)

    navigator_books_an_appointment(page, today)
    navigator_records_attendance(page, reference)
    navigator_logs_hours(page, today)

    assert_final_state(reference, today, people["navigator"])
