"""Who may see the reports, unknown reports and tables, filters and their errors, and the pages
before the figures are first prepared: everything about the report pages that needs no cases.
(The pages on the population of tests/reports/conftest.py are in test_pages.py.)"""

from __future__ import annotations

import pytest

from checkpoint import roles
from tests import factories
from tests.reports.test_pages import CSVS, PAGES, fetch


# --- Who may see the reports ------------------------------------------------------------------
@pytest.mark.parametrize("role", [roles.NAVIGATOR, roles.DECISION_MAKER])
def test_navigators_and_decision_makers_are_refused(client, team, role):
    client.force_login(factories.make_user(role, team=team))
    for url in ["/reports/", PAGES[0], CSVS[0]]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Reports are for analysts and supervisors" in response.content.decode()


def test_signed_out_users_go_to_sign_in(client, db):
    for url in ["/reports/", PAGES[0], CSVS[0]]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/")


@pytest.mark.parametrize("who", ["analyst", "supervisor"])
def test_analysts_and_supervisors_see_every_report(client, who, request, db):
    client.force_login(request.getfixturevalue(who))
    for url in ["/reports/", *PAGES, *CSVS]:
        assert fetch(client, url).status_code == 200, url


def test_analysts_start_on_the_reports(client, analyst):
    response = client.get("/", follow=True)
    assert response.status_code == 200  # sign-in first
    client.force_login(analyst)
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/reports/"


def test_unknown_report_or_table_is_not_found(client, analyst):
    client.force_login(analyst)
    assert client.get("/reports/nothing/").status_code == 404
    assert client.get("/reports/outcomes/nothing.csv").status_code == 404


# --- Filters and their errors ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"start_day": "31", "start_month": "2", "start_year": "2026"},
            "The start date must be a real date",
        ),
        ({"start_day": "1", "start_year": "2026"}, "The start date must include a month"),
        (
            {"end_day": "x", "end_month": "3", "end_year": "2026"},
            "The end date must be a real date",
        ),
        (
            {"start_day": "2", "start_month": "3", "start_year": "2026",
             "end_day": "1", "end_month": "3", "end_year": "2026"},
            "The end date must be the same as or after the start date",
        ),
        ({"team": "999999"}, "Select a team from the list"),
        ({"team": "abc"}, "Select a team from the list"),
        ({"reference": "martian"}, "Select a reference group from the list"),
    ],
)  # fmt: skip
def test_bad_filters_are_explained_and_kept(client, analyst, params, message):
    client.force_login(analyst)
    response = client.get("/reports/equality-sex/", params)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "govuk-error-summary" in body and message in body
    assert "Correct the filters to see the figures." in body
    for name, value in params.items():
        if name not in ("team", "reference"):  # what was typed is kept in the boxes
            assert f'name="{name}" id=' in body and f'value="{value}"' in body
    csv_response = client.get("/reports/equality-sex/funnel-sex.csv", params)
    assert csv_response.status_code == 400 and message in csv_response.content.decode()


# --- Before the figures are first prepared -----------------------------------------------------
def test_says_when_the_figures_are_not_prepared_yet(client, analyst):
    client.force_login(analyst)
    body = client.get("/reports/outcomes/").content.decode()
    assert "The figures have not been prepared yet" in body
