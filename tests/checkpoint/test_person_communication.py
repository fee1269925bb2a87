"""How to write to the participant (issue 18): a UK postal address (or no fixed abode), the
language of their letters, and whether they need an interpreter or easy read, recorded at
custody and changed later by the navigator with the change history keeping the old values.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from simple_history.utils import get_history_manager_for_model

from checkpoint import services
from checkpoint.models import Case, Person
from checkpoint.services import InvalidInput
from tests import factories
from tests.custody.test_screens import _open_data
from tests.navigators.test_corrections_screens import errors, form_of
from tests.supervisors.helpers import live_case


@pytest.fixture
def dm_client(client, dm):
    client.force_login(dm)
    return client


@pytest.fixture
def nav(client, navigator):
    client.force_login(navigator)
    return client


def _open(client, team, **fields):
    return client.post(reverse("custody:case-new"), _open_data(team, **fields))


# --- at custody -----------------------------------------------------------------------------
def test_custody_records_the_address_language_and_needs(dm_client, team):
    response = _open(
        dm_client,
        team,
        address_line_1="Flat 2, 14 Heol y Bont",
        town="Caerdydd",
        county="",
        postcode="cf10 1aa",
        preferred_language="cy",
        needs=["interpreter", "easy_read"],
        interpreter_language="British Sign Language",
    )
    assert response.status_code == 302, errors(response)
    person = Person.objects.get()
    assert person.postal_address == ["Flat 2, 14 Heol y Bont", "Caerdydd", "CF10 1AA"]
    assert (person.preferred_language, person.needs_interpreter, person.needs_easy_read) == (
        "cy",
        True,
        True,
    )
    assert person.interpreter_language == "British Sign Language"


def test_custody_defaults_to_english_and_no_address(dm_client, team):
    assert _open(dm_client, team).status_code == 302
    person = Person.objects.get()
    assert (person.preferred_language, person.postal_address, person.no_fixed_abode) == (
        "en",
        [],
        False,
    )
    assert not (person.needs_interpreter or person.needs_easy_read)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"address_line_1": "4 Quarry Row", "postcode": "NOT A CODE"}, "Enter a real postcode"),
        ({"address_line_1": "4 Quarry Row"}, "Enter the postcode"),
        ({"postcode": "DH1 5AB"}, "Enter the first line of the address"),
        (
            {"address_line_1": "4 Quarry Row", "no_fixed_abode": "on"},
            "Either enter the address or tick no fixed abode, not both",
        ),
        ({"needs": ["interpreter"]}, "Enter the language the interpreter must speak"),
        ({"preferred_language": "fr"}, "Select English or Welsh"),
    ],
)
def test_custody_explains_a_bad_address_or_need_and_keeps_what_was_typed(
    dm_client, team, fields, message
):
    response = _open(dm_client, team, given_name="Siân", **fields)
    assert response.status_code == 200
    assert message in errors(response)
    assert 'value="Siân"' in response.content.decode()
    assert not Person.objects.exists()


def test_the_intake_service_applies_the_same_address_rules(dm, team):
    person = factories.PersonFactory.build(address_line_1="4 Quarry Row", postcode="dh15ab")
    case = factories.open_case(dm=dm, team=team, person=person)
    assert case.person.postcode == "DH1 5AB"
    bad = factories.PersonFactory.build(needs_interpreter=True)
    with pytest.raises(InvalidInput, match="interpreter must speak"):
        factories.open_case(dm=dm, team=team, person=bad)


def test_an_interpreters_language_needs_an_interpreter(db):
    person = factories.PersonFactory(needs_interpreter=True, interpreter_language="Polish")
    person.needs_interpreter = False
    with pytest.raises(IntegrityError, match="interpreter"), transaction.atomic():
        person.save()  # the database refuses it too, whoever saves


# --- changed later by the navigator, with history ---------------------------------------------
@pytest.fixture
def case(dm, team, navigator) -> Case:
    return live_case(dm=dm, team=team, navigator=navigator)


def test_the_navigator_changes_language_needs_and_county_with_history(nav, case):
    page = reverse("navigators:contact-details", args=[case.reference])
    body = nav.get(page).content.decode()
    assert "Language for letters and messages" in body and "Easy read documents" in body
    data = {
        **form_of(nav, page),
        "address_line_1": "7 Stryd Fawr",
        "town": "Bangor",
        "county": "Gwynedd",
        "postcode": "LL57 1AA",
        "preferred_language": "cy",
        "needs": ["easy_read"],
        "reason": "Asked for Welsh",
    }
    response = nav.post(page, data)
    assert response.status_code == 302, errors(response)
    person = Person.objects.get(pk=case.person_id)
    assert person.postal_address == ["7 Stryd Fawr", "Bangor", "Gwynedd", "LL57 1AA"]
    assert (person.preferred_language, person.needs_easy_read) == ("cy", True)
    latest, before = get_history_manager_for_model(Person).filter(id=person.pk)[:2]
    assert (latest.preferred_language, before.preferred_language) == ("cy", "en")
    assert latest.history_change_reason == "Asked for Welsh"
    history = nav.get(reverse("navigators:case-history", args=[case.reference])).content.decode()
    assert "Reason: Asked for Welsh" in history


def test_the_navigator_is_told_when_the_interpreters_language_is_missing(nav, case):
    page = reverse("navigators:contact-details", args=[case.reference])
    data = {**form_of(nav, page), "preferred_language": "en", "needs": ["interpreter"]}
    response = nav.post(page, data)
    assert response.status_code == 200
    assert "Enter the language the interpreter must speak" in errors(response)
    assert not Person.objects.get(pk=case.person_id).needs_interpreter


def test_a_change_without_the_language_fields_leaves_the_language_as_it_was(case, navigator):
    Person.objects.filter(pk=case.person_id).update(preferred_language="cy")
    services.person_contact_update(case_id=case.pk, by=navigator, mobile="", email="")
    assert Person.objects.get(pk=case.person_id).preferred_language == "cy"
