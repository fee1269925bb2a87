"""Search on the caseload, the custody list and the team's case list: by name (accents and case
ignored, both ways), reference, PNC ID and date of birth, never beyond what the user may reach
(``checkpoint.selectors.search``)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from checkpoint import roles
from checkpoint.models import Person
from checkpoint.selectors.search import DATE_ERROR, parse_case_query
from tests import factories
from tests.supervisors.helpers import live_case_to_read

# -- Reading the search box (no database) ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "born_on"),
    [
        ("3/12/1990", date(1990, 12, 3)),
        ("03/12/1990", date(1990, 12, 3)),
        ("3.12.1990", date(1990, 12, 3)),
        ("1990-12-03", date(1990, 12, 3)),
    ],
)
def test_a_date_of_birth_is_read_day_first_or_iso(text, born_on):
    query = parse_case_query(text)
    assert query.born_on == (born_on,) and not query.name_words and not query.error


def test_a_date_that_does_not_exist_is_an_error_not_a_name():
    assert parse_case_query("31/2/1990").error == DATE_ERROR
    assert parse_case_query("1990-13-01").error == DATE_ERROR


def test_references_pnc_ids_and_names_are_told_apart():
    query = parse_case_query("cp-7kq4-m2xd 26/123456a  NÍ  Bhriain")
    assert query.references == ("CP-7KQ4-M2XD",)
    assert query.pnc_ids == ("26/123456A",)
    assert query.name_words == ("ni", "bhriain")
    assert parse_case_query("O'Shea").name_words == ("o'shea",)
    assert parse_case_query("   ").empty


# -- The screens -------------------------------------------------------------------------------


def _person(given: str, family: str, **kwargs) -> Person:
    return factories.PersonFactory(given_name=given, family_name=family, **kwargs)


@pytest.fixture
def people(db, dm, team, navigator):
    """Two of the navigator's cases, one of another navigator's and one of another team's,
    with names that differ only by their accents."""
    siobhan = live_case_to_read(
        dm=dm,
        team=team,
        navigator=navigator,
        person=_person(
            "Siobhán", "Ní Bhriain", date_of_birth=date(1990, 12, 3), pnc_id="26/123456A"
        ),
    )
    sean = live_case_to_read(
        dm=dm, team=team, navigator=navigator, person=_person("Sean", "Ni Bhriain")
    )
    colleague = factories.make_user(roles.NAVIGATOR, team=team, username="colleague")
    theirs = live_case_to_read(
        dm=dm, team=team, navigator=colleague, person=_person("Síle", "Ní Bhriain")
    )
    other_team = factories.TeamFactory(name="Durham South")
    far_nav = factories.make_user(roles.NAVIGATOR, team=other_team, username="far-nav")
    far = live_case_to_read(
        dm=dm,
        team=other_team,
        navigator=far_nav,
        person=_person("Saoirse", "Ní Bhriain", date_of_birth=date(1990, 12, 3)),
    )
    return {"siobhan": siobhan, "sean": sean, "theirs": theirs, "far": far}


def _found(client, url_name: str, q: str) -> str:
    response = client.get(reverse(url_name), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def _refs(body: str, people: dict, *keys: str) -> set[str]:
    """Which of the cases the page lists (links to), not merely mentions (the search box)."""
    return {k for k in keys if f"/cases/{people[k].reference}/" in body}


ALL = ("siobhan", "sean", "theirs", "far")


@pytest.mark.parametrize("q", ["Ni Bhriain", "ní bhriain", "NÍ BHRIAIN", "bhriain"])
def test_caseload_finds_names_whatever_the_accents_and_case(client, navigator, people, q):
    client.force_login(navigator)
    body = _found(client, "navigators:caseload", q)
    # Both of the navigator's own, accented or not; never a colleague's or another team's.
    assert _refs(body, people, *ALL) == {"siobhan", "sean"}


def test_caseload_finds_by_reference_pnc_and_date_of_birth(client, navigator, people):
    client.force_login(navigator)
    ref = people["siobhan"].reference
    for q in [ref, ref.lower(), ref[:7], "26/123456a", "3/12/1990", "1990-12-03"]:
        body = _found(client, "navigators:caseload", q)
        assert _refs(body, people, *ALL) == {"siobhan"}, q
    # The other team's case shares the date of birth and the name: still out of reach.
    assert _refs(_found(client, "navigators:caseload", "Saoirse"), people, *ALL) == set()
    far = _found(client, "navigators:caseload", people["far"].reference)
    assert _refs(far, people, *ALL) == set()


def test_a_date_that_does_not_exist_is_explained_and_finds_nothing(client, navigator, people):
    client.force_login(navigator)
    body = _found(client, "navigators:caseload", "31/2/1990")
    assert "Error: My caseload" in body
    assert DATE_ERROR in body and 'value="31/2/1990"' in body  # what was typed is kept
    assert _refs(body, people, *ALL) == set()


def test_team_list_search_covers_the_team_only(client, supervisor, people):
    client.force_login(supervisor)
    body = _found(client, "supervisors:team-cases", "ni bhriain")
    assert _refs(body, people, *ALL) == {"siobhan", "sean", "theirs"}
    body = _found(client, "supervisors:team-cases", "3/12/1990")
    assert _refs(body, people, *ALL) == {"siobhan"}
    body = _found(client, "supervisors:team-cases", "31/02/1990")
    assert DATE_ERROR in body


def test_custody_list_search_covers_custody_stage_cases_only(client, dm, team, people):
    waiting = factories.open_case(dm=dm, team=team, person=_person("Niamh", "Ó Briain"))
    client.force_login(dm)
    body = _found(client, "custody:list", "o briain")
    assert f"/cases/{waiting.reference}/" in body
    # The active cases the decision maker opened are not on the custody list, found or not.
    assert _refs(_found(client, "custody:list", "bhriain"), people, *ALL) == set()
    assert f"/cases/{waiting.reference}/" not in _found(client, "custody:list", "bhriain")
    assert f"/cases/{waiting.reference}/" in _found(client, "custody:list", waiting.reference)
