"""The daily compliance sweep (DESIGN.md section 2; issue 5 points 2 and 5).

Cases are built through the real services at ``factories.NOW`` (Monday 2 March 2026, 10:00
London): the contract starts that day and ends on 2 July 2026; the restorative outcome (a
letter) is due on 27 April 2026 (56 days). Time moves forward by passing ``now`` to the sweep.
"""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checkpoint import compliance_rules, dates, services
from checkpoint.actors import SYSTEM
from checkpoint.models import (
    Case,
    CaseState,
    CaseTransition,
    ComplianceEvent,
    ComplianceKind,
    NewOffenceReport,
    SweepKind,
    SweepRun,
    SweepStatus,
    VictimCondition,
)
from checkpoint.services import sweep as sweep_module
from checkpoint.services.locking import case_lock_expecting
from checkpoint.services.sweep import compliance_sweep
from tests import factories

from .helpers import findings, london, rolled_back, run_together, transitions

START = factories.NOW
ENDS_ON = date(2026, 7, 2)
RESTORATIVE_DUE = date(2026, 4, 27)


def sweep(now, **kwargs) -> SweepRun:
    run = compliance_sweep(by=SYSTEM, now=now, **kwargs)
    assert run is not None
    assert run.status == SweepStatus.SUCCEEDED, run.error
    return run


def events_of(case: Case, kind: str) -> list[ComplianceEvent]:
    return list(ComplianceEvent.objects.filter(case=case, kind=kind).order_by("pk"))


def book(case: Case, navigator, starts_at, *, now=START):
    return services.appointment_schedule(
        confirm=True, case_id=case.pk, by=navigator, kind="navigator", starts_at=starts_at, now=now
    )


@pytest.fixture
def case(dm, team, navigator):
    return factories.active_case(dm=dm, team=team, navigator=navigator)


def test_contract_dates_are_what_these_tests_assume(case):
    contract = Case.objects.get(pk=case.pk).contract
    assert (contract.starts_on, contract.ends_on) == (START.date(), ENDS_ON)
    assert contract.victim_condition.due_on == RESTORATIVE_DUE
    assert contract.community_condition.hours_required == 24


# --- Pure rule: hours behind a pro-rata schedule (no database) ------------------------------
@pytest.mark.parametrize(
    ("today", "logged", "behind", "expected"),
    [
        (date(2026, 3, 2), "0", False, "0.00"),  # day 0
        (date(2026, 3, 15), "0", False, "10.66"),  # day 13: the first fortnight is exempt
        (date(2026, 3, 16), "0", True, "11.48"),  # day 14: it counts
        (date(2026, 3, 16), "7.48", False, "11.48"),  # exactly the slack behind: not yet
        (date(2026, 3, 16), "7.47", True, "11.48"),  # a little more than the slack
        (date(2026, 7, 2), "95.99", True, "100.00"),  # the end date: everything expected
        (date(2026, 9, 1), "96", False, "100.00"),  # after the end: clamped to the total
    ],
)
def test_hours_behind_is_straight_line_with_grace_and_slack(today, logged, behind, expected):
    check = compliance_rules.hours_behind(
        required=100, logged=Decimal(logged), starts_on=START.date(), ends_on=ENDS_ON, today=today
    )
    assert check.behind is behind
    assert check.expected == Decimal(expected)
    assert check.logged == Decimal(logged)


def test_hours_behind_before_the_contract_starts_expects_nothing():
    check = compliance_rules.hours_behind(
        required=36, logged=Decimal(0), starts_on=date(2026, 3, 9), ends_on=date(2026, 7, 9),
        today=date(2026, 3, 2),
    )  # fmt: skip
    assert (check.behind, check.expected, check.period) == (False, Decimal("0.00"), 0)


@pytest.mark.parametrize(
    ("today", "period"),
    [
        (date(2026, 3, 2), 1),
        (date(2026, 4, 1), 1),
        (date(2026, 4, 2), 2),  # the monthly anniversary of the start opens a new period
        (date(2026, 5, 1), 2),
        (date(2026, 5, 2), 3),
        (date(2026, 7, 2), 5),
        (date(2027, 1, 2), 11),
    ],
)
def test_hours_period_is_the_month_of_the_contract(today, period):
    assert compliance_rules.contract_month(START.date(), today) == period


