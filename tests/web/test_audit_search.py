"""The administrator's search of the audit logs: by person, user and date; staff-only."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from checkpoint import services
from checkpoint.services import consultation_record
from tests import factories

URL = "/audit/logs/"


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)


@pytest.fixture
def logged(dm, team, navigator, now):
    case = factories.CaseFactory(active=True, opened_by=dm, team=team, navigator=navigator, now=now)
    other = factories.CaseFactory(
        active=True, opened_by=dm, team=team, navigator=navigator, now=now
    )
    consultation_record(by=navigator, case=case, page="navigators:case", path="/x/")
    consultation_record(by=dm, case=other, page="navigators:case", path="/y/")
    services.disclosure_record(
        by=navigator,
        kind="outcome_letter",
        what="outcome letter",
        recipient="CPS",
        justification="Charging",
        case=case,
    )
    return case, other


def test_search_by_case_reference_and_user(client, admin, logged, navigator):
    case, other = logged
    client.force_login(admin)
    body = client.get(URL, {"kind": "access", "person": case.reference}).content.decode()
    assert "1 entry found" in body and case.reference in body and other.reference not in body
    body = client.get(URL, {"kind": "access", "username": "dm"}).content.decode()
    assert other.reference in body and case.reference not in body
    body = client.get(URL, {"kind": "disclosure", "person": case.person.family_name}).content
    assert b"Charging" in body and b"CPS" in body


def test_search_by_date_range_and_history(client, admin, logged, now):
    case, _ = logged
    client.force_login(admin)
    future = {"start_day": "1", "start_month": "1", "start_year": "2099"}
    body = client.get(URL, {"kind": "access", **future}).content.decode()
    assert "0 entries found" in body
    history = client.get(URL, {"kind": "history", "person": case.reference}).content.decode()
    assert "Active" in history and case.reference in history


def test_bad_dates_are_an_error(client, admin):
    client.force_login(admin)
    body = client.get(
        URL, {"kind": "access", "start_day": "40", "start_month": "1", "start_year": "2026"}
    ).content.decode()
    assert "<title>Error: " in body


@pytest.mark.parametrize("who", ["navigator", "supervisor", "analyst"])
def test_only_administrators_search_the_logs(db, client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
