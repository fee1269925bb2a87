"""Journey (d), in a real browser: a missed appointment leads to termination and prosecution,
before the statutory deadline.

From a fresh database: the decision maker takes a summary-only offence (Public Order Act 1986
s.5, committed on 27 February 2026, so a charge must be laid by 27 August 2026 under s.127 of
the Magistrates' Courts Act 1980) from custody to acceptance; the navigator makes the contract,
whose check page shows that deadline, and books an appointment. No outcome is recorded for it,
so the morning sweep two days later raises a task for the navigator. She records the absence
as unacceptable (the participant's compliance event), issues a warning about it, then refers
the breach to a supervisor with a recommendation. The supervisor sees it on the team
dashboard, opens the breach review, terminates the contract with reasons, refers the case for
prosecution, and the prosecution file shows the deadline not yet passed. Each step is a
screenshot in test-artifacts/screenshots/<this test's name>/.

The clock is moved with time_machine, for the reasons given in test_journey_completion.py.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from checkpoint.models import BreachReview, Case, CaseState, ComplianceEvent, OutcomeKind
from notifications.models import Message
from tests import factories
from tests.browser.steps import (
    PROVIDER,
    PUBLIC_ORDER_S5,
    at,
    choose,
    dm_takes_the_case_to_acceptance,
    expect_success,
    go,
    long_date,
    navigator_books_an_appointment,
    navigator_makes_the_contract,
    navigator_opens_the_case_again,
    navigator_records_the_outcome,
    run_the_sweep,
    sign_out,
    summary_row,
    supervisor_opens_from_the_dashboard,
    supervisor_refers_for_prosecution,
)

STARTS_ON = date(2026, 3, 2)  # a Monday
COMMITTED_ON = date(2026, 2, 27)
DEADLINE = date(2026, 8, 27)  # s.127: six months, the corresponding date
APPOINTMENT = date(2026, 3, 3)
DECIDED_ON = date(2026, 3, 5)
ABSENT = f"Unacceptable absence on {APPOINTMENT:%-d %B %Y}"


def compliance_record(page):
    """The list under the Compliance heading (events and warnings) of a case screen."""
    return page.get_by_role("heading", name="Compliance", exact=True).locator("+ ul")


def staff_tasks(page):
    """The list under the "Tasks for staff" heading of the case page."""
    return page.get_by_role("heading", name="Tasks for staff", exact=True).locator("~ ul").first


def the_compliance_event_is_open(page) -> None:
    """The overdue outcome is a task for staff, listed apart from the participant's conduct."""
    tasks = staff_tasks(page)
    expect(tasks).to_contain_text(f"To do Appointment outcome overdue ({APPOINTMENT:%-d %B %Y})")
    expect(tasks).to_contain_text("No outcome recorded for the appointment")
    expect(page.get_by_role("heading", name="Compliance", exact=True).locator("+ p")).to_have_text(
        "No compliance events."
    )


def navigator_records_the_absence(page) -> None:
    """The overdue outcome is a task for the navigator, not the participant's conduct: recording
    the absence as unacceptable closes the task and raises the participant's event."""
    navigator_records_the_outcome(page, "Unacceptable absence")
    expect(staff_tasks(page)).to_contain_text("No tasks to do.")
    events = compliance_record(page)
    expect(events).not_to_contain_text("Appointment outcome overdue")
    expect(events).to_contain_text(f"Open Unacceptable absence on {APPOINTMENT:%-d %B %Y}")


def navigator_issues_a_warning(page) -> None:
    go(page, "link", "Issue a warning", "**/warnings/new/")
    group = page.get_by_role("group", name="Which compliance events is this warning about?")
    expect(group.get_by_role("checkbox")).to_have_count(1)  # not the staff task
    group.get_by_label(ABSENT).check()
    page.get_by_label("Reason for the warning").fill(
        "Missed the navigator meeting on 3 March without contacting us."
    )
    page.shots(page, "nav warning")
    page.get_by_role("button", name="Issue warning").click()
    expect_success(page, "Warning issued")
    expect(compliance_record(page)).to_contain_text(
        f"Warning issued on {DECIDED_ON:%-d %B %Y}: Missed the navigator meeting on 3 March"
    )
    page.shots(page, "nav warning issued")


def navigator_refers_the_breach(page) -> None:
    go(page, "link", "Refer for breach review", "**/breach-referral/")
    page.get_by_label("Your recommendation to the supervisor").fill(
        "Terminate: no contact since the warning; he says he will not take part."
    )
    page.shots(page, "nav breach referral")
    page.get_by_role("button", name="Refer to a supervisor").click()
    expect_success(page, "Case referred to a supervisor for a breach review")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Breach review")
    page.shots(page, "nav case page breach review")


