"""Journeys (a) and (b), in a real browser: the two ways a case ends in custody.

(a) The decision maker records an assessment that breaks a rule (five previous convictions,
above the Durham profile's limit of three); the result shows the failed rule with its reason,
and the decision maker records the person as not eligible, with reasons.

(b) The person is eligible but declines the offer; the supervisor finds the declined case from
the team dashboard, refers it for prosecution from the case page, and the prosecution file is
shown.

Nothing here depends on the date, so these run on the real clock. Each step is a screenshot in
test-artifacts/screenshots/<test name>/.
"""

from __future__ import annotations

import re

from django.utils import timezone
from playwright.sync_api import expect

from checkpoint.models import Case, CaseState, OutcomeKind
from tests.browser.steps import (
    PERSON,
    choose,
    dm_decides_eligible,
    dm_enters_arrest_and_offence,
    dm_enters_the_person,
    dm_records_the_assessment,
    dm_records_the_offer,
    dm_starts_a_new_case,
    expect_success,
    go,
    long_date,
    sign_in_as,
    sign_out,
    summary_row,
    supervisor_refers_for_prosecution,
)


def dm_opens_and_assesses(page, *, previous_convictions: int = 0) -> str:
    dm_starts_a_new_case(page)
    dm_enters_the_person(page)
    reference = dm_enters_arrest_and_offence(page, timezone.localdate())
    dm_records_the_assessment(page, previous_convictions=previous_convictions)
    return reference


def test_arrest_ends_ineligible_with_reasons(page, people):
    reference = dm_opens_and_assesses(page, previous_convictions=5)

    expect(page.get_by_role("heading", level=1)).to_have_text("Eligibility result")
    expect(page.get_by_text("1 rule failed and is not overridden.")).to_be_visible()
    failed = page.get_by_role("row", name=re.compile("^At most 3 previous convictions"))
    expect(failed).to_contain_text("Failed")
    expect(failed).to_contain_text("5 previous convictions, above the limit of 3.")
    page.shots(page, "dm eligibility result with a failed rule")

    choose(page, "Is the person eligible?", "Not eligible")
    page.get_by_label("Why is the person not eligible?").fill(
        "Five previous convictions: above the scheme's limit of three."
    )
    page.shots(page, "dm not eligible chosen")
    page.get_by_role("button", name="Save the decision").click()
    expect_success(
        page, f"{reference} recorded as not eligible: the normal criminal justice route applies."
    )
    page.shots(page, "dm recorded not eligible")

    case = Case.objects.get(reference=reference)
    assert case.state == CaseState.INELIGIBLE
    (transition,) = case.transitions.all()
    assert (transition.from_state, transition.to_state) == ("assessment", "ineligible")
    assert transition.reason == "Five previous convictions: above the scheme's limit of three."
    assert not case.latest_assessment().is_eligible


def dm_records_the_refusal(page, reference: str) -> None:
    dm_records_the_offer(page)
    choose(page, "What did the person decide?", "Declined")
    page.get_by_label("The reason they gave").fill("Does not want to work with a navigator.")
    page.shots(page, "dm answer declined")
    page.get_by_role("button", name="Save the answer").click()
    expect_success(page, f"{reference}: the person declined the offer.")
    page.shots(page, "dm recorded declined")
    sign_out(page)


def supervisor_refers_the_declined_case(page, reference: str) -> None:
    sign_in_as(page, "sup-browser", "**/team/")
    page.shots(page, "sup dashboard")
    go(page, "link", re.compile(r"^Declined\s*1"), "**/team/cases/?state=declined")
    page.shots(page, "sup declined cases")
    page.get_by_role("link", name=PERSON, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{PERSON} Declined")
    page.shots(page, "sup case page declined")
    go(page, "button", "Refer for prosecution", f"**/team/cases/{reference}/prosecution/")
    expect(summary_row(page, "Statutory time limit")).to_contain_text(
        "None (not a summary-only offence)"
    )
    supervisor_refers_for_prosecution(
        page, reference, "Declined the offer in custody; the normal route applies."
    )


def test_declined_offer_goes_to_prosecution(page, people):
    reference = dm_opens_and_assesses(page)
    dm_decides_eligible(page)
    dm_records_the_refusal(page, reference)

    supervisor_refers_the_declined_case(page, reference)
    expect(summary_row(page, "Referred for prosecution")).to_contain_text(
        f"{long_date(timezone.localdate())} by {people['supervisor'].get_full_name()}"
    )
    expect(summary_row(page, "Theft from a shop")).to_contain_text("THEFT-SHOP")
    expect(page.get_by_text("Eligible → Offered")).to_be_visible()  # the timeline
    page.shots(page, "sup prosecution file")

    case = Case.objects.select_related("outcome").get(reference=reference)
    assert case.state == CaseState.PROSECUTION_REFERRED
    assert case.outcome.kind == OutcomeKind.PROSECUTION_REFERRED
    assert list(case.transitions.values_list("to_state", flat=True)) == [
        "eligible",
        "offered",
        "declined",
        "prosecution_referred",
    ]
