"""The supervisor's team dashboard and team case list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from checkpoint import roles, services
from checkpoint.models import CaseState
from tests import factories

from .helpers import breach_case, live_case_to_read, review_case

DASHBOARD = reverse("supervisors:dashboard")


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


def test_home_sends_a_supervisor_to_the_dashboard(sup_client):
    assert sup_client.get("/")["Location"] == DASHBOARD


@pytest.mark.parametrize("role", [roles.NAVIGATOR, roles.ANALYST, roles.DECISION_MAKER])
def test_other_roles_are_refused(client, team, role):
    client.force_login(factories.make_user(role, team=team))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(reverse("supervisors:team-cases")).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client):
    assert client.get(DASHBOARD)["Location"].startswith("/sign-in/")


def test_dashboard_lists_each_kind_of_work_with_links(sup_client, dm, team, navigator):
    breach = breach_case(dm=dm, team=team, navigator=navigator)
    review = review_case(dm=dm, team=team, navigator=navigator)
    # Summary-only offence: its s.127 deadline is six months after the offence; the case is
    # built five months ago, so the deadline is within the watch window.
    urgent = live_case_to_read(dm=dm, team=team, navigator=navigator, days_ago=160, code="PO-S5")
    body = sup_client.get(DASHBOARD).content.decode()

    assert reverse("supervisors:breach", args=[breach.reference]) in body
    assert "Missed two sessions; suggest more hours" in body
    assert reverse("supervisors:completion", args=[review.reference]) in body
    assert reverse("navigators:case", args=[urgent.reference]) in body
    assert f"{reverse('supervisors:team-cases')}?state=active" in body
    assert f"{reverse('supervisors:team-cases')}?navigator={navigator.pk}" in body


def test_workloads_count_supervised_cases_and_overdue_items(sup_client, dm, team, navigator):
    case = live_case_to_read(dm=dm, team=team, navigator=navigator, days_ago=10)
    services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=timezone.now() - timedelta(days=2),
        now=timezone.now() - timedelta(days=5),
    )
    live_case_to_read(dm=dm, team=team, navigator=navigator)
    board = sup_client.get(DASHBOARD).context["board"]
    (row,) = [w for w in board.workloads if w.pk == navigator.pk]
    assert (row.supervised, row.overdue, row.open_events) == (2, 1, 0)
    assert dict(board.state_counts)[CaseState.ACTIVE] == 2


def test_other_teams_cases_are_not_shown(sup_client, dm, navigator, team):
    west = factories.TeamFactory(name="West")
    west_navigator = factories.make_user(roles.NAVIGATOR, team=west)
    theirs = breach_case(dm=dm, team=west, navigator=west_navigator)
    mine = breach_case(dm=dm, team=team, navigator=navigator)
    body = sup_client.get(DASHBOARD).content.decode()
    assert mine.reference in body
    assert theirs.reference not in body
    cases = sup_client.get(reverse("supervisors:team-cases")).content.decode()
    assert mine.reference in cases and theirs.reference not in cases


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_the_team(sup_client, dm, team, navigator):
    breach_case(dm=dm, team=team, navigator=navigator)
    review_case(dm=dm, team=team, navigator=navigator)
    few = _queries(sup_client, DASHBOARD)
    for _ in range(3):
        other = factories.make_user(roles.NAVIGATOR, team=team)
        breach_case(dm=dm, team=team, navigator=other)
        review_case(dm=dm, team=team, navigator=other)
        live_case_to_read(dm=dm, team=team, navigator=other, days_ago=160, code="PO-S5")
    assert _queries(sup_client, DASHBOARD) == few


def test_team_case_list_filters_by_state_and_navigator(sup_client, dm, team, navigator):
    breach = breach_case(dm=dm, team=team, navigator=navigator)
    other = factories.make_user(roles.NAVIGATOR, team=team)
    active = live_case_to_read(dm=dm, team=team, navigator=other)
    url = reverse("supervisors:team-cases")
    by_state = sup_client.get(url, {"state": "breach_review"}).content.decode()
    assert breach.reference in by_state and active.reference not in by_state
    by_navigator = sup_client.get(url, {"navigator": other.pk}).content.decode()
    assert active.reference in by_navigator and breach.reference not in by_navigator
    bad = sup_client.get(url, {"navigator": "999999", "state": "nonsense"}).content.decode()
    assert "Select a navigator from the list" in bad
    assert "Select a state from the list" in bad
