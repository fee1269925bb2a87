"""The participant's documents in a real browser (issue 18): the check page before signing
shows the contract itself and prints it cleanly (print media: only the contract, nothing of
the staff screen), and every document page passes axe-core at WCAG 2.2 AA.

The cases are built through the services; PDFs of the printed pages go to
test-artifacts/screenshots/<this test's name>/ with the screenshots.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from checkpoint import services
from checkpoint.models import AppointmentKind, ComplianceKind, Person
from checkpoint.text import long_date
from tests import factories
from tests.browser.a11y import axe_violations
from tests.browser.conftest import sign_in
from tests.browser.steps import justify_the_disclosure
from tests.supervisors.helpers import breach_case, live_case, review_case

PROVIDER = "Northside Drug & Alcohol Service"
ADDRESS = {"address_line_1": "12 Quarry Row", "town": "Durham", "postcode": "DH1 5AB"}


def _ready_to_sign(people):
    case = live_case(
        dm=people["dm"],
        team=people["team"],
        navigator=people["navigator"],
        builder=factories.accepted_case,
    )
    provider = factories.ServiceProviderFactory(name=PROVIDER, pathways=["drugs"])
    factories.build_contract(
        case, navigator=people["navigator"], provider=provider, now=timezone.now()
    )
    Person.objects.filter(pk=case.person_id).update(
        given_name="Dáithí", family_name="O'Shea", **ADDRESS
    )
    return case


def test_the_contract_is_checked_and_printed_from_the_check_page(page, people):
    case = _ready_to_sign(people)
    sign_in(page, "nav-browser")
    page.goto(reverse("navigators:contract-sign", args=[case.reference]))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the contract before signing")
    contract = page.locator("article.app-document")
    expect(contract.get_by_role("heading", name="Your Checkpoint contract")).to_be_visible()
    expect(contract).to_contain_text("Drug awareness course")
    expect(contract).to_contain_text("24 hours of unpaid work")
    expect(contract).to_contain_text(PROVIDER)
    page.shots(page, "check the contract before signing")  # axe-checked too

    # Printed: the contract alone, without the staff screen's header, buttons or form.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Sign the contract")).to_be_hidden()
    expect(page.locator(".govuk-header, .moj-header").first).to_be_hidden()
    expect(contract).to_be_visible()
    pdf = page.pdf(format="A4", path=str(page.shots.folder / "printed-contract.pdf"))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Your Checkpoint contract" in text and "Drug awareness course" in text
    assert long_date(timezone.localdate()) in text
    assert "Check the contract before signing" not in text and "Sign the contract" not in text
    assert "Prosecution deadline" not in text  # a staff fact, not the person's
    page.emulate_media(media="screen")

    page.get_by_role("button", name="Sign the contract").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Active")


def test_every_document_page_passes_axe(page, people):
    nav, sup = people["navigator"], people["supervisor"]
    kw = {"dm": people["dm"], "team": people["team"], "navigator": nav}
    active = live_case(**kw)
    Person.objects.filter(pk=active.person_id).update(**ADDRESS)
    appointment = services.appointment_schedule(
        case_id=active.pk,
        by=nav,
        kind=AppointmentKind.NAVIGATOR,
        starts_at=timezone.now() + timedelta(days=3),
        location="Aykley Heads",
        confirm=True,
    )
    event = services.compliance_event_raise(
        case_id=active.pk,
        by=nav,
        kind=ComplianceKind.UNACCEPTABLE_ABSENCE,
        occurred_on=timezone.localdate(),
        detail="Missed",
    )
    services.warning_issue(case_id=active.pk, by=nav, reason="Missed it", event_ids=[event.pk])
    breached = breach_case(**kw)
    services.breach_decide(case_id=breached.pk, by=sup, decision="continue", reasons="First time")
    exited = review_case(**kw)
    services.completion_sign_off(case_id=exited.pk, by=sup, reason="All kept")
    documents = [
        ("contract", reverse("navigators:contract-document", args=[active.reference])),
        (
            "appointment letter",
            reverse("navigators:appointment-letter", args=[active.reference, appointment.pk]),
        ),
        ("warning letter", reverse("navigators:warning-letter", args=[active.reference])),
        ("breach decision letter", reverse("supervisors:breach-letter", args=[breached.reference])),
        ("outcome letter", reverse("supervisors:outcome-letter", args=[exited.reference])),
    ]
    sign_in(page, "sup-browser")
    found = []
    for name, url in documents:
        page.goto(url)
        justify_the_disclosure(page, f"Before you print the {name}", "The participant", "Copy")
        expect(page.get_by_role("button", name=f"Print this {name}")).to_be_visible()
        found += axe_violations(page)
        page.shots(page, name)
    assert not found, "\n".join(found)
