"""The reports' figures against values counted and computed by hand from the population in
tests/reports/conftest.py (suppression off: REPORTS_MIN_CELL_COUNT=1, so every count shows)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import override_settings

from tests.factories import disclose

pytestmark = pytest.mark.usefixtures("population")


def table(client, report: str, name: str, **params) -> list[list[str]]:
    response = disclose(client, f"/reports/{report}/{name}.csv", params)
    assert response.status_code == 200, response.content
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def as_analyst(client, analyst):
    client.force_login(analyst)
    with override_settings(REPORTS_MIN_CELL_COUNT=1):
        yield client


def test_funnel_by_sex(as_analyst):
    assert table(as_analyst, "equality-sex", "funnel-sex") == [
        ["Sex", "Assessed", "Found eligible", "Offered", "Accepted", "Completed"],
        ["Female", "6", "4", "4", "3", "2"],
        ["Male", "8", "6", "5", "4", "1"],  # two men opened but not yet assessed: not counted
        ["Prefer not to say", "0", "0", "0", "0", "0"],
        ["All people", "14", "10", "9", "7", "3"],
    ]


def test_rate_ratios_against_the_largest_group_by_default(as_analyst):
    rows = {(r[0], r[1]): r[2:] for r in table(as_analyst, "equality-sex", "rate-ratios-sex")[1:]}
    eligible, offered = "Found eligible, of those assessed", "Offered, of those found eligible"
    # Eligible of assessed: women 4/6, men (reference: most assessed) 6/8. RR = 0.667/0.75
    # = 0.889; SE = sqrt(1/4 - 1/6 + 1/6 - 1/8) = 0.3536; CI 0.889 x exp(-/+1.96 x 0.3536).
    assert rows[eligible, "Female"] == ["66.7", "0.889", "0.445", "1.777"]
    assert rows[eligible, "Male"][:2] == ["75.0", "Reference group"]
    # Offered of eligible: 4/4 against 5/6. No woman found eligible went unoffered, so the
    # women add nothing to SE = sqrt(1/4 - 1/4 + 1/5 - 1/6): a count of none in the
    # comparison, below even a threshold of 1, and the ratio is not shown.
    assert rows[offered, "Female"] == [
        "100.0",
        "Not shown: no one in part of this comparison, too few to compare reliably",
        "[u]",
        "[u]",
    ]
    # Completed of accepted: 2/3 against 1/4: RR 2.667; SE = sqrt(1/2 - 1/3 + 1 - 1/4) = 0.9574.
    completed = "Completed, of those who accepted"
    assert rows[completed, "Female"] == ["66.7", "2.667", "0.408", "17.415"]
    # Nobody said "prefer not to say": nothing to divide by.
    assert rows["Accepted, of those offered", "Prefer not to say"] == ["[x]"] * 4


def test_a_chosen_reference_group(as_analyst):
    rows = table(as_analyst, "equality-sex", "rate-ratios-sex", reference="female")
    found = {(r[0], r[1]): r[2:] for r in rows[1:]}
    # Men against women: 0.75 / 0.667 = 1.125, the same SE, so the interval is the inverse.
    assert found["Found eligible, of those assessed", "Male"] == ["75.0", "1.125", "0.563", "2.250"]
    assert found["Found eligible, of those assessed", "Female"][1] == "Reference group"


def test_age_bands_put_young_adults_apart(as_analyst):
    rows = {r[0]: r[1:] for r in table(as_analyst, "equality-age", "funnel-age")[1:]}
    # Born 1 January 2005, arrested 2 March 2026: 21. Four assessed young adults (two found
    # ineligible), one aged 66, the rest 30.
    assert rows["18 to 24 (young adults)"] == ["4", "2", "2", "1", "1"]
    assert rows["55 and over"] == ["1", "1", "1", "0", "0"]
    assert rows["25 to 34"] == ["9", "7", "6", "6", "2"]


def test_ethnic_groups_and_veterans(as_analyst):
    rows = {r[0]: r[1] for r in table(as_analyst, "equality-ethnicity", "funnel-ethnicity")[1:]}
    assert rows == {
        "White": "9", "Mixed": "1", "Asian": "1", "Black": "2", "Other": "0", "Not stated": "1",
        "All people": "14",
    }  # fmt: skip
    rows = {r[0]: r[1:] for r in table(as_analyst, "equality-veteran", "funnel-veteran")[1:]}
    assert rows["Served in the armed forces"] == ["2", "2", "2", "2", "1"]


def test_outcomes_by_month(as_analyst):
    assert table(as_analyst, "outcomes", "outcomes-by-month") == [
        ["Month", "Exited without conviction", "Referred for prosecution", "All outcomes"],
        ["March 2026", "0", "2", "2"],  # a refusal and a termination
        ["April 2026", "0", "0", "0"],
        ["May 2026", "0", "0", "0"],
        ["June 2026", "0", "0", "0"],
        ["July 2026", "3", "0", "3"],
        ["All months", "3", "2", "5"],
    ]


def test_completion_and_reoffending_rates(as_analyst):
    completion = table(as_analyst, "outcomes", "completion-by-month")
    assert completion[-1] == ["All months", "3", "1", "4", "75.0"]
    assert completion[1] == ["March 2026", "0", "1", "1", "0.0"]
    reoffending = table(as_analyst, "outcomes", "reoffending")
    assert reoffending[1:] == [
        ["Exited without conviction", "0", "3", "3", "0.0"],
        ["Referred for prosecution", "1", "0", "1", "100.0"],
        ["All outcomes", "1", "3", "4", "25.0"],
    ]


def test_time_in_each_state(as_analyst):
    rows = {r[0]: r[1:] for r in table(as_analyst, "time-in-state", "time-in-state")[1:]}
    # Assessment: arrest at 07:00, decision at 10:00 for the 14 decided cases.
    assert rows["Assessment"] == ["14", "0.1", "0.1"]
    # Active: three contracts ran 2 March 10:00 GMT to 2 July 09:00 BST (2,926 hours), one
    # was referred after 10 days (240 hours): median 2,926 h = 121.9 days, mean 93.9 days.
    assert rows["Active"] == ["4", "121.9", "93.9"]
    assert rows["Withdrawn"] == ["0", "[x]", "[x]"]


def test_referrals_by_pathway_and_provider(as_analyst):
    rows = table(as_analyst, "referrals", "referrals-by-pathway")[1:]
    # Seven people referred to the drugs pathway, three completed; every other pathway 0.
    used = [r for r in rows if r[3] != "0"]
    assert len(used) == 1 and used[0][1:] == ["3", "4", "7", "42.9"]
    assert all(r[1:4] == ["0", "0", "0"] and r[4] == "[x]" for r in rows if r[3] == "0")
    providers = table(as_analyst, "referrals", "referrals-by-provider")[1:]
    assert len(providers) == 7 and all(r[3] == "1" for r in providers)
