"""The easy read contract and appointment letter in a real browser (issue 18 point 4), in
English and Welsh: each passes axe-core at WCAG 2.2 AA, its pictures load, and it prints.
Screenshots go to test-artifacts/screenshots/<this test's name>/."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from checkpoint import services
from checkpoint.models import AppointmentKind, Person
from tests.browser.a11y import axe_violations
from tests.browser.conftest import sign_in
from tests.browser.steps import justify_the_disclosure
from tests.supervisors.helpers import live_case


def test_easy_read_documents_in_both_languages_pass_axe(page, people):
    nav = people["navigator"]
    case = live_case(dm=people["dm"], team=people["team"], navigator=nav)
    Person.objects.filter(pk=case.person_id).update(
        given_name="Dáithí",
        family_name="O'Shea",
        address_line_1="12 Quarry Row",
        town="Durham",
        postcode="DH1 5AB",
        needs_easy_read=True,
    )
    appointment = services.appointment_schedule(
        case_id=case.pk,
        by=nav,
        kind=AppointmentKind.COMMUNITY,
        starts_at=timezone.now() + timedelta(days=3),
        location="Wharton Park",
        confirm=True,
    )
    documents = [
        ("contract", reverse("navigators:contract-document", args=[case.reference])),
        (
            "appointment letter",
            reverse("navigators:appointment-letter", args=[case.reference, appointment.pk]),
        ),
    ]
    sign_in(page, "nav-browser")
    found = []
    for language in ("en", "cy"):
        Person.objects.filter(pk=case.person_id).update(preferred_language=language)
        for name, url in documents:
            page.goto(url)
            justify_the_disclosure(page, f"Before you print the {name}", "The participant", "Copy")
            expect(page.locator("article.app-easy-read")).to_be_visible()
            pictures = page.locator("img.app-easy-read__picture")
            assert pictures.count() >= 5
            # Every picture loaded (a broken image has no natural width).
            widths = pictures.evaluate_all("images => images.map(i => i.naturalWidth)")
            assert all(widths), widths
            found += axe_violations(page)
            page.shots(page, f"easy read {name} {language}")
    assert not found, "\n".join(found)