def test_durham_hours_range_never_finds_anything_in_the_first_fortnight():
    # With at most 36 hours over four months the 4-hour slack already covers day 13.
    for required in range(18, 37):
        for day in range(14):
            check = compliance_rules.hours_behind(
                required=required,
                logged=Decimal(0),
                starts_on=START.date(),
                ends_on=ENDS_ON,
                today=START.date() + timedelta(days=day),
            )
            assert not check.behind, (required, day)


@pytest.mark.parametrize("starts_on", [date(2025, 10, 31), date(2026, 1, 31), date(2026, 1, 30)])
def test_hours_period_boundaries_follow_the_contract_calendar(starts_on):
    ends_on = dates.contract_end(starts_on, 4)
    for month in range(1, 4):
        boundary = dates.add_months(starts_on, month)
        before = compliance_rules.hours_behind(
            required=24,
            logged=Decimal(0),
            starts_on=starts_on,
            ends_on=ends_on,
            today=boundary - timedelta(days=1),
        )
        on = compliance_rules.hours_behind(
            required=24, logged=Decimal(0), starts_on=starts_on, ends_on=ends_on, today=boundary
        )
        assert (before.period, on.period) == (month, month + 1), boundary


# --- Each kind of finding -------------------------------------------------------------------
def test_appointment_without_outcome_is_a_finding_after_the_grace_period(case, navigator):
    starts_at = START + timedelta(days=1)
    appointment = book(case, navigator, starts_at)

    sweep(starts_at + timedelta(hours=23))
    assert events_of(case, ComplianceKind.MISSED_APPOINTMENT) == []

    later = starts_at + timedelta(hours=25)
    run = sweep(later)
    [event] = events_of(case, ComplianceKind.MISSED_APPOINTMENT)
    assert event.dedupe_key == f"missed:appointment:{appointment.pk}"
    assert event.occurred_on == date(2026, 3, 3)
    assert (event.raised_by, event.raised_at, event.resolved_at) == (None, later, None)
    assert event.detail == "No outcome recorded for the appointment"  # the date: occurred_on
    assert run.findings == 1


def test_appointment_with_an_outcome_is_not_a_finding(case, navigator):
    starts_at = START + timedelta(days=1)
    appointment = book(case, navigator, starts_at)
    services.appointment_record_outcome(
        appointment_id=appointment.pk,
        by=navigator,
        outcome="attended",
        now=starts_at + timedelta(hours=1),
    )
    future = book(case, navigator, START + timedelta(days=20))

    sweep(starts_at + timedelta(days=3))

    assert events_of(case, ComplianceKind.MISSED_APPOINTMENT) == []
    assert future.outcome == ""


def test_hours_behind_is_recorded_once_per_month_of_the_contract(case):
    sweep(london(2026, 3, 20))  # day 18: 3.54 hours expected, within the 4-hour slack
    assert events_of(case, ComplianceKind.HOURS_BEHIND) == []

    sweep(london(2026, 3, 23))  # day 21: 4.13 expected, 0 logged
    [first] = events_of(case, ComplianceKind.HOURS_BEHIND)
    assert first.dedupe_key == f"hours_behind:case:{case.pk}:month:1"
    assert first.detail == "0 hours logged; 4.13 expected by now"
    assert first.occurred_on == date(2026, 3, 23)

    sweep(london(2026, 4, 1))  # still month 1: nothing new
    assert events_of(case, ComplianceKind.HOURS_BEHIND) == [first]

    sweep(london(2026, 4, 2))  # the month boundary: month 2 gets its own finding
    sweep(london(2026, 4, 20))
    sweep(london(2026, 5, 2))  # and month 3
    keys = [e.dedupe_key for e in events_of(case, ComplianceKind.HOURS_BEHIND)]
    assert keys == [first.dedupe_key] + [f"hours_behind:case:{case.pk}:month:{m}" for m in (2, 3)]


def test_hours_are_not_checked_in_the_first_fourteen_days(dm, team, navigator):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, hours=36)

    sweep(london(2026, 3, 15))  # day 13: 3.84 hours expected
    assert events_of(case, ComplianceKind.HOURS_BEHIND) == []

    sweep(london(2026, 3, 16))  # day 14: 4.13 expected, more than the slack
    [event] = events_of(case, ComplianceKind.HOURS_BEHIND)
    assert event.dedupe_key.endswith(":month:1")


