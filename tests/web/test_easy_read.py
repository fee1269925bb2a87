"""Easy read documents (issue 18 point 4): the contract and the appointment letter in short
sentences, one idea per line, large type, a picture beside each condition (OpenMoji, CC BY-SA
4.0, built from the npm package into build/static with its licence), chosen by the person's
recorded need, in English and Welsh, as HTML and as a PDF made from the same template."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from checkpoint import services
from checkpoint.models import AppointmentKind, DisclosureLog, Person
from tests import factories
from tests.supervisors.helpers import live_case
from tests.web.test_documents import _active_with, addressed, nav_client, open_document  # noqa: F401

pytestmark = pytest.mark.django_db

EASY_READ = Path(__file__).resolve().parents[2] / "web/templates/documents/easy_read"
PICTURE = re.compile(r'src="/static/documents/easy-read/([a-z-]+)\.svg"')


@pytest.fixture
def easy_read_case(dm, team, navigator):
    provider = factories.ServiceProviderFactory(
        name="Northside Drug & Alcohol Service", pathways=["drugs"], phone="0191 498 0456"
    )
    case = live_case(dm=dm, team=team, navigator=navigator, builder=_active_with(provider))
    case = addressed(case)
    Person.objects.filter(pk=case.person_id).update(needs_easy_read=True)
    return case


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Easy read", "1. Do not break the law.", "3. Get help.", "You must go 4 times.",
                "4. Do unpaid work in the community.", "You will work for 24 hours."]),
        ("cy", ["Hawdd ei ddeall", "1. Peidiwch â thorri'r gyfraith.", "3. Cael help.",
                "Rhaid i chi fynd 4 gwaith.", "4. Gwneud gwaith di-dâl yn y gymuned."]),
    ],
)  # fmt: skip
def test_a_person_who_needs_easy_read_gets_the_easy_read_contract(
    nav_client,  # noqa: F811
    easy_read_case,
    language,
    expected,
):
    Person.objects.filter(pk=easy_read_case.person_id).update(preferred_language=language)
    path = reverse("navigators:contract-document", args=[easy_read_case.reference])

    html, pdf = open_document(nav_client, path)

    assert "app-easy-read" in html and "easy-read.css" in html
    for text in expected:
        assert text in html.replace("&#x27;", "'")
        assert text in pdf
    # A picture beside each of the four conditions (the victim's: a letter of apology).
    pictures = PICTURE.findall(html)
    for picture in ("balance-scale", "envelope", "people-hugging", "broom"):
        assert picture in pictures
    assert "Northside Drug &amp; Alcohol Service" in html
    assert "OpenMoji" in pdf and "CC BY-SA 4.0" in pdf
    what = "contract, easy read" if language == "en" else "contract, in Welsh, easy read"
    assert DisclosureLog.objects.get().what == what


def test_the_standard_contract_unless_easy_read_is_needed(nav_client, easy_read_case):  # noqa: F811
    Person.objects.filter(pk=easy_read_case.person_id).update(needs_easy_read=False)
    path = reverse("navigators:contract-document", args=[easy_read_case.reference])
    html, _ = open_document(nav_client, path)
    assert "app-easy-read" not in html
    assert "1. Do not offend" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Your appointment", "You will do unpaid work in the community.",
                "It takes about 90 minutes.", "Place: Wharton Park, Durham",
                "Wear clothes and shoes you can work in.", "Cannot come?"]),
        ("cy", ["Eich apwyntiad", "Byddwch yn gwneud gwaith di-dâl yn y gymuned.",
                "Mae'n cymryd tua 90 munud.", "Lle: Wharton Park, Durham", "Methu dod?"]),
    ],
)  # fmt: skip
def test_the_easy_read_appointment_letter(nav_client, easy_read_case, language, expected):  # noqa: F811
    Person.objects.filter(pk=easy_read_case.person_id).update(preferred_language=language)
    appointment = services.appointment_schedule(
        case_id=easy_read_case.pk,
        by=easy_read_case.navigator,
        kind=AppointmentKind.COMMUNITY,
        starts_at=timezone.now().replace(microsecond=0) + timedelta(days=5),
        duration_minutes=90,
        location="Wharton Park, Durham",
        confirm=True,
    )
    path = reverse("navigators:appointment-letter", args=[easy_read_case.reference, appointment.pk])

    html, pdf = open_document(nav_client, path)

    for text in expected:
        assert text in html.replace("&#x27;", "'")
        assert text in pdf
    assert {"spiral-calendar", "alarm-clock", "round-pushpin", "backpack"} <= set(
        PICTURE.findall(html)
    )
    assert "DH1 5AB" in pdf


def test_every_picture_is_built_with_its_licence():
    """The pictures the easy read templates use exist in the static files (built by
    `npm run build` from @iconify-json/openmoji), with the licence beside them."""
    used = set()
    for template in EASY_READ.glob("*.html"):
        used |= set(re.findall(r'picture="([a-z-]+)"', template.read_text()))
    assert len(used) >= 12
    for name in sorted(used):
        assert finders.find(f"documents/easy-read/{name}.svg"), f"{name}.svg is not built"
    licence = Path(finders.find("documents/easy-read/LICENCE.txt")).read_text()
    assert "OpenMoji" in licence and "CC BY-SA 4.0" in licence
