"""Issue 16, point 10, in a real browser at 1280 and 375 px: the offence picker finds everyday
words, a POST-only address opened from the address bar shows a GOV.UK page, the needs page
says how to refer, the audit log reads as people speak, "Wait 1 second", and the report CSV's
questions fit a report. Each page is screenshotted at both widths and checked with axe-core
(test-artifacts/screenshots/<test>/)."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from checkpoint import roles, services
from checkpoint.models import Pathway
from checkpoint.services.needs import NeedInput, needs_assessment_record
from tests import factories
from tests.browser.conftest import PASSWORD, sign_in, staff
from tests.supervisors.helpers import live_case


def both_widths(page, name: str) -> None:
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.shots(page, f"{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_offence_picker_finds_everyday_words(page, people):
    sign_in(page, "dm-browser")
    page.goto("/custody/new/")
    picker = page.get_by_role("combobox", name="Offence")
    for typed, option in [
        ("cannabis", "Possession of a controlled drug (class B) (POSS-B)"),
        ("drink driving", "Driving with excess alcohol (DRINK-DRIVE)"),
        ("criminal damage", "Criminal damage (value under £5,000) (CRIM-DAMAGE)"),
        ("Shoplifting", "Theft from a shop (THEFT-SHOP)"),
    ]:
        picker.fill(typed)
        expect(page.get_by_role("option", name=option, exact=True)).to_be_visible()
    both_widths(page, "offence-picker")
    page.get_by_role("option", name="Theft from a shop (THEFT-SHOP)", exact=True).click()
    expect(picker).to_have_value("Theft from a shop (THEFT-SHOP)")


def test_a_post_only_address_opened_in_the_browser_explains_itself(page, people):
    sign_in(page, "nav-browser")
    page.get_by_role("heading", level=1).wait_for()
    response = page.goto("/sign-out/")
    assert response is not None and response.status == 405
    expect(page.get_by_role("heading", level=1)).to_have_text("This page cannot be opened directly")
    both_widths(page, "405")
    page.get_by_role("link", name="go to your start page").click()
    expect(page.get_by_role("heading", level=1)).not_to_have_text(
        "This page cannot be opened directly"
    )


def test_the_needs_page_says_how_to_refer(page, people):
    case = factories.accepted_case(
        dm=people["dm"], team=people["team"], navigator=people["navigator"]
    )
    factories.ServiceProviderFactory(name="Recovery Hub", pathways=["drugs"])
    drugs = Pathway.objects.get(code="drugs")
    needs_assessment_record(
        case_id=case.pk,
        by=people["navigator"],
        items=[NeedInput(pathway_id=drugs.pk, level="high")],
    )
    sign_in(page, "nav-browser")
    page.goto(f"/cases/{case.reference}/needs/")
    expect(page.get_by_text("start building the contract first")).to_be_visible()
    both_widths(page, "needs-before-contract")

    services.contract_open(case_id=case.pk, by=people["navigator"])
    page.reload()
    page.get_by_role("link", name=re.compile("Refer to Recovery Hub")).click()
    expect(page.get_by_role("combobox", name="Service")).to_have_value(re.compile("Recovery Hub"))
    both_widths(page, "referral-prefilled")


def test_the_audit_log_reads_as_people_speak(page, people):
    person = factories.PersonFactory(given_name="Siobhán", family_name="Ní Bhriain")
    case = factories.active_case(
        dm=people["dm"], team=people["team"], navigator=people["navigator"], person=person
    )
    services.consultation_record(
        by=people["navigator"], case=case, page="navigators:case", path="/x/"
    )
    admin = get_user_model().objects.create_superuser("root-browser", "r@example.org", PASSWORD)
    assert admin.is_superuser
    sign_in(page, "root-browser")
    page.goto("/audit/logs/")
    expect(page.get_by_text("like CP-6MZD-1X7T")).to_be_visible()
    page.get_by_label("Person").fill("Ni Bhriain")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Viewed: Case page")).to_be_visible()
    both_widths(page, "audit-logs")


def test_one_wrong_code_says_wait_1_second(page, people):
    user = people["navigator"]
    device = factories.totp_device(user)
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("nav-browser")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    code = page.get_by_label("Code from your authenticator app")
    code.fill("000000")
    page.get_by_role("button", name="Continue").click()
    code.fill(factories.totp_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Wait 1 second,")
    both_widths(page, "mfa-wait")


def test_the_report_csv_asks_about_a_report(page, people):
    staff(roles.ANALYST, "analyst-misc")
    sign_in(page, "analyst-misc")
    page.goto("/reports/equality-sex/funnel-sex.csv")
    expect(page.get_by_text("The table holds counts only")).to_be_visible()
    assert "charging" not in page.content().lower()
    both_widths(page, "report-csv-hint")


def test_the_prosecution_referral_shows_the_contract(page, people):
    nav, sup = people["navigator"], people["supervisor"]
    case = live_case(dm=people["dm"], team=people["team"], navigator=nav)
    services.breach_refer(case_id=case.pk, by=nav, recommendation="Missed sessions")
    services.breach_decide(case_id=case.pk, by=sup, decision="terminate", reasons="Third miss")
    sign_in(page, "sup-browser")
    page.goto(f"/team/cases/{case.reference}/prosecution/")
    expect(page.get_by_text("hours verified").first).to_be_visible()
    assert "No contract was made" not in page.content()
    both_widths(page, "prosecution-referral")