def test_hours_on_track_are_not_a_finding(case, navigator):
    services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=date(2026, 3, 20),
        hours=Decimal(3),
        activity="Litter picking",
        verified=True,
        now=london(2026, 3, 20, 18),
    )
    sweep(london(2026, 4, 2))  # 6.10 expected, 3 logged + 4 slack
    sweep(london(2026, 5, 1))  # 11.80 expected, 3 + 4 = 7: now behind
    [event] = events_of(case, ComplianceKind.HOURS_BEHIND)
    logged, expected = re.fullmatch(
        r"([\d.]+) hours logged; ([\d.]+) expected by now", event.detail
    ).groups()  # SQLite sums to 3, PostgreSQL to 3.00
    assert (Decimal(logged), Decimal(expected)) == (Decimal(3), Decimal("11.80"))


def test_restorative_outcome_overdue_is_a_finding_the_day_after_it_was_due(case):
    sweep(london(2026, 4, 27))
    assert events_of(case, ComplianceKind.RESTORATIVE_OVERDUE) == []

    sweep(london(2026, 4, 28))
    [event] = events_of(case, ComplianceKind.RESTORATIVE_OVERDUE)
    assert event.dedupe_key == f"restorative_overdue:case:{case.pk}"
    assert event.occurred_on == RESTORATIVE_DUE
    assert event.detail == "Restorative outcome not recorded by its due date"

    sweep(london(2026, 5, 28))
    assert len(events_of(case, ComplianceKind.RESTORATIVE_OVERDUE)) == 1


def test_restorative_outcome_recorded_or_not_required_is_not_overdue(dm, team, navigator):
    recorded = factories.active_case(dm=dm, team=team, navigator=navigator)
    services.restorative_outcome_record(
        case_id=recorded.pk, by=navigator, outcome="completed", now=london(2026, 4, 20, 12)
    )
    declined = factories.active_case(dm=dm, team=team, navigator=navigator)
    VictimCondition.objects.filter(contract__case=declined).update(approach="victim_declined")

    sweep(london(2026, 5, 1))

    assert not ComplianceEvent.objects.filter(kind=ComplianceKind.RESTORATIVE_OVERDUE).exists()


def test_new_offence_reported_is_one_finding_however_often_swept(case, navigator):
    report = services.new_offence_report(
        case_id=case.pk,
        by=navigator,
        occurred_on=date(2026, 3, 8),
        description="Arrested for shoplifting",
        now=london(2026, 3, 10, 12),
    )
    sweep(london(2026, 3, 11))
    sweep(london(2026, 3, 12))
    [event] = events_of(case, ComplianceKind.NEW_OFFENCE)
    assert event.dedupe_key == f"new_offence:{report.pk}"
    assert event.raised_by == navigator  # the report raised it; the sweep found it recorded


def test_sweep_records_a_new_offence_the_report_did_not_raise(case, navigator):
    # The safety net: a report that reached the table without its event (an import, the admin).
    report = NewOffenceReport.objects.create(
        case=case,
        occurred_on=date(2026, 3, 8),
        reported_on=date(2026, 3, 9),
        description="Reported by the custody suite",
        reported_by=navigator,
    )
    sweep(london(2026, 3, 10))
    [event] = events_of(case, ComplianceKind.NEW_OFFENCE)
    assert (event.dedupe_key, event.raised_by, event.occurred_on) == (
        f"new_offence:{report.pk}",
        None,
        date(2026, 3, 8),
    )


def test_end_date_reached_moves_the_case_to_completion_review_once(case, supervisor):
    version = Case.objects.get(pk=case.pk).lock_version
    sweep(london(2026, 7, 1))
    assert Case.objects.get(pk=case.pk).state == CaseState.ACTIVE

    moment = london(2026, 7, 2, 5, 30)
    run = sweep(moment)
    sweep(london(2026, 7, 3))

    moved = Case.objects.get(pk=case.pk)
    assert moved.state == CaseState.COMPLETION_REVIEW
    assert moved.lock_version == version + 1  # open forms on the case become stale
    [row] = CaseTransition.objects.filter(case=case, to_state=CaseState.COMPLETION_REVIEW)
    assert (row.transition, row.from_state, row.by, row.at) == (
        "begin_completion_review",
        CaseState.ACTIVE,
        None,
        moment,
    )
    assert row.reason == "Contract end date reached"
    assert run.stats["moved_to_completion_review"] == 1
    # The state machine agrees: the supervisor can now sign off or terminate.
    services.completion_terminate(case_id=case.pk, by=supervisor, reasons="Not met")
    assert Case.objects.get(pk=case.pk).state == CaseState.TERMINATED


