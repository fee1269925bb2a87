"""The supervisor's allocation and handover screens (issue 16 point 1): allocate one case or
several, reallocate with a reason, hand a leaving navigator's caseload over, every allocation in
the case history, and Back-and-resubmit allocating once."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from checkpoint import roles, services
from checkpoint.handover import share_out
from checkpoint.models import Case, CaseAllocation
from checkpoint.text import display_name
from tests import factories

from .helpers import live_case

ALLOCATE = reverse("supervisors:allocate")
HANDOVER = reverse("supervisors:handover")
DASHBOARD = reverse("supervisors:dashboard")
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def hidden_fields(response) -> dict[str, list[str]]:
    """The page's hidden inputs as the browser sends them back (a name may repeat)."""
    found: dict[str, list[str]] = {}
    for name, value in HIDDEN.findall(response.content.decode()):
        found.setdefault(name, []).append(value)
    return found


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def named(first: str, last: str, team, username: str):
    user = factories.make_user(roles.NAVIGATOR, team=team, username=username)
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


@pytest.fixture
def siobhan(team):
    return named("Siobhán", "Ní Bhriain", team, "siobhan")


@pytest.fixture
def oshea(team):
    return named("Liam", "O'Shea", team, "oshea")


def unallocated(dm, team, days_ago: int = 0) -> Case:
    return live_case(
        dm=dm, team=team, navigator=None, builder=factories.accepted_case, days_ago=days_ago
    )


def allocate_form(client, cases) -> tuple[dict, str]:
    page = client.get(ALLOCATE, {"case": [c.reference for c in cases]})
    assert page.status_code == 200
    return hidden_fields(page), page.content.decode()


# --- the dashboard -----------------------------------------------------------------------------
def test_unallocated_cases_are_first_on_the_dashboard_with_an_allocate_action(
    sup_client, dm, team, navigator
):
    waiting = unallocated(dm, team, days_ago=2)
    fresh = unallocated(dm, team)
    mine = live_case(dm=dm, team=team, navigator=navigator)
    body = sup_client.get(DASHBOARD).content.decode()
    assert "Not allocated (2)" in body
    assert body.index("Not allocated (2)") < body.index("Cases by state")
    section = body[body.index("Not allocated (2)") : body.index("Cases by state")]
    assert f'action="{ALLOCATE}"' in section
    assert section.index(waiting.reference) < section.index(fresh.reference)  # longest first
    assert mine.reference not in section
    # Accepted two days ago, past the 24-hour alert: flagged; today's is not.
    assert section.count("Waiting too long") == 1
    assert "Allocate the selected cases" in section


def test_ticking_nothing_says_so(sup_client, dm, team):
    unallocated(dm, team)
    body = sup_client.get(ALLOCATE, {"selected": "1"}).content.decode()
    assert "Select at least one case" in body and "<title>Error: " in body


# --- allocating ------------------------------------------------------------------------------
def test_a_supervisor_allocates_one_case_seeing_each_navigators_workload(
    sup_client, dm, team, siobhan, oshea, supervisor
):
    live_case(dm=dm, team=team, navigator=oshea)
    case = unallocated(dm, team)
    data, body = allocate_form(sup_client, [case])
    assert "Siobhán Ní Bhriain" in body and "O&#x27;Shea" in body
    assert "0 open cases: 0 under supervision" in body
    assert "1 open case: 1 under supervision" in body

    response = sup_client.post(ALLOCATE, {**data, "navigator": siobhan.pk, "reason": ""})
    assert response.status_code == 302 and response.url == DASHBOARD
    assert said(response) == [
        f"{case.reference} allocated to Siobhán Ní Bhriain: it is on their caseload now"
    ]
    assert Case.objects.get(pk=case.pk).navigator == siobhan
    row = CaseAllocation.objects.get(case=case)
    assert (row.navigator, row.previous_navigator, row.by) == (siobhan, None, supervisor)


def test_a_supervisor_allocates_several_cases_at_once(sup_client, dm, team, oshea):
    cases = [unallocated(dm, team) for _ in range(3)]
    data, body = allocate_form(sup_client, cases)
    assert "Allocate 3 cases" in body
    assert sorted(data["cases"]) == sorted(c.reference for c in cases)
    response = sup_client.post(ALLOCATE, {**data, "navigator": oshea.pk})
    assert said(response) == ["3 cases allocated to Liam O'Shea: they are on their caseload now"]
    assert Case.objects.filter(navigator=oshea).count() == 3
    assert CaseAllocation.objects.filter(case__in=cases, navigator=oshea).count() == 3


