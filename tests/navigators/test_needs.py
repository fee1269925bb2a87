"""The needs assessment screen, its service and the services it suggests."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from checkpoint import services
from checkpoint.models import NeedItem, NeedsAssessment, Pathway
from checkpoint.services.errors import InvalidInput, NotPermitted, TransitionBlocked
from checkpoint.services.needs import NeedInput, needs_assessment_record
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(dm, team, navigator):
    return factories.accepted_case(dm=dm, team=team, navigator=navigator)


@pytest.fixture
def nav_client(client, navigator):
    client.force_login(navigator)
    return client


def url(case, name: str = "needs") -> str:
    return reverse(f"navigators:{name}", args=[case.reference])


def pathway(code: str) -> Pathway:
    return Pathway.objects.get(code=code)


def record(case, by, **levels) -> NeedsAssessment:
    """levels: pathway code (underscores for dashes) -> level."""
    items = [
        NeedInput(pathway_id=pathway(code.replace("_", "-")).pk, level=level)
        for code, level in levels.items()
    ]
    return needs_assessment_record(case_id=case.pk, by=by, items=items)


def case_for(person, dm, team, navigator):
    return factories.accepted_case(dm=dm, team=team, navigator=navigator, person=person)


# --- the screen ------------------------------------------------------------------------------


def test_needs_page_lists_every_pathway(nav_client, case):
    response = nav_client.get(url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Record the needs assessment" in html
    for p in Pathway.objects.all():
        assert f'name="level_{p.code}"' in html
        assert f'name="notes_{p.code}"' in html


def test_saving_writes_a_new_assessment_and_shows_it(nav_client, case, navigator):
    factories.ServiceProviderFactory(name="Recovery Hub", pathways=["drugs"])
    response = nav_client.post(
        url(case),
        {"level_drugs": "high", "notes_drugs": "Daily cannabis use", "level_alcohol": "none"},
    )
    assert response.status_code == 302
    assert response.url == url(case)
    assessment = NeedsAssessment.objects.get(case=case)
    assert assessment.assessed_by == navigator
    items = {i.pathway.code: (i.level, i.notes) for i in assessment.items.all()}
    assert items == {"drugs": ("high", "Daily cannabis use"), "alcohol": ("none", "")}

    html = nav_client.get(url(case)).content.decode()
    assert "Latest assessment" in html
    assert "Daily cannabis use" in html
    assert "Suggested services" in html
    assert "Recovery Hub" in html
    assert "Record a new assessment" in html
    assert re.search(r'name="level_drugs" type="radio" value="high" checked', html)


def test_a_new_assessment_keeps_the_earlier_one(nav_client, case, navigator):
    record(case, navigator, drugs="high")
    assert nav_client.post(url(case), {"level_drugs": "low"}).status_code == 302
    assert NeedsAssessment.objects.filter(case=case).count() == 2
    html = nav_client.get(url(case)).content.decode()
    assert re.search(r'name="level_drugs" type="radio" value="low" checked', html)


def test_saving_with_no_level_asks_for_one(nav_client, case):
    response = nav_client.post(url(case), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert re.search(r"<title>\s*Error: ", html)
    assert "Select a need level for at least one pathway" in html
    assert 'href="#id_level_accommodation_0"' in html
    assert not NeedsAssessment.objects.exists()


def test_notes_without_a_level_are_refused_and_kept(nav_client, case):
    response = nav_client.post(
        url(case), {"level_alcohol": "medium", "notes_drugs": "Uses at weekends"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a need level for Drugs, or remove its notes" in html
    assert 'href="#id_level_drugs_0"' in html
    assert "Uses at weekends</textarea>" in html
    assert re.search(r'name="level_alcohol" type="radio" value="medium" checked', html)
    assert not NeedsAssessment.objects.exists()


def test_needs_cannot_be_recorded_once_the_case_is_withdrawn(nav_client, case, navigator):
    services.case_withdraw(case_id=case.pk, by=navigator, reason="Moved away")
    page = nav_client.get(url(case)).content.decode()
    assert 'name="level_drugs"' not in page
    response = nav_client.post(url(case), {"level_drugs": "high"})
    assert "so its needs can no longer be assessed" in response.content.decode()
    assert not NeedsAssessment.objects.exists()


# --- suggested services ----------------------------------------------------------------------


def test_only_pathways_with_a_need_get_suggestions(nav_client, case, navigator):
    factories.ServiceProviderFactory(name="Recovery Hub", pathways=["drugs"])
    factories.ServiceProviderFactory(name="Housing Advice", pathways=["accommodation"])
    factories.ServiceProviderFactory(name="Closed Service", pathways=["drugs"], active=False)
    record(case, navigator, drugs="low", accommodation="none")
    html = nav_client.get(url(case)).content.decode()
    suggestions = html.split("Suggested services")[1]
    assert "Recovery Hub" in suggestions
    assert "Housing Advice" not in suggestions
    assert "Closed Service" not in suggestions


def test_women_only_services_are_suggested_only_to_women(client, dm, team, navigator):
    factories.ServiceProviderFactory(name="Women's Centre", pathways=["drugs"], women_only=True)
    client.force_login(navigator)
    woman = case_for(factories.PersonFactory(sex="female"), dm, team, navigator)
    man = case_for(factories.PersonFactory(sex="male"), dm, team, navigator)
    for case in (woman, man):
        record(case, navigator, drugs="medium")
    html = client.get(url(woman)).content.decode()
    assert "Women&#x27;s Centre" in html
    assert "Women only</strong>" in html
    assert "Women&#x27;s Centre" not in client.get(url(man)).content.decode()


def test_veteran_services_are_suggested_only_to_veterans(client, dm, team, navigator):
    factories.ServiceProviderFactory(
        name="Forces Support", pathways=["veterans"], veteran_specific=True
    )
    client.force_login(navigator)
    veteran = case_for(factories.PersonFactory(veteran_status="yes"), dm, team, navigator)
    civilian = case_for(factories.PersonFactory(veteran_status="no"), dm, team, navigator)
    for case in (veteran, civilian):
        record(case, navigator, veterans="high")
    html = client.get(url(veteran)).content.decode()
    assert "Forces Support" in html
    assert "Veterans</strong>" in html
    assert "Forces Support" not in client.get(url(civilian)).content.decode()


def test_suggestion_links_to_a_prefilled_referral_once_the_contract_is_started(
    nav_client, case, navigator
):
    provider = factories.ServiceProviderFactory(name="Recovery Hub", pathways=["drugs"])
    record(case, navigator, drugs="high")
    assert "Refer to Recovery Hub" not in nav_client.get(url(case)).content.decode()
    services.contract_open(case_id=case.pk, by=navigator)
    html = nav_client.get(url(case)).content.decode()
    link = (
        f"{url(case, 'contract-referral')}?provider={provider.pk}&amp;pathway={pathway('drugs').pk}"
    )
    assert link in html
    referral = nav_client.get(link.replace("&amp;", "&")).content.decode()
    assert re.search(rf'<option value="{provider.pk}" selected>', referral)


# --- who may use it --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["other_navigator", "analyst", "dm"])
def test_others_get_not_found(client, case, role, analyst, dm, team):
    users = {
        "other_navigator": factories.make_user("Navigator", team=team, username="nav2"),
        "analyst": analyst,
        "dm": dm,  # opened the case and can see it, but does not assess needs
    }
    client.force_login(users[role])
    expected = 403 if role == "dm" else 404  # the decision maker can see the case
    assert client.get(url(case)).status_code == expected
    assert client.post(url(case), {"level_drugs": "high"}).status_code == expected
    assert not NeedsAssessment.objects.exists()


def test_supervisor_of_the_team_can_record_needs(client, case, supervisor):
    client.force_login(supervisor)
    assert client.post(url(case), {"level_drugs": "high"}).status_code == 302
    assert NeedsAssessment.objects.get(case=case).assessed_by == supervisor


# --- the service -----------------------------------------------------------------------------


def test_service_refuses_custody_stage_cases(dm, team, supervisor):
    case = factories.open_case(dm=dm, team=team)
    with pytest.raises(TransitionBlocked, match="once the person has accepted the offer"):
        record(case, supervisor, drugs="high")


def test_service_refuses_roles_that_do_not_manage_cases(case, dm):
    with pytest.raises(NotPermitted):
        record(case, dm, drugs="high")


def test_service_requires_at_least_one_level(case, navigator):
    with pytest.raises(InvalidInput, match="at least one pathway"):
        record(case, navigator)
    with pytest.raises(InvalidInput, match="need level"):
        record(case, navigator, drugs="severe")
    assert not NeedItem.objects.exists()


def test_service_bumps_the_case_version(case, navigator):
    before = case.lock_version
    record(case, navigator, drugs="high")
    case.refresh_from_db()
    assert case.lock_version == before + 1
