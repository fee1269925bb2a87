"""The audit log search reads as people speak (issue 16, point 10): accent-insensitive names,
screens by their titles rather than URL names, and the example reference in the real format."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from checkpoint.services import consultation_record
from tests import factories
from web.page_titles import page_title

URL = "/audit/logs/"


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)


@pytest.fixture
def siobhan(dm, team, navigator, now):
    person = factories.PersonFactory(given_name="Siobhán", family_name="Ní Bhriain")
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now, person=person)
    consultation_record(by=navigator, case=case, page="navigators:case", path="/a/")
    consultation_record(by=navigator, case=case, page="navigators:needs", path="/b/")
    return case


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("typed", ["Ni Bhriain", "ní bhriain", "SIOBHAN", "siobhan ni"])
def test_a_name_is_found_whatever_its_accents_and_case(client, admin, siobhan, typed):
    client.force_login(admin)
    body = client.get(URL, {"kind": "access", "person": typed}).content.decode()
    assert "2 entries found" in body and siobhan.reference in body


def test_pages_are_named_by_their_titles(client, admin, siobhan):
    client.force_login(admin)
    text = visible(client.get(URL, {"kind": "access"}).content.decode())
    assert "Viewed: Case page" in text and "Viewed: Needs assessment" in text
    assert "navigators:" not in text


def test_the_example_reference_has_the_real_format(client, admin):
    client.force_login(admin)
    text = visible(client.get(URL).content.decode())
    example = re.search(r"case reference like (\S+)", text).group(1)
    assert re.fullmatch(r"CP-[0-9A-Z]{4}-[0-9A-Z]{4}", example)


@pytest.mark.parametrize(
    "name, title",
    [
        ("navigators:case", "Case page"),
        ("navigators:hours-new", "Log community hours"),  # the view's own title
        ("supervisors:prosecution-file", "Prosecution file"),
        ("navigators:some-removed-screen", "Some removed screen"),  # still words
    ],
)
def test_page_titles(name, title):
    assert page_title(name) == title