def test_reallocating_asks_for_a_reason_and_keeps_it_in_the_history(
    sup_client, dm, team, navigator, siobhan
):
    case = live_case(dm=dm, team=team, navigator=navigator)
    url = reverse("supervisors:case-allocate", args=[case.reference])
    page = sup_client.get(url)
    assert "Reallocate the case" in page.content.decode()
    assert "(has the case now)" in page.content.decode()
    data = {k: v[0] for k, v in hidden_fields(page).items()}

    refused = sup_client.post(url, {**data, "navigator": siobhan.pk, "reason": "  "})
    assert refused.status_code == 200
    assert f"Enter why {case.reference} is reallocated from its navigator" in (
        refused.content.decode()
    )
    assert Case.objects.get(pk=case.pk).navigator == navigator

    reason = "Covering Sam's caseload while on leave"
    saved = sup_client.post(url, {**data, "navigator": siobhan.pk, "reason": reason})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert said(saved) == ["Case allocated to Siobhán Ní Bhriain: it is on their caseload now"]
    last = CaseAllocation.objects.filter(case=case).last()
    assert (last.previous_navigator, last.navigator, last.reason) == (navigator, siobhan, reason)

    history = sup_client.get(reverse("navigators:case-history", args=[case.reference]))
    text = history.content.decode()
    assert f"Reallocated: from {escape(display_name(navigator))} to Siobhán Ní Bhriain" in text
    assert "Reason: Covering Sam&#x27;s caseload while on leave" in text
    assert "Allocated: to " in text  # the first allocation, at acceptance


def test_a_navigator_of_another_team_is_refused_with_a_clear_message(
    sup_client, dm, team, supervisor
):
    case = unallocated(dm, team)
    far = factories.make_user(roles.NAVIGATOR, team=factories.TeamFactory(name="Far West"))
    data, _ = allocate_form(sup_client, [case])
    response = sup_client.post(ALLOCATE, {**data, "navigator": far.pk})
    assert response.status_code == 200
    assert f"Choose a navigator of the {team.name} team" in response.content.decode()
    assert Case.objects.get(pk=case.pk).navigator is None
    # The service refuses it too, whatever screen calls it.
    with pytest.raises(services.CaseError, match=f"Choose a navigator of the {team.name} team"):
        services.case_allocate(case_ids=[case.pk], by=supervisor, navigator=far)


def test_another_teams_case_cannot_be_chosen(sup_client, dm, team):
    west = factories.TeamFactory(name="West")
    theirs = unallocated(dm, west)
    body = sup_client.get(ALLOCATE, {"case": theirs.reference, "selected": "1"}).content.decode()
    assert theirs.reference not in body
    assert "The cases you selected can no longer be allocated" in body


def test_a_navigator_cannot_allocate_or_hand_over(client, dm, team, navigator, siobhan):
    case = unallocated(dm, team)
    theirs = live_case(dm=dm, team=team, navigator=navigator)
    client.force_login(navigator)
    for url in (
        ALLOCATE,
        reverse("supervisors:case-allocate", args=[theirs.reference]),
        HANDOVER,
        reverse("supervisors:handover-done"),
    ):
        assert client.get(url).status_code == 403, url
        post = client.post(url, {"cases": case.reference, "navigator": siobhan.pk})
        assert post.status_code == 403, url
    assert Case.objects.get(pk=case.pk).navigator is None
    assert Case.objects.get(pk=theirs.pk).navigator == navigator


def test_the_case_page_offers_allocation_to_supervisors_only(
    client, dm, team, navigator, supervisor
):
    case = live_case(dm=dm, team=team, navigator=navigator)
    link = reverse("supervisors:case-allocate", args=[case.reference])
    client.force_login(supervisor)
    page = client.get(reverse("navigators:case", args=[case.reference])).content.decode()
    assert "Reallocate to another navigator" in page and link in page
    client.force_login(navigator)
    page = client.get(reverse("navigators:case", args=[case.reference])).content.decode()
    assert link not in page


def test_back_and_resubmit_allocates_once(sup_client, dm, team, navigator, siobhan, oshea):
    case = live_case(dm=dm, team=team, navigator=navigator)
    data, _ = allocate_form(sup_client, [case])
    form = {**data, "navigator": siobhan.pk, "reason": "Navigator off sick"}
    assert sup_client.post(ALLOCATE, form).status_code == 302
    # Meanwhile the case goes on to O'Shea; the first form, sent again, must not take it back.
    services.case_allocate(
        case_ids=[case.pk], by=team_supervisor(team), navigator=oshea, reason="Closer to home"
    )
    again = sup_client.post(ALLOCATE, form)
    assert again.status_code == 302
    assert "Nothing was saved a second time" in said(again)[-1]
    assert Case.objects.get(pk=case.pk).navigator == oshea
    assert CaseAllocation.objects.filter(case=case).count() == 3  # acceptance, form, service


def team_supervisor(team):
    return factories.make_user(roles.SUPERVISOR, team=team, username="sup2")


