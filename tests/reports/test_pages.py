"""Report pages and CSVs on the population of tests/reports/conftest.py: no personal details,
disclosure control at the default threshold, filters, and a fixed number of queries. (Who may
see them, and the errors of bad filters, are in test_access.py: they need no population.)"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from reports.services import report_facts_refresh
from reports.views import BUILDERS
from tests import factories
from tests.reports.conftest import AT_END, NOW
from tests.reports.test_statistics import _rank
from tests.reports.test_suppression_attacker import weaknesses

PAGES = [f"/reports/{slug}/" for slug in BUILDERS]
CSVS = [
    "/reports/outcomes/outcomes-by-month.csv",
    "/reports/outcomes/completion-by-month.csv",
    "/reports/outcomes/reoffending.csv",
    "/reports/time-in-state/time-in-state.csv",
    "/reports/referrals/referrals-by-pathway.csv",
    "/reports/referrals/referrals-by-provider.csv",
    *(f"/reports/equality-{d}/funnel-{d}.csv" for d in ("sex", "ethnicity", "age", "veteran")),
    *(f"/reports/equality-{d}/rate-ratios-{d}.csv" for d in ("sex", "ethnicity", "age", "veteran")),
]


def rows_of(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv"), response["Content-Type"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def fetch(client, url: str, params=None):
    """A page, or a CSV after answering its disclosure justification (DPA 2018 s.62)."""
    if url.endswith(".csv"):
        return factories.disclose(client, url, params)
    return client.get(url, params)


# --- No personal details, small counts suppressed ---------------------------------------------
def test_no_names_references_or_dates_of_birth_anywhere(client, analyst, population):
    client.force_login(analyst)
    secrets = set()
    for case in population:
        secrets |= {case.reference, case.person.family_name, case.person.given_name}
        secrets.add(case.person.date_of_birth.strftime("%d/%m/%Y"))
        secrets.add(case.person.date_of_birth.isoformat())
    for url in ["/reports/", *PAGES, *CSVS]:
        body = fetch(client, url).content.decode()
        found = [s for s in secrets if re.search(rf"\b{re.escape(s)}\b", body)]
        assert not found, (url, found)


def test_small_counts_show_as_suppressed_on_the_page_and_in_the_csv(client, analyst, population):
    client.force_login(analyst)  # default threshold: 5
    funnel = rows_of(fetch(client, "/reports/equality-sex/funnel-sex.csv"))
    assert funnel[1] == ["Female", "6", "[c]", "[c]", "[c]", "[c]"]
    # The men's 6 found eligible and 5 offered are hidden too: shown, the women's 4 found
    # eligible would be 10 - 6 - 0; with only the 6 hidden, the men's 5 offered (a stage is at
    # most the stage before) would still narrow the women's to 2..5.
    assert funnel[2] == ["Male", "8", "[c]", "[c]", "[c]", "[c]"]
    # Nobody assessed, so nobody at any later stage: a zero that could not be anything else.
    assert funnel[3] == ["Prefer not to say", "0", "0", "0", "0", "0"]
    assert funnel[4] == ["All people", "14", "10", "9", "7", "[c]"]
    page = client.get("/reports/equality-sex/").content.decode()
    assert ">[c]</td>" in page
    ratios = {(r[0], r[1]): r[2:] for r in rows_of(fetch(client, CSVS[-4]))[1:]}
    # A rate or ratio from a suppressed count is suppressed too.
    assert ratios["Found eligible, of those assessed", "Female"] == ["[c]"] * 4
    assert ratios["Offered, of those found eligible", "Male"][:2] == ["[c]", "Reference group"]


def _unknowns_determined(rows: list[list[str]]) -> list[tuple[int, int]]:
    """Suppressed counts in a CSV table whose last row is column totals (the funnel) that the
    published totals fix: the test attacker, by linear algebra over the column equations."""
    body, totals = [r[1:] for r in rows[1:-1]], rows[-1][1:]
    hidden = [(r, c) for r, row in enumerate(body) for c, v in enumerate(row) if v == "[c]"]
    hidden += [(len(body), c) for c, v in enumerate(totals) if v == "[c]"]
    equations = []
    for c in range(len(totals)):
        eq = [1 if (p[1] == c and p[0] < len(body)) else 0 for p in hidden]
        eq = [v - (1 if p == (len(body), c) else 0) for v, p in zip(eq, hidden, strict=True)]
        equations.append(eq)
    full = _rank(equations)
    return [
        p for i, p in enumerate(hidden) if _rank([e[:i] + e[i + 1 :] for e in equations]) < full
    ]


@pytest.mark.parametrize("dimension", ["sex", "ethnicity", "age", "veteran"])
def test_suppression_cannot_be_undone_from_the_csv(client, analyst, population, dimension):
    client.force_login(analyst)
    rows = rows_of(fetch(client, f"/reports/equality-{dimension}/funnel-{dimension}.csv"))
    assert any("[c]" in row for row in rows)
    assert _unknowns_determined(rows) == []
    for row in rows[1:]:
        for value in row[1:]:
            assert value == "[c]" or value == "0" or int(value) >= 5


@pytest.mark.parametrize("dimension", ["sex", "ethnicity", "age", "veteran"])
def test_an_attacker_who_knows_the_funnel_cannot_narrow_the_csv(
    client, analyst, population, dimension
):
    # The independent attacker of test_suppression_attacker.py, on the downloaded CSV: the
    # true counts come from the same CSV with suppression off.
    client.force_login(analyst)
    url = f"/reports/equality-{dimension}/funnel-{dimension}.csv"
    with override_settings(REPORTS_MIN_CELL_COUNT=1):
        truth = [[int(v) for v in row[1:]] for row in rows_of(fetch(client, url))[1:-1]]
    shown = [
        [None if v == "[c]" else int(v) for v in row[1:]] for row in rows_of(fetch(client, url))[1:]
    ]
    grid = SimpleNamespace(cells=shown[:-1], row_totals=None, col_totals=shown[-1], total=None)
    kinds = {"row_totals": False, "col_totals": True, "funnel": True}
    assert weaknesses(truth, 5, grid=grid, **kinds) == []


def test_outcome_tables_keep_row_and_column_totals_safe(client, analyst, population):
    client.force_login(analyst)
    rows = rows_of(fetch(client, "/reports/outcomes/completion-by-month.csv"))
    for row in rows[1:]:
        counts = row[1:4]
        assert counts.count("[c]") != 1, row  # one hidden value in a row would be recoverable
    for c in range(1, 4):
        column = [row[c] for row in rows[1:]]
        assert column.count("[c]") != 1, column


# --- Rate ratios on too few people ------------------------------------------------------------
def test_no_ratio_and_no_chance_wording_when_every_comparison_has_too_few(
    client, analyst, population
):
    client.force_login(analyst)  # threshold 5: no comparison has 5 people on every side
    page = client.get("/reports/equality-sex/").content.decode()
    assert "chance alone" not in page
    assert "No ratio is shown where fewer than 5 people in either group reached the stage" in page
    rows = rows_of(fetch(client, "/reports/equality-sex/rate-ratios-sex.csv"))
    assert not any(re.fullmatch(r"\d+\.\d{3}", v) for row in rows for v in row[3:])


def test_a_ratio_on_too_few_people_says_why_in_the_table_the_plot_and_the_csv(
    client, analyst, population
):
    client.force_login(analyst)
    with override_settings(REPORTS_MIN_CELL_COUNT=2):
        rows = rows_of(fetch(client, "/reports/equality-sex/rate-ratios-sex.csv"))
        page = client.get("/reports/equality-sex/").content.decode()
    ratios = {(r[0], r[1]): r[2:] for r in rows[1:]}
    # Found eligible: 4 of 6 women (2 not) against 6 of 8 men (2 not): every count reaches 2.
    eligible = "Found eligible, of those assessed"
    assert ratios[eligible, "Female"] == ["66.7", "0.889", "0.445", "1.777"]
    # Offered: 4 of 4 women, none left out; accepted: 3 of 4, one did not accept.
    why = "Not shown: fewer than 2 people in part of this comparison, too few to compare reliably"
    for stage in ("Offered, of those found eligible", "Accepted, of those offered"):
        assert ratios[stage, "Female"][1:] == [why, "[u]", "[u]"]
    assert ratios["Offered, of those found eligible", "Female"][0] == "100.0"  # the rate stays
    assert page.count(f">{why}</td>") == 2
    assert "<title>Female: Not shown: too few people</title>" in page  # the forest plot
    assert "Where a ratio is shown, an interval that does not include 1 suggests" in page


# --- Filters ----------------------------------------------------------------------------------
def test_filters_by_arrest_date_and_team(client, analyst, dm, population):
    other = factories.TeamFactory(name="Durham South")
    earlier = NOW - timedelta(days=40)
    offence = factories.offence(committed_on=earlier.date() - timedelta(days=5))
    for _ in range(6):
        factories.open_case(dm=dm, team=other, now=earlier, offences=[offence])
    report_facts_refresh(now=AT_END)
    client.force_login(analyst)
    url = "/reports/equality-sex/funnel-sex.csv"
    everyone = rows_of(fetch(client, url))
    assert everyone[-1][1] == "14"  # the new cases are not assessed yet
    from checkpoint.models import Case

    assert Case.objects.count() == 22
    in_range = {"start_day": "1", "start_month": "3", "start_year": "2026"}
    assert rows_of(fetch(client, url, in_range))[-1][1] == "14"
    after = {"start_day": "3", "start_month": "3", "start_year": "2026"}
    assert rows_of(fetch(client, url, after))[-1][1:] == ["0"] * 5
    by_team = rows_of(fetch(client, url, {"team": str(other.pk)}))
    assert by_team[-1][1:] == ["0"] * 5
    page = client.get("/reports/equality-sex/", {**in_range, "team": str(population[0].team_id)})
    body = page.content.decode()
    assert re.search(r'name="start_day" id="id_start_0" [^>]*value="1"', body)
    assert f'<option value="{population[0].team_id}" selected>' in body
    assert "start_day=1" in body  # the CSV links carry the filters


# --- Pages ------------------------------------------------------------------------------------
def test_pages_have_accessible_charts_and_no_inline_code(client, analyst, population):
    client.force_login(analyst)
    for url in PAGES:
        body = client.get(url).content.decode()
        assert 'role="img"' in body and "<title id=" in body and "<desc id=" in body, url
        assert "style=" not in body and "<style" not in body, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", body), url
        assert '<table class="govuk-table">' in body


def test_queries_do_not_grow_with_the_number_of_cases(
    client, analyst, dm, navigator, team, population, django_assert_max_num_queries
):
    client.force_login(analyst)

    # Each CSV's disclosure is logged once; its download address is then timed like a page.
    granted = {url: url for url in ["/reports/", *PAGES]}
    granted |= {url: client.post(url, factories.DISCLOSURE)["Location"] for url in CSVS}

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(granted[url]).status_code == 200
        return len(ctx.captured_queries)

    urls = ["/reports/", *PAGES, *CSVS]
    small = {url: queries(url) for url in urls}
    for i in range(8):
        p = factories.PersonFactory(sex="female" if i % 2 else "male")
        factories.active_case(dm=dm, team=team, navigator=navigator, person=p)
    report_facts_refresh(now=AT_END)
    large = {url: queries(url) for url in urls}
    assert large == small
    for url in urls:
        with django_assert_max_num_queries(16):  # session, user, MFA, roles, filters, counts,
            client.get(granted[url])  # and for a CSV its disclosure grant