def supervisor_terminates(page, reference: str) -> None:
    supervisor_opens_from_the_dashboard(
        page,
        section="Breaches awaiting your decision (1)",
        action=": decide on the breach",
        url=f"**/team/cases/{reference}/breach/",
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide on the breach")
    expect(summary_row(page, "Prosecution deadline")).to_contain_text(f"{DEADLINE:%-d %b %Y}")
    expect(page.get_by_text("Terminate: no contact since the warning")).to_be_visible()
    expect(compliance_record(page)).to_contain_text("Missed the navigator meeting on 3 March")
    page.shots(page, "sup breach review")
    choose(page, "What is your decision?", "Terminate the contract")
    page.get_by_label("Reasons for your decision").fill(
        "No engagement after a warning; he has withdrawn his consent in all but name."
    )
    page.shots(page, "sup terminate chosen")
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url(f"**/team/cases/{reference}/prosecution/")
    expect_success(page, "Decision saved: terminate the contract")


def supervisor_sees_the_deadline_and_refers(page, reference: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer for prosecution")
    days_left = (DEADLINE - DECIDED_ON).days
    expect(summary_row(page, "Statutory time limit")).to_contain_text(
        f"Charge by {long_date(DEADLINE)} (Magistrates' Courts Act 1980, s.127): "
        f"{days_left} days left"
    )
    supervisor_refers_for_prosecution(
        page,
        reference,
        "Contract terminated after a breach; refer the original offence to the CPS.",
    )


def the_prosecution_file_is_shown(page, reference: str) -> None:
    expect(summary_row(page, "Referred for prosecution")).to_contain_text(long_date(DECIDED_ON))
    expect(page.get_by_text("After the statutory time limit")).to_have_count(0)
    expect(summary_row(page, "Statutory time limit")).to_contain_text(
        f"Charge by {long_date(DEADLINE)}"
    )
    expect(summary_row(page, "Harassment, alarm or distress (s.5)")).to_contain_text(
        f"PO-S5 · Summary only, committed {long_date(COMMITTED_ON)}"
    )
    record = page.get_by_role("heading", name="Compliance record").locator("~ ul").first
    expect(record).to_contain_text(f"Warning issued on {long_date(DECIDED_ON)}")
    expect(record).to_contain_text("Unacceptable absence")
    # The overdue outcome was a task for staff, not the participant's non-compliance.
    expect(page.get_by_role("main")).not_to_contain_text("Appointment outcome overdue")
    page.shots(page, "sup prosecution file")


@pytest.mark.slow(35)
def test_missed_appointment_ends_in_prosecution_before_the_deadline(page, people):
    factories.ServiceProviderFactory(name=PROVIDER, pathways=["drugs"])
    navigator = people["navigator"].get_full_name()

    with time_machine.travel(at(STARTS_ON, 9), tick=True) as clock:
        reference = dm_takes_the_case_to_acceptance(
            page, STARTS_ON, navigator, offence=PUBLIC_ORDER_S5, committed_on=COMMITTED_ON
        )
        navigator_makes_the_contract(page, STARTS_ON, deadline=f"{DEADLINE:%A %-d %B %Y}")
        navigator_books_an_appointment(page, APPOINTMENT, "10:00")
        sign_out(page)

        # Thursday 5 March: nobody recorded an outcome for Tuesday's meeting.
        clock.move_to(at(DECIDED_ON, 6))
        run = run_the_sweep()
        assert (run.findings, run.stats["findings_missed_appointment"]) == (1, 1)

        clock.move_to(at(DECIDED_ON, 9))
        navigator_opens_the_case_again(page, DECIDED_ON)
        the_compliance_event_is_open(page)
        navigator_records_the_absence(page)
        navigator_issues_a_warning(page)
        navigator_refers_the_breach(page)
        sign_out(page)

        clock.move_to(at(DECIDED_ON, 10))
        supervisor_terminates(page, reference)
        supervisor_sees_the_deadline_and_refers(page, reference)
        the_prosecution_file_is_shown(page, reference)

    case = Case.objects.select_related("outcome").get(reference=reference)
    assert case.state == CaseState.PROSECUTION_REFERRED
    assert case.prosecution_deadline == DEADLINE
    assert case.outcome.kind == OutcomeKind.PROSECUTION_REFERRED
    assert case.outcome.decided_on == DECIDED_ON < DEADLINE
    assert case.outcome.within_time_limit is True
    task, absence = ComplianceEvent.objects.filter(case=case).order_by("pk")
    assert task.kind == "missed_appointment" and task.raised_by is None  # the sweep
    assert (task.status, task.resolved_how) == ("resolved", "outcome_recorded")
    assert task.resolution == "Outcome recorded: Unacceptable absence"
    assert absence.kind == "unacceptable_absence" and absence.raised_by == people["navigator"]
    assert absence.status == "resolved"  # by the warning
    (review,) = BreachReview.objects.filter(case=case)
    assert review.decision == "terminate" and review.decided_by == people["supervisor"]
    told = Message.objects.filter(case=case, template="breach_decision")
    assert list(told.values_list("recipient", flat=True)) == [people["navigator"].email]
    assert list(case.transitions.values_list("to_state", flat=True)) == [
        "eligible",
        "offered",
        "accepted",
        "active",
        "breach_review",
        "terminated",
        "prosecution_referred",
    ]