# --- handover --------------------------------------------------------------------------------
def test_handover_moves_every_open_case_and_records_history(
    sup_client, dm, team, navigator, siobhan, oshea
):
    leaving = [live_case(dm=dm, team=team, navigator=navigator) for _ in range(2)]
    leaving.append(
        live_case(dm=dm, team=team, navigator=navigator, builder=factories.accepted_case)
    )
    live_case(dm=dm, team=team, navigator=oshea)  # O'Shea has one already

    chooser = sup_client.get(HANDOVER).content.decode()
    assert "3 open cases: 2 under supervision" in chooser
    page = sup_client.get(HANDOVER, {"navigator": navigator.pk})
    assert "has 3 open cases" in page.content.decode()
    data = {k: v[0] for k, v in hidden_fields(page).items()}
    form = {**data, "mode": "share", "share": [siobhan.pk, oshea.pk], "reason": "Leaving the team"}

    check = sup_client.post(HANDOVER, form)
    assert check.status_code == 200
    text = check.content.decode()
    assert "Check before you hand over 3 cases" in text
    assert Case.objects.filter(navigator=navigator).count() == 3  # nothing moved yet
    # Shared to even out: Siobhán (0 cases) takes two, O'Shea (1 case) one; both end with 2.
    confirm = {k: v if len(v) > 1 else v[0] for k, v in hidden_fields(check).items()}
    assert confirm["confirmed"] == "yes"

    done = sup_client.post(HANDOVER, confirm)
    assert done.status_code == 302 and done.url == reverse("supervisors:handover-done")
    assert not Case.objects.filter(navigator=navigator).exists()
    assert Case.objects.filter(pk__in=[c.pk for c in leaving], navigator=siobhan).count() == 2
    assert Case.objects.filter(pk__in=[c.pk for c in leaving], navigator=oshea).count() == 1
    for case in leaving:
        last = CaseAllocation.objects.filter(case=case).last()
        assert (last.previous_navigator, last.reason) == (navigator, "Leaving the team")

    after = sup_client.get(done.url).content.decode()
    assert "3 cases moved from" in after and "What happens next" in after
    assert "2 to Siobhán Ní Bhriain, who now has 2 open cases" in after

    # Back to the check page and confirm again: nothing more moves.
    again = sup_client.post(HANDOVER, confirm)
    assert again.status_code == 302 and "Nothing was saved a second time" in said(again)[-1]
    assert CaseAllocation.objects.filter(case__in=leaving).count() == 6


def test_handover_to_one_navigator_needs_that_navigator_and_a_reason(
    sup_client, dm, team, navigator, siobhan
):
    live_case(dm=dm, team=team, navigator=navigator)
    page = sup_client.get(HANDOVER, {"navigator": navigator.pk})
    data = {k: v[0] for k, v in hidden_fields(page).items()}
    body = sup_client.post(HANDOVER, {**data, "mode": "one"}).content.decode()
    assert "Select the navigator who takes every case" in body
    assert "Enter why the caseload is handed over" in body
    check = sup_client.post(HANDOVER, {**data, "mode": "one", "to": siobhan.pk, "reason": "Left"})
    assert "Check before you hand over 1 case" in check.content.decode()


def test_a_caseload_that_changed_before_confirming_is_checked_again(
    sup_client, dm, team, navigator, siobhan
):
    live_case(dm=dm, team=team, navigator=navigator)
    page = sup_client.get(HANDOVER, {"navigator": navigator.pk})
    data = {k: v[0] for k, v in hidden_fields(page).items()}
    check = sup_client.post(HANDOVER, {**data, "mode": "one", "to": siobhan.pk, "reason": "Left"})
    confirm = {k: v[0] for k, v in hidden_fields(check).items()}
    live_case(dm=dm, team=team, navigator=navigator)  # a new case arrives meanwhile

    again = sup_client.post(HANDOVER, confirm)
    assert again.status_code == 200
    assert "caseload changed while you were choosing" in again.content.decode()
    assert Case.objects.filter(navigator=navigator).count() == 2  # nothing moved
    final = {k: v[0] for k, v in hidden_fields(again).items()}
    assert sup_client.post(HANDOVER, final).status_code == 302
    assert not Case.objects.filter(navigator=navigator).exists()


def test_a_navigator_of_another_team_cannot_be_handed_over(sup_client):
    far = factories.make_user(roles.NAVIGATOR, team=factories.TeamFactory(name="Far West"))
    body = sup_client.get(HANDOVER, {"navigator": far.pk}).content.decode()
    assert "Select a navigator of your team from the list" in body


def test_sharing_out_evens_the_workloads():
    assert share_out([1, 2, 3, 4], {10: 0, 20: 2}) == {1: 10, 2: 10, 3: 10, 4: 20}
    assert share_out([1, 2], {10: 1, 20: 1}) == {1: 10, 2: 20}  # ties: the first named
    with pytest.raises(ValueError):
        share_out([1], {})


def test_the_dashboard_query_count_stays_flat_with_unallocated_cases(sup_client, dm, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unallocated(dm, team)
    with CaptureQueriesContext(connection) as few:
        sup_client.get(DASHBOARD)
    for _ in range(3):
        unallocated(dm, team)
    with CaptureQueriesContext(connection) as more:
        sup_client.get(DASHBOARD)
    assert len(more) == len(few)


def test_an_old_acceptance_is_flagged_by_the_configured_hours(sup_client, dm, team, settings):
    unallocated(dm, team, days_ago=1)
    settings.UNALLOCATED_ALERT_HOURS = 48
    assert "Waiting too long" not in sup_client.get(DASHBOARD).content.decode()
    settings.UNALLOCATED_ALERT_HOURS = 12
    assert "Waiting too long" in sup_client.get(DASHBOARD).content.decode()
