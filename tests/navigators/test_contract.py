"""The contract builder: task list, each condition's page, consent, the date check and signing,
and the victim's wishes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from checkpoint import services
from checkpoint.models import (
    CaseState,
    CommunityCondition,
    CommunityKind,
    ConsentMethod,
    Contract,
    OffendingCondition,
    Pathway,
    PathwayReferral,
    RestorativeApproach,
    RestorativePreference,
    VictimCondition,
    VictimWishes,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(dm, team, navigator):
    return factories.accepted_case(dm=dm, team=team, navigator=navigator)


@pytest.fixture
def started(case, navigator):
    services.contract_open(case_id=case.pk, by=navigator)
    return case


@pytest.fixture
def nav_client(client, navigator):
    client.force_login(navigator)
    return client


def url(name: str, case, query: str = "") -> str:
    return reverse(f"navigators:{name}", args=[case.reference]) + query


def hidden_lock(response) -> dict:
    """The optimistic-locking fields as the page rendered them."""
    html = response.content.decode()
    return {
        name: re.search(rf'name="{name}" value="([^"]+)"', html).group(1)
        for name in ("lock_version", "opened_at")
    }


def open_form(client, name: str, case) -> dict:
    response = client.get(url(name, case))
    assert response.status_code == 200
    return hidden_lock(response)


def date_fields(name: str, value) -> dict:
    return {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}


def today():
    return timezone.localdate()


def assert_error_page(response, message: str) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert message in html
    assert re.search(r"<title>\s*Error: ", html)
    return html


# --- the whole journey ----------------------------------------------------------------------


def _start_and_add_conditions(client, case, provider):
    assert client.post(url("contract", case)).status_code == 302
    response = client.post(
        url("contract-victim", case),
        {"approach": RestorativeApproach.LETTER, **open_form(client, "contract-victim", case)},
    )
    assert response.status_code == 302
    response = client.post(
        url("contract-referral", case),
        {
            "provider": provider.pk,
            "pathway": Pathway.objects.get(code="drugs").pk,
            "what": "Drug awareness course",
            "frequency": "Weekly",
            "required_sessions": "4",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url("contract-community", case),
        {"kind": "hours", "hours_required": "24", **open_form(client, "contract-community", case)},
    )
    assert response.status_code == 302
    response = client.post(
        url("contract-consent", case),
        {
            "method": ConsentMethod.IN_PERSON,
            **date_fields("given_on", today()),
            **open_form(client, "contract-consent", case),
        },
    )
    assert response.status_code == 302


def test_navigator_builds_and_signs_the_contract_end_to_end(nav_client, case):
    provider = factories.ServiceProviderFactory(name="Recovery Hub", pathways=["drugs"])
    _start_and_add_conditions(nav_client, case, provider)

    builder = nav_client.get(url("contract", case)).content.decode()
    assert len(re.findall(r'govuk-task-list__status"[^>]*>\s*Completed', builder)) == 5
    assert "Recovery Hub (Drugs): Drug awareness course, weekly, 4 sessions" in builder
    assert url("contract-sign", case) in builder

    lock = open_form(nav_client, "contract-sign", case)
    check = nav_client.post(
        url("contract-sign", case), {**date_fields("starts_on", today()), **lock}
    )
    ends_on = today() + relativedelta(months=4)
    assert check.status_code == 200
    assert "Check the contract before signing" in check.content.decode()
    assert f"{ends_on:%-d %B %Y}" in check.content.decode()
    assert case.contract.signed_at is None  # the check step writes nothing

    signed = nav_client.post(
        url("contract-sign", case),
        {**date_fields("starts_on", today()), **lock, "confirm": "yes"},
    )
    assert signed.status_code == 302
    assert signed.url == url("case", case)
    case.refresh_from_db()
    contract = Contract.objects.get(case=case)
    assert case.state == CaseState.ACTIVE
    assert (contract.starts_on, contract.ends_on) == (today(), ends_on)
    assert contract.signed_at is not None


# --- the task list and starting the contract -------------------------------------------------


def test_builder_get_does_not_start_the_contract(nav_client, case):
    response = nav_client.get(url("contract", case))
    assert response.status_code == 200
    assert "Start the contract" in response.content.decode()
    assert not Contract.objects.filter(case=case).exists()


def test_start_button_opens_the_contract_with_the_offending_condition(nav_client, case):
    response = nav_client.post(url("contract", case))
    assert response.status_code == 302
    assert response.url == url("contract", case)
    contract = Contract.objects.get(case=case)
    assert OffendingCondition.objects.filter(contract=contract).exists()
    assert nav_client.post(url("contract", case)).status_code == 302  # idempotent
    assert Contract.objects.filter(case=case).count() == 1


def test_task_list_shows_each_status(nav_client, started):
    html = nav_client.get(url("contract", started)).content.decode()
    assert "govuk-task-list" in html
    assert "Start the contract" not in html
    for title in ("Offending condition", "Victim condition", "Pathway referrals"):
        assert title in html
    assert "Not yet started" in html
    assert "govuk-task-list__status--cannot-start-yet" in html
    assert url("contract-sign", started) not in html  # signing cannot start yet
    assert url("contract-victim", started) in html


def test_task_list_marks_completed_conditions(nav_client, started, navigator):
    services.victim_condition_set(
        case_id=started.pk, by=navigator, approach=RestorativeApproach.LETTER
    )
    html = nav_client.get(url("contract", started)).content.decode()
    victim_row = html.split("Victim condition")[1].split("</li>")[0]
    assert "Completed" in victim_row
    assert "Letter of apology" in victim_row


def test_builder_of_a_signed_contract_says_it_cannot_be_changed(client, dm, team, navigator):
    case = factories.active_case(dm=dm, team=team, navigator=navigator)
    client.force_login(navigator)
    html = client.get(url("contract", case)).content.decode()
    assert "cannot be built or changed" in html
    assert "Start the contract" not in html
    response = client.get(url("contract-community", case))
    assert response.status_code == 302
    assert response.url == url("contract", case)


def test_starting_a_contract_for_an_active_case_is_refused(client, dm, team, navigator):
    case = factories.active_case(dm=dm, team=team, navigator=navigator)
    client.force_login(navigator)
    response = client.post(url("contract", case))
    assert_error_page(response, "A contract is built once the person has accepted the offer.")


# --- victim condition and victim's wishes ----------------------------------------------------


def test_victim_condition_is_preselected_from_the_victims_wishes(nav_client, started, navigator):
    services.victim_wishes_record(
        case_id=started.pk,
        by=navigator,
        name="Corner Shop Ltd",
        restorative_preference=RestorativePreference.FACE_TO_FACE,
        keep_informed=False,
    )
    html = nav_client.get(url("contract-victim", started)).content.decode()
    assert "Corner Shop Ltd" in html
    assert re.search(r'value="face_to_face" checked', html)


def test_victim_asking_for_no_contact_preselects_victim_declined(nav_client, started, navigator):
    services.victim_wishes_record(
        case_id=started.pk,
        by=navigator,
        name="A Person",
        restorative_preference=RestorativePreference.NO_CONTACT,
        keep_informed=False,
    )
    html = nav_client.get(url("contract-victim", started)).content.decode()
    assert re.search(r'value="victim_declined" checked', html)


def test_victim_condition_saves_and_returns_to_the_builder(nav_client, started):
    lock = open_form(nav_client, "contract-victim", started)
    response = nav_client.post(url("contract-victim", started), {"approach": "shuttle", **lock})
    assert response.status_code == 302
    assert response.url == url("contract", started)
    assert VictimCondition.objects.get(contract__case=started).approach == "shuttle"


def test_victim_condition_against_the_victims_wishes_is_refused(nav_client, started, navigator):
    services.victim_wishes_record(
        case_id=started.pk,
        by=navigator,
        name="A Person",
        restorative_preference=RestorativePreference.NO_CONTACT,
        keep_informed=False,
    )
    lock = open_form(nav_client, "contract-victim", started)
    response = nav_client.post(url("contract-victim", started), {"approach": "letter", **lock})
    html = assert_error_page(response, "The victim asked for no contact")
    assert re.search(r'value="letter" checked', html)
    assert not VictimCondition.objects.filter(contract__case=started).exists()


def test_victim_condition_without_a_choice_says_select_one(nav_client, started):
    lock = open_form(nav_client, "contract-victim", started)
    response = nav_client.post(url("contract-victim", started), lock)
    html = assert_error_page(response, "Select the restorative approach")
    assert 'href="#id_approach_0"' in html


def test_victims_wishes_are_recorded_and_return_to_the_victim_condition(nav_client, started):
    response = nav_client.post(
        url("victim-wishes", started, "?from=contract"),
        {
            "name": "Corner Shop Ltd",
            "restorative_preference": "letter",
            "keep_informed": "on",
            "email": "manager@example.com",
        },
    )
    assert response.status_code == 302
    assert response.url == url("contract-victim", started)
    wishes = VictimWishes.objects.get(case=started)
    assert (wishes.restorative_preference, wishes.keep_informed) == ("letter", True)
    assert wishes.email == "manager@example.com"


def test_victims_wishes_go_back_to_the_case_page_by_default(nav_client, case):
    response = nav_client.post(
        url("victim-wishes", case), {"name": "A Person", "restorative_preference": "no_contact"}
    )
    assert response.status_code == 302
    assert response.url == url("case", case)


def test_keeping_the_victim_informed_needs_a_contact(nav_client, case):
    response = nav_client.post(
        url("victim-wishes", case),
        {"name": "Corner Shop Ltd", "restorative_preference": "letter", "keep_informed": "on"},
    )
    html = assert_error_page(
        response, "To keep the victim informed, enter a mobile number or email"
    )
    assert 'value="Corner Shop Ltd"' in html
    assert re.search(r'value="letter" checked', html)
    assert 'href="#id_mobile"' in html
    assert not VictimWishes.objects.exists()


# --- pathway referrals -----------------------------------------------------------------------


def test_referral_page_offers_the_directory_as_an_autocomplete(nav_client, started):
    factories.ServiceProviderFactory(name="Recovery Hub", pathways=["drugs", "alcohol"])
    html = nav_client.get(url("contract-referral", started)).content.decode()
    assert "data-autocomplete" in html
    assert "Recovery Hub: Drugs, Alcohol" in html


def test_referral_to_a_pathway_the_service_does_not_offer_is_refused(nav_client, started):
    provider = factories.ServiceProviderFactory(name="Recovery Hub", pathways=["drugs"])
    response = nav_client.post(
        url("contract-referral", started),
        {
            "provider": provider.pk,
            "pathway": Pathway.objects.get(code="accommodation").pk,
            "what": "Housing advice",
            "frequency": "Fortnightly",
            "required_sessions": "3",
        },
    )
    html = assert_error_page(response, "Recovery Hub does not offer that pathway")
    assert 'href="#id_pathway"' in html
    assert 'value="Housing advice"' in html
    assert 'value="Fortnightly"' in html
    assert 'value="3"' in html
    assert not PathwayReferral.objects.exists()


def test_several_referrals_can_be_added_and_are_listed(nav_client, started):
    provider = factories.ServiceProviderFactory(name="Recovery Hub", pathways=["drugs"])
    for what in ("Drug awareness course", "Key worker sessions"):
        response = nav_client.post(
            url("contract-referral", started),
            {
                "provider": provider.pk,
                "pathway": Pathway.objects.get(code="drugs").pk,
                "what": what,
                "frequency": "Weekly",
                "required_sessions": "2",
            },
        )
        assert response.status_code == 302
    assert PathwayReferral.objects.filter(contract__case=started).count() == 2
    html = nav_client.get(url("contract-referral", started)).content.decode()
    assert "Drug awareness course" in html
    assert "Key worker sessions" in html


def test_referral_sessions_out_of_range_are_refused(nav_client, started):
    provider = factories.ServiceProviderFactory(pathways=["drugs"])
    response = nav_client.post(
        url("contract-referral", started),
        {
            "provider": provider.pk,
            "pathway": Pathway.objects.get(code="drugs").pk,
            "what": "Course",
            "frequency": "Weekly",
            "required_sessions": "0",
        },
    )
    assert_error_page(response, "Sessions must be between 1 and 100")


def test_women_only_services_are_offered_only_to_women(client, dm, team, navigator):
    factories.ServiceProviderFactory(name="Women's Centre", pathways=["drugs"], women_only=True)
    client.force_login(navigator)
    man = factories.accepted_case(
        dm=dm, team=team, navigator=navigator, person=factories.PersonFactory(sex="male")
    )
    woman = factories.accepted_case(
        dm=dm, team=team, navigator=navigator, person=factories.PersonFactory(sex="female")
    )
    for case in (man, woman):
        services.contract_open(case_id=case.pk, by=navigator)
    assert "Women&#x27;s Centre" not in client.get(url("contract-referral", man)).content.decode()
    html = client.get(url("contract-referral", woman)).content.decode()
    assert "Women&#x27;s Centre: Drugs (women only)" in html


# --- community condition ---------------------------------------------------------------------


def test_community_page_shows_the_schemes_hours_range(nav_client, started):
    html = nav_client.get(url("contract-community", started)).content.decode()
    assert "Between 18 and 36 hours" in html
    assert "govuk-radios__conditional" in html


def test_community_hours_out_of_range_are_refused_and_kept(nav_client, started):
    lock = open_form(nav_client, "contract-community", started)
    response = nav_client.post(
        url("contract-community", started), {"kind": "hours", "hours_required": "40", **lock}
    )
    html = assert_error_page(response, "Community hours must be between 18 and 36")
    assert 'href="#id_hours_required"' in html
    assert re.search(r'name="hours_required" value="40"', html)
    assert re.search(r'value="hours" checked', html)
    assert not CommunityCondition.objects.exists()


def test_community_hours_within_range_are_saved(nav_client, started):
    lock = open_form(nav_client, "contract-community", started)
    response = nav_client.post(
        url("contract-community", started), {"kind": "hours", "hours_required": "30", **lock}
    )
    assert response.status_code == 302
    condition = CommunityCondition.objects.get(contract__case=started)
    assert (condition.kind, condition.hours_required) == (CommunityKind.HOURS, 30)


def test_gps_tag_ending_before_it_starts_is_refused(nav_client, started):
    lock = open_form(nav_client, "contract-community", started)
    start = today() + timedelta(days=7)
    response = nav_client.post(
        url("contract-community", started),
        {
            "kind": "gps_tag",
            **date_fields("gps_starts_on", start),
            **date_fields("gps_ends_on", start - timedelta(days=5)),
            **lock,
        },
    )
    html = assert_error_page(response, "The GPS tag end date must be after the start date")
    assert 'href="#id_gps_ends_on_0"' in html
    assert 'id="id_gps_ends_on_0"' in html  # the summary's link has a target
    assert re.search(rf'name="gps_ends_on_day"[^>]*value="{(start - timedelta(days=5)).day}"', html)
    assert re.search(rf'name="gps_starts_on_year"[^>]*value="{start.year}"', html)
    assert not CommunityCondition.objects.exists()


def test_gps_tag_period_is_saved(nav_client, started):
    lock = open_form(nav_client, "contract-community", started)
    start = today() + timedelta(days=7)
    response = nav_client.post(
        url("contract-community", started),
        {
            "kind": "gps_tag",
            **date_fields("gps_starts_on", start),
            **date_fields("gps_ends_on", start + timedelta(days=60)),
            **lock,
        },
    )
    assert response.status_code == 302
    condition = CommunityCondition.objects.get(contract__case=started)
    assert (condition.gps_starts_on, condition.gps_ends_on) == (start, start + timedelta(days=60))


def test_stale_edit_is_refused_with_what_changed(nav_client, started, supervisor):
    lock = open_form(nav_client, "contract-community", started)
    services.note_add(case_id=started.pk, by=supervisor, text="Spoke to the participant")
    response = nav_client.post(
        url("contract-community", started), {"kind": "hours", "hours_required": "24", **lock}
    )
    html = assert_error_page(response, "This case changed since you opened this page")
    assert "Note added" in html
    assert re.search(r'name="hours_required" value="24"', html)
    assert not CommunityCondition.objects.exists()
    # The refreshed page carries the current version: saving again now applies.
    again = nav_client.post(
        url("contract-community", started),
        {"kind": "hours", "hours_required": "24", **hidden_lock(response)},
    )
    assert again.status_code == 302
    assert CommunityCondition.objects.filter(contract__case=started).exists()


# --- consent ---------------------------------------------------------------------------------


def test_consent_is_recorded(nav_client, started, navigator):
    lock = open_form(nav_client, "contract-consent", started)
    response = nav_client.post(
        url("contract-consent", started),
        {"method": "paper_signed", **date_fields("given_on", today()), **lock},
    )
    assert response.status_code == 302
    contract = Contract.objects.get(case=started)
    assert (contract.consent_method, contract.consent_given_on) == ("paper_signed", today())
    assert contract.consent_recorded_by == navigator


def test_consent_dated_in_the_future_is_refused_and_kept(nav_client, started):
    lock = open_form(nav_client, "contract-consent", started)
    tomorrow = today() + timedelta(days=1)
    response = nav_client.post(
        url("contract-consent", started),
        {"method": "in_person", **date_fields("given_on", tomorrow), **lock},
    )
    html = assert_error_page(response, "The date consent was given must be today or in the past")
    assert 'href="#id_given_on_0"' in html
    assert 'id="id_given_on_0"' in html
    assert re.search(rf'name="given_on_day"[^>]*value="{tomorrow.day}"', html)
    assert re.search(r'value="in_person" checked', html)
    assert Contract.objects.get(case=started).consent_given_on is None


def test_consent_without_a_date_asks_for_it(nav_client, started):
    lock = open_form(nav_client, "contract-consent", started)
    response = nav_client.post(url("contract-consent", started), {"method": "in_person", **lock})
    assert_error_page(response, "Enter the date consent was given")


def test_consent_with_part_of_a_date_says_what_is_missing(nav_client, started):
    lock = open_form(nav_client, "contract-consent", started)
    response = nav_client.post(
        url("contract-consent", started), {"method": "in_person", "given_on_day": "3", **lock}
    )
    html = assert_error_page(response, "The date consent was given must include a month and year")
    assert re.search(r'name="given_on_day"[^>]*value="3"', html)


# --- signing ---------------------------------------------------------------------------------


def _all_but_community(case, navigator):
    services.contract_open(case_id=case.pk, by=navigator)
    services.victim_condition_set(case_id=case.pk, by=navigator, approach="letter")
    services.referral_add(
        case_id=case.pk,
        by=navigator,
        provider_id=factories.ServiceProviderFactory(pathways=["drugs"]).pk,
        pathway_id=Pathway.objects.get(code="drugs").pk,
        what="Course",
        frequency="Weekly",
        required_sessions=2,
    )
    services.consent_record(
        case_id=case.pk, by=navigator, method="in_person", given_on=timezone.localdate()
    )


def test_sign_page_lists_what_is_missing(nav_client, case, navigator):
    _all_but_community(case, navigator)
    html = nav_client.get(url("contract-sign", case)).content.decode()
    assert "You cannot sign the contract yet" in html
    assert "Add the Community condition" in html
    assert f'href="{url("contract-community", case)}"' in html
    assert 'name="starts_on_day"' not in html  # nothing to sign yet


def test_signing_with_a_missing_condition_lists_it(nav_client, case, navigator):
    _all_but_community(case, navigator)
    case.refresh_from_db()  # the sign page shows no form yet: post as if it had
    lock = {"lock_version": case.lock_version, "opened_at": timezone.now().isoformat()}
    for extra in ({}, {"confirm": "yes"}):
        response = nav_client.post(
            url("contract-sign", case), {**date_fields("starts_on", today()), **lock, **extra}
        )
        html = assert_error_page(response, "Add the Community condition")
        assert "Check the contract before signing" not in html
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED


def test_sign_start_date_defaults_to_today(nav_client, case, navigator):
    factories.build_contract(case, navigator=navigator, now=timezone.now())
    html = nav_client.get(url("contract-sign", case)).content.decode()
    assert re.search(rf'name="starts_on_day"[^>]*value="{today().day}"', html)
    assert re.search(rf'name="starts_on_year"[^>]*value="{today().year}"', html)


def test_sign_start_date_too_far_ahead_is_refused(nav_client, case, navigator):
    factories.build_contract(case, navigator=navigator, now=timezone.now())
    lock = open_form(nav_client, "contract-sign", case)
    later = today() + timedelta(days=30)
    response = nav_client.post(
        url("contract-sign", case), {**date_fields("starts_on", later), **lock}
    )
    html = assert_error_page(response, "The start date must be within 14 days from today")
    assert re.search(rf'name="starts_on_month"[^>]*value="{later.month}"', html)


def test_check_page_warns_when_the_deadline_falls_before_the_contract_ends(
    client, dm, team, navigator
):
    now = timezone.now()
    case = factories.accepted_case(
        dm=dm,
        team=team,
        navigator=navigator,
        now=now,
        offences=[factories.offence("COMMON-ASSAULT", committed_on=today() - timedelta(days=70))],
    )
    factories.build_contract(case, navigator=navigator, now=now)
    client.force_login(navigator)
    lock = open_form(client, "contract-sign", case)
    response = client.post(
        url("contract-sign", case), {**date_fields("starts_on", today()), **lock}
    )
    html = response.content.decode()
    assert "govuk-warning-text" in html
    assert "before the contract ends" in html
    assert f"{case.prosecution_deadline:%-d %B %Y}" in html


def test_check_page_warns_when_the_deadline_is_soon_after_the_end(client, dm, team, navigator):
    now = timezone.now()
    ends_on = today() + relativedelta(months=4)
    committed_on = ends_on + timedelta(days=10) - relativedelta(months=6)
    case = factories.accepted_case(
        dm=dm,
        team=team,
        navigator=navigator,
        now=now,
        offences=[factories.offence("COMMON-ASSAULT", committed_on=committed_on)],
    )
    factories.build_contract(case, navigator=navigator, now=now)
    client.force_login(navigator)
    lock = open_form(client, "contract-sign", case)
    response = client.post(
        url("contract-sign", case), {**date_fields("starts_on", today()), **lock}
    )
    html = response.content.decode()
    days = (case.prosecution_deadline - ends_on).days
    assert 0 <= days <= 28
    assert "govuk-warning-text" in html
    assert f"Only {days} days between the end of the contract" in html


def test_check_page_has_no_warning_without_a_time_limit(nav_client, case, navigator):
    factories.build_contract(case, navigator=navigator, now=timezone.now())
    lock = open_form(nav_client, "contract-sign", case)
    response = nav_client.post(
        url("contract-sign", case), {**date_fields("starts_on", today()), **lock}
    )
    html = response.content.decode()
    assert "No statutory time limit" in html
    assert "govuk-warning-text" not in html


# --- who may use the builder -----------------------------------------------------------------

PAGES = (
    "contract",
    "contract-victim",
    "contract-referral",
    "contract-community",
    "contract-consent",
    "contract-sign",
    "victim-wishes",
)


@pytest.mark.parametrize("role", ["other_navigator", "analyst", "dm"])
def test_others_get_not_found(client, started, role, analyst, dm, team):
    users = {
        "other_navigator": factories.make_user("Navigator", team=team, username="nav2"),
        "analyst": analyst,
        "dm": dm,  # opened the case and can see it, but builds no contracts
    }
    client.force_login(users[role])
    # Out of reach: not found. Within reach but not a case manager: refused with a reason.
    expected = 403 if role == "dm" else 404
    for name in PAGES:
        response = client.get(url(name, started))
        assert response.status_code == expected, name
        if expected == 403:
            assert "Only a navigator or supervisor" in response.content.decode()
    assert client.post(url("contract-victim", started), {"approach": "letter"}).status_code == (
        expected
    )
    assert not VictimCondition.objects.exists()


def test_supervisor_of_the_team_can_use_the_builder(client, started, supervisor):
    client.force_login(supervisor)
    assert client.get(url("contract", started)).status_code == 200
    assert client.get(url("contract-community", started)).status_code == 200


def test_anonymous_user_is_sent_to_sign_in(client, started):
    response = client.get(url("contract", started))
    assert response.status_code == 302
    assert "/sign-in/" in response.url