def test_case_under_breach_review_is_swept_but_not_moved(case, navigator):
    services.breach_refer(
        case_id=case.pk, by=navigator, recommendation="Not engaging", now=london(2026, 6, 1, 12)
    )
    sweep(london(2026, 7, 3))
    case.refresh_from_db()
    assert case.state == CaseState.BREACH_REVIEW
    assert events_of(case, ComplianceKind.HOURS_BEHIND)  # still supervised


def test_cases_without_a_running_contract_are_not_swept(dm, team, navigator):
    accepted = factories.accepted_case(dm=dm, team=team, navigator=navigator)
    book(accepted, navigator, START + timedelta(days=1))
    withdrawn = factories.active_case(dm=dm, team=team, navigator=navigator)
    book(withdrawn, navigator, START + timedelta(days=1))
    services.case_withdraw(
        case_id=withdrawn.pk, by=navigator, reason="Moved away", now=START + timedelta(hours=1)
    )

    run = sweep(london(2026, 7, 3))

    assert ComplianceEvent.objects.count() == 0
    assert run.examined == 0
    assert Case.objects.get(pk=withdrawn.pk).state == CaseState.WITHDRAWN


# --- Idempotence ----------------------------------------------------------------------------
def varied_cases(*, dm, team, navigator, count: int) -> list[Case]:
    """Active cases with something to find in each: a missed appointment, no hours logged, an
    overdue restorative outcome, every other one a new offence; all past their end date."""
    cases = []
    for i in range(count):
        case = factories.active_case(dm=dm, team=team, navigator=navigator)
        book(case, navigator, START + timedelta(days=2, hours=i % 5))
        if i % 2:
            NewOffenceReport.objects.create(
                case=case,
                occurred_on=date(2026, 4, 1),
                reported_on=date(2026, 4, 2),
                description="Theft",
                reported_by=navigator,
            )
        cases.append(case)
    return cases


AFTER_END = london(2026, 7, 3, 5, 30)


def test_sweep_run_twice_records_the_same_as_once(dm, team, navigator):
    cases = varied_cases(dm=dm, team=team, navigator=navigator, count=4)
    first = sweep(AFTER_END)
    once = (findings(), transitions())

    second = sweep(AFTER_END)  # the same moment again (a retried task)
    third = sweep(AFTER_END + timedelta(hours=3))  # later the same day

    assert (findings(), transitions()) == once
    kinds = {k for _c, k, *_ in once[0]}
    assert kinds == {
        ComplianceKind.MISSED_APPOINTMENT,
        ComplianceKind.HOURS_BEHIND,
        ComplianceKind.RESTORATIVE_OVERDUE,
        ComplianceKind.NEW_OFFENCE,
    }
    assert first.examined == len(cases)
    assert first.stats["moved_to_completion_review"] == len(cases)
    assert CaseTransition.objects.filter(to_state=CaseState.COMPLETION_REVIEW).count() == 4
    assert third.findings == 0
    # Moved cases are no longer swept: the repeat runs examine nothing and move nothing.
    assert (second.examined, second.stats.get("moved_to_completion_review", 0)) == (0, 0)


def test_findings_count_only_what_this_run_recorded(dm, team, navigator):
    varied_cases(dm=dm, team=team, navigator=navigator, count=2)
    first = sweep(AFTER_END)
    assert first.findings == len(findings()) > 0
    second = sweep(AFTER_END)  # e.g. `run_sweep --now ...` repeated: nothing new recorded
    assert len(findings()) == first.findings
    assert second.findings == 0, "the repeated run reports the first run's findings as its own"


# --- Batches and query counts ---------------------------------------------------------------
def test_small_batches_give_the_same_result_as_one_batch(dm, team, navigator):
    varied_cases(dm=dm, team=team, navigator=navigator, count=5)
    batch_sizes = []
    real = sweep_module._sweep_batch

    def spy(ids, **kwargs):
        batch_sizes.append(len(ids))
        return real(ids, **kwargs)

    def outcome(batch_size):
        run = sweep(AFTER_END, batch_size=batch_size)
        return findings(), transitions(), run.examined, run.findings

    with mock.patch.object(sweep_module, "_sweep_batch", spy):
        in_twos = rolled_back(lambda: outcome(2))
        assert batch_sizes == [2, 2, 1]
        in_one = rolled_back(lambda: outcome(100))
        assert batch_sizes == [2, 2, 1, 5]

    assert in_twos == in_one
    assert in_one[2] == 5 and in_one[3] > 0


