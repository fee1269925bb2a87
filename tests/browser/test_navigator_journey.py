"""A navigator's day in a real browser: sign in, caseload, case page, a note."""

from __future__ import annotations

from checkpoint.models import CaseNote
from tests import factories
from tests.browser.conftest import sign_in


def test_navigator_signs_in_opens_a_case_and_adds_a_note(page, people):
    case = factories.active_case(
        dm=people["dm"], team=people["team"], navigator=people["navigator"], now=factories.NOW
    )
    sign_in(page, "nav-browser")
    page.wait_for_url("**/caseload/")
    page.shots(page, "caseload")
    page.get_by_role("link", name=case.person.full_name).click()
    page.get_by_role("heading", level=1).wait_for()
    assert case.reference in page.content()
    page.shots(page, "case page")
    page.get_by_role("link", name="Add a note").first.click()
    page.get_by_role("button", name="Save note").click()
    assert "There is a problem" in page.content()  # empty note refused, page kept
    page.shots(page, "note error")
    page.get_by_label("Note").fill("Met at the office; next steps agreed.")
    page.get_by_role("button", name="Save note").click()
    page.get_by_text("Note added").first.wait_for()
    page.shots(page, "note saved")
    assert CaseNote.objects.get(case=case).text == "Met at the office; next steps agreed."
