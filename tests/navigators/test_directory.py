"""The service directory: who may use it, search and filters, flags, contact details, pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from checkpoint import roles
from checkpoint.models import ServiceProvider
from tests import factories

DIRECTORY = reverse("navigators:directory")


@pytest.fixture
def providers(db):
    return {
        "recovery": factories.ServiceProviderFactory(
            name="Wearside Recovery",
            description="Drug and alcohol key work",
            pathways=["drugs", "alcohol"],
            contact_name="Pat Lowe",
            phone="0191 496 0101",
            email="referrals@wearside.example",
            address="1 High Street\nSunderland",
            website="https://wearside.example",
        ),
        "women": factories.ServiceProviderFactory(
            name="Riverside Women's Centre",
            description="Wellbeing groups and advocacy",
            pathways=["mental-health", "domestic-abuse"],
            women_only=True,
        ),
        "veterans": factories.ServiceProviderFactory(
            name="Veterans Peer Support",
            description="Peer mentoring by ex-service personnel",
            pathways=["veterans", "mental-health"],
            veteran_specific=True,
        ),
        "closed": factories.ServiceProviderFactory(
            name="Closed Drug Project", pathways=["drugs"], active=False
        ),
    }


def names(response) -> list[str]:
    body = response.content.decode()
    return [p.name for p in ServiceProvider.objects.all() if p.name.replace("'", "&#x27;") in body]


@pytest.mark.parametrize("role", [roles.NAVIGATOR, roles.SUPERVISOR, roles.DECISION_MAKER])
def test_directory_is_for_navigators_supervisors_and_decision_makers(client, team, role):
    client.force_login(factories.make_user(role, team=team))
    response = client.get(DIRECTORY)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Service directory</h1>' in response.content.decode()


def test_analysts_are_refused_with_a_clear_page(client, analyst, providers):
    client.force_login(analyst)
    response = client.get(DIRECTORY)
    body = response.content.decode()
    assert response.status_code == 403
    assert "The service directory is for navigators, supervisors and decision makers" in body
    assert "Wearside Recovery" not in body


def test_directory_needs_sign_in(client, db):
    response = client.get(DIRECTORY)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_lists_active_providers_with_contact_details_and_flags(client, navigator, providers):
    client.force_login(navigator)
    response = client.get(DIRECTORY)
    body = response.content.decode()
    assert sorted(names(response)) == sorted(
        ["Wearside Recovery", "Riverside Women's Centre", "Veterans Peer Support"]
    )
    assert "3 services" in body
    for text in (
        "Pat Lowe",
        "0191 496 0101",
        'href="mailto:referrals@wearside.example"',
        "1 High Street<br>Sunderland",
        'href="https://wearside.example"',
        "Drugs",
        "Alcohol",
        '<strong class="govuk-tag govuk-tag--pink">Women only</strong>',
        '<strong class="govuk-tag govuk-tag--blue">Veteran specific</strong>',
    ):
        assert text in body, text


def test_filters_by_pathway(client, navigator, providers):
    client.force_login(navigator)
    assert names(client.get(DIRECTORY, {"pathway": "drugs"})) == ["Wearside Recovery"]
    response = client.get(DIRECTORY, {"pathway": "mental-health"})
    assert sorted(names(response)) == ["Riverside Women's Centre", "Veterans Peer Support"]
    assert '<option value="mental-health" selected>' in response.content.decode()


def test_searches_name_and_description(client, navigator, providers):
    client.force_login(navigator)
    assert names(client.get(DIRECTORY, {"q": "peer MENTORING"})) == ["Veterans Peer Support"]
    assert names(client.get(DIRECTORY, {"q": "wearside"})) == ["Wearside Recovery"]
    response = client.get(DIRECTORY, {"q": "gardening"})
    body = response.content.decode()
    assert names(response) == [] and "No services match these filters" in body
    assert 'value="gardening"' in body  # the search is kept


def test_women_only_and_veteran_filters(client, navigator, providers):
    client.force_login(navigator)
    response = client.get(DIRECTORY, {"women_only": "on"})
    assert names(response) == ["Riverside Women's Centre"]
    assert 'name="women_only" id="id_women_only" value="on" checked' in response.content.decode()
    assert names(client.get(DIRECTORY, {"veteran_specific": "on"})) == ["Veterans Peer Support"]
    assert names(client.get(DIRECTORY, {"veteran_specific": "on", "pathway": "drugs"})) == []


def test_unknown_pathway_is_an_error_and_other_filters_still_apply(client, navigator, providers):
    client.force_login(navigator)
    response = client.get(DIRECTORY, {"pathway": "astrology", "q": "Riverside"})
    body = response.content.decode()
    assert "<title>Error: " in body and "There is a problem" in body
    assert 'href="#id_pathway">Select a pathway from the list' in body
    assert names(response) == ["Riverside Women's Centre"]


def test_paginates_and_keeps_the_filters_in_page_links(client, navigator, db):
    for n in range(12):
        factories.ServiceProviderFactory(name=f"Drug service {n:02d}", pathways=["drugs"])
    client.force_login(navigator)
    first = client.get(DIRECTORY, {"pathway": "drugs"})
    body = first.content.decode()
    assert "12 services match your filters" in body
    assert len(names(first)) == 10 and "Drug service 00" in body
    assert "?pathway=drugs&amp;page=2" in body
    second = client.get(DIRECTORY, {"pathway": "drugs", "page": 2})
    assert names(second) == ["Drug service 10", "Drug service 11"]


def test_query_count_does_not_grow_with_providers(client, navigator, providers):
    client.force_login(navigator)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(DIRECTORY).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for n in range(6):
        factories.ServiceProviderFactory(name=f"Extra {n}", pathways=["drugs", "alcohol"])
    assert count() == small