def count_queries(batch_size: int) -> tuple[int, list[int]]:
    """Queries for a whole sweep (rolled back afterwards), and per batch."""
    per_batch = []
    real = sweep_module._sweep_batch

    def counted(ids, **kwargs):
        with CaptureQueriesContext(connection) as batch:
            result = real(ids, **kwargs)
        per_batch.append(len(batch.captured_queries))
        return result

    def run():
        with CaptureQueriesContext(connection) as whole:
            sweep(AFTER_END, batch_size=batch_size)
        return len(whole.captured_queries)

    with mock.patch.object(sweep_module, "_sweep_batch", counted):
        total = rolled_back(run)
    return total, per_batch


def test_queries_do_not_grow_with_the_number_of_cases(dm, team, navigator):
    varied_cases(dm=dm, team=team, navigator=navigator, count=5)
    five, five_batches = count_queries(batch_size=1000)
    varied_cases(dm=dm, team=team, navigator=navigator, count=15)
    twenty, twenty_batches = count_queries(batch_size=1000)
    in_fives, batches_of_five = count_queries(batch_size=5)

    assert twenty == five
    assert five_batches == twenty_batches
    assert len(batches_of_five) == 4
    assert len(set(batches_of_five)) == 1  # every batch costs the same
    # "A few queries per batch": four reads of findings, the known keys, one insert, then
    # lock, update and history for the contracts that ended.
    assert batches_of_five[0] <= 9
    # Each extra batch costs its own queries plus the next page of ids and its savepoint pair.
    assert in_fives - twenty == 3 * (batches_of_five[0] + 3)


# --- Runs: one at a time, stale takeover, failure -------------------------------------------
def test_stale_running_sweep_is_taken_over(case, navigator):
    book(case, navigator, START + timedelta(days=1))
    stale = SweepRun.objects.create(
        kind=SweepKind.COMPLIANCE,
        started_at=timezone.now() - timedelta(hours=2, minutes=1),
        for_date=date(2026, 3, 3),
    )

    run = sweep(london(2026, 3, 5))

    stale.refresh_from_db()
    assert stale.status == SweepStatus.ABANDONED
    assert stale.error == "Worker stopped mid-run" and stale.finished_at is not None
    assert run.pk != stale.pk and run.findings == 1


def test_recent_running_sweep_makes_the_next_one_skip(case, navigator):
    book(case, navigator, START + timedelta(days=1))
    running = SweepRun.objects.create(
        kind=SweepKind.COMPLIANCE,
        started_at=timezone.now() - timedelta(hours=1, minutes=59),
        for_date=date(2026, 3, 5),
    )

    assert compliance_sweep(by=SYSTEM, now=london(2026, 3, 5)) is None

    assert ComplianceEvent.objects.count() == 0
    running.refresh_from_db()
    assert running.status == SweepStatus.RUNNING
    # Other kinds of scheduled work are not blocked by it.
    from checkpoint.services.deadlines import deadline_watch

    assert deadline_watch(by=SYSTEM, now=london(2026, 3, 5)) is not None


