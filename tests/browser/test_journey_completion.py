"""Journey (c), in a real browser: a contract kept to its end, signed off, exit without conviction.

From a fresh database: the decision maker takes the case from custody to acceptance; the
navigator builds and signs a four-month contract, books an appointment, records that the
person attended, logs community hours, records the restorative outcome and that the Pathway
referral was completed. The daily sweep runs twice during the contract and finds nothing
wrong; on the contract's end date it moves the case to completion review. The supervisor sees
the case on the team dashboard, opens the completion review, signs off, and the printable
outcome letter is shown. Each step is a screenshot in
test-artifacts/screenshots/test_kept_contract_is_signed_off_with_an_outcome_letter/.

Time travel: the clock of the test process is moved with time_machine (``tick=True``, so it
runs on from each destination). time_machine patches the clock functions of the interpreter,
so the live server's thread, the services, the model timestamps and the scheduled commands
all read the same moved clock: every step, early or late, goes through the screens as it would
on that day, with no data rewritten behind the app. The alternative (building the case in the
past through services and driving only the late steps) would skip the screens that make the
contract. The destinations are fixed dates (from Monday 2 March 2026, in GMT and BST), so the
dates the screens show are known and the contract never ends on a short month's clipped day.
Chromium keeps its own clock; that is harmless here, as Django sends cookies with a Max-Age
(relative), and each working day starts with signing in (a session ends after 30 idle
minutes, and the clock jumps by days).
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from checkpoint.models import Case, CaseState, ComplianceEvent, OutcomeKind
from tests import factories
from tests.browser.steps import (
    PERSON,
    PROVIDER,
    at,
    choose,
    dm_takes_the_case_to_acceptance,
    expect_success,
    fill_date,
    go,
    justify_the_disclosure,
    long_date,
    navigator_books_an_appointment,
    navigator_logs_hours,
    navigator_makes_the_contract,
    navigator_opens_the_case_again,
    navigator_records_the_outcome,
    run_the_sweep,
    sign_out,
    summary_row,
    supervisor_opens_from_the_dashboard,
)

STARTS_ON = date(2026, 3, 2)  # a Monday
ENDS_ON = date(2026, 7, 2)  # four calendar months later


def navigator_records_the_restorative_outcome(page, day: date) -> None:
    go(page, "link", "Record the restorative outcome", "**/restorative-outcome/")
    choose(page, "Outcome of the restorative approach", "Completed")
    fill_date(page, "Date of the outcome", day)
    page.get_by_label("Notes (optional)").fill("Letter of apology written and sent.")
    page.shots(page, "nav restorative outcome")
    page.get_by_role("button", name="Save outcome").click()
    expect_success(page, "Restorative outcome recorded")
    expect(summary_row(page, "Victim")).to_contain_text("Letter of apology: completed")


def navigator_records_the_referral_completed(page) -> None:
    go(page, "link", "Record a referral's outcome", "**/referrals/outcome/")
    choose(
        page,
        "Which referral?",
        f"{PROVIDER}: A 4-week drug awareness course (attended 0 of 4, active)",
    )
    choose(page, "How did the referral end?", "Completed")
    page.get_by_role("button", name="Save outcome").click()
    # None of its sessions was booked here: completed needs the attendance, or a reason.
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "0 of 4 sessions are recorded as attended"
    )
    page.get_by_label("Why it counts as completed").fill(
        "The service's letter confirms all four sessions were attended."
    )
    page.shots(page, "nav referral outcome")
    page.get_by_role("button", name="Save outcome").click()
    expect_success(page, f"Referral to {PROVIDER}: completed")
    expect(summary_row(page, "Pathway")).to_contain_text("(completed)")


def expect_no_compliance_events(page) -> None:
    expect(page.get_by_role("heading", name="Compliance")).to_be_visible()
    expect(page.get_by_text("No compliance events.")).to_be_visible()


def supervisor_signs_off(page, reference: str) -> None:
    supervisor_opens_from_the_dashboard(
        page,
        section="Completions to sign off (1)",
        action=": review completion",
        url=f"**/team/cases/{reference}/completion/",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Completion review")
    for condition in ("Offending", "Victim", "Pathway", "Community"):
        expect(summary_row(page, condition)).to_contain_text("Met")
        expect(summary_row(page, condition)).not_to_contain_text("Not met")
    expect(summary_row(page, "Community")).to_contain_text("24 of 24 hours verified")
    expect(page.get_by_text("The case cannot be signed off yet")).to_have_count(0)
    page.shots(page, "sup completion review")
    choose(
        page,
        "What is your decision?",
        "Sign off: every condition was met, the person exits without conviction",
    )
    page.get_by_label("Notes for the record (optional)").fill("All four conditions kept.")
    page.shots(page, "sup sign off chosen")
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url(f"**/team/cases/{reference}/outcome-letter/")


def the_outcome_letter_is_shown(page) -> None:
    expect_success(page, "Signed off: the person exits without conviction")
    justify_the_disclosure(
        page, "Before you print the outcome letter", "The participant, by post", "Outcome letter"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You have completed your Checkpoint contract"
    )
    expect(page.get_by_text(f"Dear {PERSON},")).to_be_visible()
    contract = f"ran from {long_date(STARTS_ON)} to {long_date(ENDS_ON)}"
    expect(page.get_by_text(contract)).to_be_visible()
    expect(page.get_by_text("You will not be prosecuted for it")).to_be_visible()
    expect(page.get_by_text(long_date(ENDS_ON), exact=True)).to_be_visible()  # dated today
    page.shots(page, "sup outcome letter")


@pytest.mark.slow(43)
def test_kept_contract_is_signed_off_with_an_outcome_letter(page, people):
    factories.ServiceProviderFactory(name=PROVIDER, pathways=["drugs"])
    navigator = people["navigator"].get_full_name()

    with time_machine.travel(at(STARTS_ON, 9), tick=True) as clock:
        # Monday 2 March: custody, then the contract, and the first appointment booked.
        reference = dm_takes_the_case_to_acceptance(page, STARTS_ON, navigator)
        assert navigator_makes_the_contract(page, STARTS_ON) == ENDS_ON
        navigator_books_an_appointment(page, date(2026, 3, 3), "10:00")
        sign_out(page)

        # Tuesday 3 March, after the meeting: attended, and the first hours worked.
        clock.move_to(at(date(2026, 3, 3), 11, 30))
        navigator_opens_the_case_again(page, date(2026, 3, 3))
        navigator_records_the_outcome(page, "Attended")
        navigator_logs_hours(page, date(2026, 3, 3), 8, verified_total=8)
        sign_out(page)

        # Monday 6 April, five weeks in: the morning sweep finds nothing wrong.
        clock.move_to(at(date(2026, 4, 6), 6))
        run = run_the_sweep()
        assert (run.examined, run.findings) == (1, 0)
        clock.move_to(at(date(2026, 4, 6), 9))
        navigator_opens_the_case_again(page, date(2026, 4, 6))
        expect_no_compliance_events(page)
        navigator_records_the_restorative_outcome(page, date(2026, 4, 6))
        navigator_logs_hours(page, date(2026, 4, 4), 8, verified_total=16)
        sign_out(page)

        # Monday 1 June: the sweep again finds nothing; the last hours, the course completed.
        clock.move_to(at(date(2026, 6, 1), 6))
        run = run_the_sweep()
        assert (run.examined, run.findings) == (1, 0)
        clock.move_to(at(date(2026, 6, 1), 9))
        navigator_opens_the_case_again(page, date(2026, 6, 1))
        expect_no_compliance_events(page)
        navigator_logs_hours(page, date(2026, 5, 30), 8, verified_total=24)
        navigator_records_the_referral_completed(page)
        page.shots(page, "nav every condition recorded")
        sign_out(page)

        # Thursday 2 July, four months on: the sweep moves the case to completion review.
        clock.move_to(at(ENDS_ON, 6))
        run = run_the_sweep()
        assert (run.findings, run.stats["moved_to_completion_review"]) == (0, 1)
        assert Case.objects.get(reference=reference).state == CaseState.COMPLETION_REVIEW

        clock.move_to(at(ENDS_ON, 9))
        supervisor_signs_off(page, reference)
        the_outcome_letter_is_shown(page)

    case = Case.objects.select_related("outcome").get(reference=reference)
    assert case.state == CaseState.EXITED_NO_CONVICTION
    assert case.outcome.kind == OutcomeKind.EXITED_NO_CONVICTION
    assert case.outcome.decided_on == ENDS_ON
    assert not ComplianceEvent.objects.filter(case=case).exists()
    assert list(case.transitions.values_list("to_state", flat=True)) == [
        "eligible",
        "offered",
        "accepted",
        "active",
        "completion_review",
        "exited_no_conviction",
    ]
