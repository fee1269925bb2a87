"""The reports in a real browser: an analyst opens the equality and outcome reports.

A population of fifty people is built through the services (enough that most cells are shown
rather than suppressed), the report summary tables are rebuilt as the nightly job does, and
the analyst signs in and lands on the reports. Screenshots of each page are in
test-artifacts/screenshots/test_analyst_reads_the_equality_and_outcome_reports/.
"""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from checkpoint import roles
from reports.services import report_facts_refresh
from tests.browser.conftest import staff
from tests.browser.steps import sign_in_as
from tests.reports.conftest import AT_END, completed, declined, ineligible, person


def _population(people) -> list[str]:
    """Fifty people: women and men, young adults and older, through every funnel stage."""
    full = {k: people[k] for k in ("dm", "team", "navigator", "supervisor")}
    names = []
    for sex in ("female", "male"):
        for i in range(25):
            born = date(2004, 1, 1) if i % 2 else date(1980, 1, 1)
            p = person(sex, born=born, ethnicity=("W1", "B1", "A1")[i % 3])
            names.append(p.given_name)
            if i % 5 == 0:
                ineligible(p, dm=full["dm"], team=full["team"])
            elif i % 5 == 1:
                declined(p, dm=full["dm"], team=full["team"])
            else:
                completed(p, **full)
    report_facts_refresh(now=AT_END + timedelta(days=1))
    return names


def test_analyst_reads_the_equality_and_outcome_reports(page, people):
    names = _population(people)
    staff(roles.ANALYST, "analyst-browser")
    sign_in_as(page, "analyst-browser", "**/reports/")
    page.shots(page, "analyst-reports-index")

    page.get_by_role("link", name="Equality: sex", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("sex")
    expect(page.get_by_role("img").first).to_be_visible()  # the SVG chart
    expect(page.get_by_role("table").first).to_contain_text("Female")
    page.shots(page, "analyst-equality-by-sex")

    page.get_by_role("link", name="Equality: age at arrest", exact=True).first.click()
    expect(page.get_by_role("table").first).to_contain_text("18")
    page.shots(page, "analyst-equality-by-age-band")

    page.get_by_role("link", name="Outcomes", exact=True).first.click()
    page.shots(page, "analyst-outcomes")

    body = page.content()
    assert not any(name in body for name in names), "a person's name reached a report"