def test_failed_sweep_is_recorded_and_does_not_block_the_next(case, navigator):
    book(case, navigator, START + timedelta(days=1))
    with (
        mock.patch.object(sweep_module, "_end_date_reached", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        compliance_sweep(by=SYSTEM, now=london(2026, 3, 5))

    failed = SweepRun.objects.get()
    assert (failed.status, failed.error) == (SweepStatus.FAILED, "RuntimeError: boom")
    assert ComplianceEvent.objects.count() == 0  # the batch rolled back as a whole
    sweep(london(2026, 3, 5))
    assert ComplianceEvent.objects.count() == 1


def test_run_sweep_command_runs_the_same_sweep(case, navigator, capsys):
    from django.core.management import call_command

    book(case, navigator, START + timedelta(days=1))
    call_command("run_sweep", "--now", "2026-03-05T06:00:00+00:00")
    call_command("run_sweep", "--now", "2026-03-05T07:00:00+00:00")
    assert len(events_of(case, ComplianceKind.MISSED_APPOINTMENT)) == 1
    assert "1 examined" in capsys.readouterr().out


# --- Two workers at once (their own connections) --------------------------------------------
concurrent = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@concurrent
def test_two_sweeps_started_together_one_runs_and_the_other_skips(dm, team, navigator):
    varied_cases(dm=dm, team=team, navigator=navigator, count=3)
    loser_done = threading.Event()
    real = sweep_module._batches

    def held_batches(size):
        # The winner holds its run open (outside any transaction, so SQLite's write lock is
        # free) until the other sweep has tried to start.
        loser_done.wait(timeout=10)
        yield from real(size)

    def worker():
        run = compliance_sweep(by=SYSTEM, now=AFTER_END)
        if run is None:
            loser_done.set()
        return run

    with mock.patch.object(sweep_module, "_batches", held_batches):
        results = run_together({"a": worker, "b": worker})

    runs = [r.value for r in results.values()]
    assert sorted(run is None for run in runs) == [False, True]
    winner = next(run for run in runs if run is not None)
    assert winner.status == SweepStatus.SUCCEEDED
    assert SweepRun.objects.count() == 1
    assert len(transitions()) == 3 * 4 + 3  # four transitions to become active, one more each
    assert CaseTransition.objects.filter(to_state=CaseState.COMPLETION_REVIEW).count() == 3
    assert len({key for _c, _k, key, *_ in findings()}) == len(findings()) == winner.findings


@concurrent
def test_two_workers_sweeping_the_same_batch_record_each_finding_once(dm, team, navigator):
    # What guards us if two runs overlap anyway (a slow run taken over as stale): the unique
    # dedupe keys and the compare-and-set on the case state, not the run bookkeeping.
    cases = varied_cases(dm=dm, team=team, navigator=navigator, count=4)
    ids = sorted(c.pk for c in cases)
    today = dates.local_date(AFTER_END)

    def batch():
        with transaction.atomic():
            return sweep_module._sweep_batch(ids, today=today, now=AFTER_END)

    results = run_together({"a": batch, "b": batch})

    moved = sorted(r.value["moved_to_completion_review"] for r in results.values())
    assert moved == [0, 4]
    assert CaseTransition.objects.filter(to_state=CaseState.COMPLETION_REVIEW).count() == 4
    keys = [key for _c, _k, key, *_ in findings()]
    assert len(keys) == len(set(keys)) == 4 + 4 + 4 + 2  # missed, hours, restorative, offence


@concurrent
def test_concurrent_sweeps_without_coordination_match_one_sweep(dm, team, navigator):
    varied_cases(dm=dm, team=team, navigator=navigator, count=3)
    results = run_together(
        {name: (lambda: compliance_sweep(by=SYSTEM, now=AFTER_END)) for name in ("a", "b", "c")}
    )
    assert any(r.value is not None for r in results.values())
    assert CaseTransition.objects.filter(to_state=CaseState.COMPLETION_REVIEW).count() == 3
    keys = [key for _c, _k, key, *_ in findings()]
    assert len(keys) == len(set(keys)) == 3 + 3 + 3 + 1


@pytest.mark.postgres
@concurrent
def test_case_locked_by_a_navigator_is_skipped_then_moved_on_the_next_run(dm, team, navigator):
    held, release = threading.Event(), threading.Event()
    cases = [factories.active_case(dm=dm, team=team, navigator=navigator) for _ in range(2)]
    locked = cases[0]

    def navigator_edit():
        # A navigator's form save holds the case row lock (its first step, the services' own
        # case_lock_expecting) while the sweep runs; it lets go when the sweep is done, or
        # after 10 s if the sweep waits for it.
        with transaction.atomic():
            case_lock_expecting(
                case_id=locked.pk,
                by=navigator,
                version=locked.lock_version,
                opened_at=timezone.now(),
            )
            held.set()
            return release.wait(timeout=10)

    def sweeper():
        held.wait(timeout=10)
        try:
            return compliance_sweep(by=SYSTEM, now=AFTER_END)
        finally:
            release.set()

    results = run_together({"navigator": navigator_edit, "sweep": sweeper})

    # The sweep finished while the navigator still held the lock: it passed the locked case by
    # (and recorded its findings on the other cases) without waiting for the navigator.
    assert results["navigator"].value is True, "the sweep waited for the navigator's lock"
    assert results["sweep"].value.stats["moved_to_completion_review"] == 1
    assert Case.objects.get(pk=locked.pk).state == CaseState.ACTIVE
    assert Case.objects.get(pk=cases[1].pk).state == CaseState.COMPLETION_REVIEW
    sweep(AFTER_END + timedelta(days=1))
    assert Case.objects.get(pk=locked.pk).state == CaseState.COMPLETION_REVIEW
    assert CaseTransition.objects.filter(to_state=CaseState.COMPLETION_REVIEW).count() == 2
