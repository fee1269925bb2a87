"""The needs assessment's suggested services: a referral link whenever a referral can be made,
pre-filled with the service and the pathway; otherwise the page says why not yet (issue 16,
point 10)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from checkpoint import services
from checkpoint.models import Pathway
from checkpoint.services.needs import NeedInput, needs_assessment_record
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def nav_client(client, navigator):
    client.force_login(navigator)
    return client


@pytest.fixture
def provider(db):
    return factories.ServiceProviderFactory(name="Recovery Hub", pathways=["drugs"])


def assess(case, navigator):
    drugs = Pathway.objects.get(code="drugs")
    needs_assessment_record(
        case_id=case.pk, by=navigator, items=[NeedInput(pathway_id=drugs.pk, level="high")]
    )
    return drugs


def url(case, name="needs"):
    return reverse(f"navigators:{name}", args=[case.reference])


def test_before_the_contract_is_started_the_page_says_how_to_refer(
    nav_client, dm, team, navigator, provider
):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator)
    assess(case, navigator)

    html = nav_client.get(url(case)).content.decode()

    assert "Refer to Recovery Hub" not in html
    assert "start building the contract first" in html
    assert f'href="{url(case, "contract")}">Go to the contract</a>' in html


def test_the_referral_opens_with_the_service_and_the_pathway_chosen(
    nav_client, dm, team, navigator, provider
):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator)
    drugs = assess(case, navigator)
    services.contract_open(case_id=case.pk, by=navigator)

    html = nav_client.get(url(case)).content.decode()
    assert "start building the contract first" not in html
    link = re.search(r'href="([^"]+)">Refer to Recovery Hub', html)
    assert link, "a referral link for the suggested service"

    form = nav_client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert re.search(rf'<option value="{provider.pk}" selected>', form)
    assert re.search(rf'<option value="{drugs.pk}" selected>', form)


def test_once_the_contract_is_signed_the_page_says_why_no_referral(
    nav_client, dm, team, navigator, provider
):
    case = factories.active_case(dm=dm, team=team, navigator=navigator)
    assess(case, navigator)

    html = nav_client.get(url(case)).content.decode()

    assert "Refer to Recovery Hub" not in html
    assert "The contract is signed, so no referral can be added to it now" in html
