"""Two people taking conflicting transitions on the same case at the same moment.

Each person runs in their own thread with their own database connection, released together by
a barrier. ``lock_case`` serialises them (``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite the
IMMEDIATE transaction takes the write lock at BEGIN), so the second sees the first's result and
is refused with a message naming the state the case is now in. The races run on both databases;
the one test that needs row-level locks (a writer that skips the lock) is PostgreSQL-only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta

import pytest

from checkpoint import roles, services
from checkpoint.actors import SYSTEM
from checkpoint.models import BreachReview, Case, CaseState, CaseTransition, Outcome
from checkpoint.services import (
    CaseError,
    CaseNotFound,
    NotPermitted,
    TransitionBlocked,
    allocation,
    decisions,
)
from tests import factories
from tests.scheduling import helpers
from tests.scheduling.helpers import Result

# serialized_rollback: the flush after each transactional test would otherwise wipe the
# reference data loaded by migrations (offence types, pathways, scheme versions).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ITERATIONS = 5
THREAD_TIMEOUT = 30  # seconds; SQLite's busy timeout is 20


def run_together(calls: dict[str, Callable[[], object]]) -> dict[str, Result]:
    """Each call in its own thread and connection, released together; errors are returned."""
    return helpers.run_together(calls, timeout=THREAD_TIMEOUT, errors_are_results=True)


def history(case_id: int) -> list[CaseTransition]:
    return list(CaseTransition.objects.filter(case_id=case_id).order_by("at", "pk"))


def assert_one_winner(
    results: dict[str, Result],
    *,
    case_id: int,
    rows_before: int,
    targets: dict[str, str],
    refusal=TransitionBlocked,
) -> str:
    """Exactly one call succeeded; the other was refused naming the state it lost to."""
    crashes = [r for r in results.values() if r.error and not isinstance(r.error, CaseError)]
    assert not crashes, crashes[0].error
    winners = [r.name for r in results.values() if r.error is None]
    losers = [r for r in results.values() if r.error is not None]
    assert len(winners) == 1, results
    assert len(losers) == 1, results
    winner = winners[0]
    case = Case.objects.get(pk=case_id)
    assert case.state == targets[winner]
    assert isinstance(losers[0].error, refusal), losers[0].error
    assert f"'{CaseState(case.state).label}'" in losers[0].error.message
    rows = history(case_id)
    assert len(rows) == rows_before + 1
    assert rows[-1].to_state == case.state
    return winner


# --- fixtures ----------------------------------------------------------------------------------
@pytest.fixture
def second_supervisor(db, team):
    return factories.make_user(roles.SUPERVISOR, team=team, username="sup2")


def breach_case(*, dm, team, navigator, now) -> Case:
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    services.breach_refer(case_id=case.pk, by=navigator, recommendation="Missed sessions", now=now)
    return case


def offered_case(*, dm, team, now) -> Case:
    case = factories.eligible_case(dm=dm, team=team, now=now)
    return services.case_offer(case_id=case.pk, by=dm, now=now)


# --- races ---------------------------------------------------------------------------------------
def test_continue_and_terminate_of_the_same_breach_one_wins(
    dm, navigator, supervisor, second_supervisor, team, now
):
    later = now + timedelta(days=1)
    for _ in range(ITERATIONS):
        case = breach_case(dm=dm, team=team, navigator=navigator, now=now)
        results = run_together(
            {
                "continue": lambda c=case: services.breach_decide(
                    case_id=c.pk,
                    by=supervisor,
                    decision="continue",
                    reasons="Engaging now",
                    now=later,
                ),
                "terminate": lambda c=case: services.breach_decide(
                    case_id=c.pk,
                    by=second_supervisor,
                    decision="terminate",
                    reasons="Further offence",
                    now=later,
                ),
            }
        )

        winner = assert_one_winner(
            results,
            case_id=case.pk,
            rows_before=5,
            targets={"continue": CaseState.ACTIVE, "terminate": CaseState.TERMINATED},
        )
        review = BreachReview.objects.get(case=case)
        assert review.decision == winner
        expected_by = supervisor if winner == "continue" else second_supervisor
        assert review.decided_by_id == history(case.pk)[-1].by_id == expected_by.pk


def test_accept_and_decline_of_the_same_offer_one_wins(dm, navigator, team, now):
    # The decision maker records the acceptance in one tab and a refusal in another. (A second
    # decision maker who loses the race no longer reaches the case once it has left custody,
    # and is told it was not found: checkpoint.access.)
    for _ in range(ITERATIONS):
        case = offered_case(dm=dm, team=team, now=now)
        results = run_together(
            {
                "accept": lambda c=case: services.offer_accept(
                    case_id=c.pk, by=dm, navigator=navigator, now=now
                ),
                "decline": lambda c=case: services.offer_decline(
                    case_id=c.pk, by=dm, reason="Said no on the phone", now=now
                ),
            }
        )

        winner = assert_one_winner(
            results,
            case_id=case.pk,
            rows_before=2,
            targets={"accept": CaseState.ACCEPTED, "decline": CaseState.DECLINED},
        )
        navigator_id = Case.objects.get(pk=case.pk).navigator_id
        assert navigator_id == (navigator.pk if winner == "accept" else None)


def test_sign_off_and_termination_at_completion_review_one_wins(
    dm, navigator, supervisor, second_supervisor, team, now
):
    end = now + timedelta(days=122)
    for _ in range(ITERATIONS):
        case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
        factories.complete_conditions(case, navigator=navigator, now=now)
        services.completion_review_begin(case_id=case.pk, by=SYSTEM, now=end)
        results = run_together(
            {
                "sign_off": lambda c=case: services.completion_sign_off(
                    case_id=c.pk, by=supervisor, reason="All met", now=end
                ),
                "terminate": lambda c=case: services.completion_terminate(
                    case_id=c.pk, by=second_supervisor, reasons="Not convinced", now=end
                ),
            }
        )

        errors = [r.error for r in results.values() if r.error is not None]
        assert len(errors) == 1
        assert isinstance(errors[0], TransitionBlocked), errors[0]
        winner = next(name for name, r in results.items() if r.error is None)
        final = Case.objects.get(pk=case.pk)
        assert (
            final.state
            == {"sign_off": CaseState.EXITED_NO_CONVICTION, "terminate": CaseState.TERMINATED}[
                winner
            ]
        )
        assert len(history(case.pk)) == 6
        assert Outcome.objects.filter(case=case).count() == (winner == "sign_off")
        assert (final.closed_at is not None) == (winner == "sign_off")


def test_two_withdrawals_of_the_same_case_record_one(dm, navigator, supervisor, team, now):
    for _ in range(ITERATIONS):
        case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
        results = run_together(
            {
                "navigator": lambda c=case: services.case_withdraw(
                    case_id=c.pk, by=navigator, reason="Phoned to say", now=now
                ),
                "supervisor": lambda c=case: services.case_withdraw(
                    case_id=c.pk, by=supervisor, reason="Letter received", now=now
                ),
            }
        )

        assert_one_winner(
            results,
            case_id=case.pk,
            rows_before=4,
            targets={"navigator": CaseState.WITHDRAWN, "supervisor": CaseState.WITHDRAWN},
        )


def test_a_navigators_breach_decision_is_refused_for_the_role_not_the_race(
    dm, navigator, supervisor, team, now
):
    # The navigator has no right to decide; whichever thread runs first, the navigator is told
    # so (NotPermitted) or, if the supervisor already decided, that the case has moved on.
    for _ in range(ITERATIONS):
        case = breach_case(dm=dm, team=team, navigator=navigator, now=now)
        results = run_together(
            {
                "supervisor": lambda c=case: services.breach_decide(
                    case_id=c.pk, by=supervisor, decision="continue", reasons="Ok", now=now
                ),
                "navigator": lambda c=case: services.breach_decide(
                    case_id=c.pk, by=navigator, decision="terminate", reasons="No", now=now
                ),
            }
        )

        assert results["supervisor"].error is None
        assert isinstance(results["navigator"].error, NotPermitted | TransitionBlocked)
        assert Case.objects.get(pk=case.pk).state == CaseState.ACTIVE
        assert len(history(case.pk)) == 6


# --- the loser really waits for the winner's lock --------------------------------------------
def test_the_second_decision_waits_for_the_lock_and_sees_the_new_state(
    dm, navigator, supervisor, second_supervisor, team, now, monkeypatch
):
    """Force the interleaving: the first holds the lock while the second tries.

    Without the lock, the second would read 'Breach review', pass every check and fail only at
    the compare-and-set save ("Someone else changed this case..."), not naming the new state.
    """
    case = breach_case(dm=dm, team=team, navigator=navigator, now=now)
    holding = threading.Event()
    real_lock_case = decisions.lock_case

    def slow_lock_case(case_id, **kwargs):
        locked = real_lock_case(case_id, **kwargs)
        if threading.current_thread().name == "first":
            holding.set()
            time.sleep(0.5)  # keep the lock while the second person tries
        return locked

    monkeypatch.setattr(decisions, "lock_case", slow_lock_case)

    def second():
        assert holding.wait(THREAD_TIMEOUT)
        return services.breach_decide(
            case_id=case.pk, by=second_supervisor, decision="continue", reasons="Engaging", now=now
        )

    started = time.monotonic()
    results = run_together(
        {
            "first": lambda: services.breach_decide(
                case_id=case.pk, by=supervisor, decision="terminate", reasons="Offence", now=now
            ),
            "second": second,
        }
    )

    assert time.monotonic() - started >= 0.5
    assert results["first"].error is None
    assert isinstance(results["second"].error, TransitionBlocked)
    assert results["second"].error.message == (
        "This case is now 'Terminated', so there is no breach to decide."
    )
    assert Case.objects.get(pk=case.pk).state == CaseState.TERMINATED
    assert [r.to_state for r in history(case.pk)][-2:] == ["breach_review", "terminated"]


@pytest.mark.postgres
def test_a_writer_that_skips_the_lock_is_stopped_by_the_compare_and_set(
    dm, navigator, supervisor, second_supervisor, team, now, monkeypatch
):
    """The second line of defence (ConcurrentTransitionMixin).

    PostgreSQL only: there the unlocked reader sees the old state and reaches the UPDATE, which
    waits for the winner's row lock and then matches no row. On SQLite the IMMEDIATE
    transaction already serialises whole transactions, so the situation cannot arise.
    """
    case = breach_case(dm=dm, team=team, navigator=navigator, now=now)
    holding = threading.Event()
    real_lock_case = decisions.lock_case

    def lock_case_variants(case_id, *, by, needs, related=()):
        if threading.current_thread().name == "unlocked":
            return Case.objects.select_related("scheme_version", *related).get(pk=case_id)
        locked = real_lock_case(case_id, by=by, needs=needs, related=related)
        holding.set()
        time.sleep(0.5)
        return locked

    monkeypatch.setattr(decisions, "lock_case", lock_case_variants)

    def unlocked():
        assert holding.wait(THREAD_TIMEOUT)
        return services.breach_decide(
            case_id=case.pk, by=second_supervisor, decision="continue", reasons="Engaging", now=now
        )

    results = run_together(
        {
            "locked": lambda: services.breach_decide(
                case_id=case.pk, by=supervisor, decision="terminate", reasons="Offence", now=now
            ),
            "unlocked": unlocked,
        }
    )

    assert results["locked"].error is None
    assert isinstance(results["unlocked"].error, TransitionBlocked)
    assert "Someone else changed this case" in results["unlocked"].error.message
    assert Case.objects.get(pk=case.pk).state == CaseState.TERMINATED
    assert len(history(case.pk)) == 6
    assert BreachReview.objects.get(case=case).decision == "terminate"


# --- reach is judged on the locked row -------------------------------------------------------
def test_a_navigator_taken_off_the_case_while_waiting_cannot_then_act_on_it(
    dm, navigator, supervisor, team, now, monkeypatch, request
):
    """The supervisor reallocates the case while its old navigator records a withdrawal.

    Access is role *and* relationship (DESIGN.md 1.2): once the reallocation commits, the old
    navigator no longer reaches the case, so their waiting withdrawal must be refused.
    """
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    successor = factories.make_user(roles.NAVIGATOR, team=team, username="nav2")
    holding = threading.Event()
    real_lock_case = allocation.lock_case

    def slow_lock_case(case_id, **kwargs):
        locked = real_lock_case(case_id, **kwargs)
        holding.set()
        time.sleep(0.5)  # the reallocation holds the lock while the old navigator tries
        return locked

    monkeypatch.setattr(allocation, "lock_case", slow_lock_case)

    def withdraw():
        assert holding.wait(THREAD_TIMEOUT)
        return services.case_withdraw(case_id=case.pk, by=navigator, reason="Phoned", now=now)

    results = run_together(
        {
            "reallocate": lambda: services.case_allocate(
                case_ids=[case.pk], by=supervisor, navigator=successor, reason="Leaving"
            ),
            "withdraw": withdraw,
        }
    )

    assert results["reallocate"].error is None
    assert isinstance(results["withdraw"].error, CaseNotFound), results["withdraw"]
    final = Case.objects.get(pk=case.pk)
    assert (final.state, final.navigator_id) == (CaseState.ACTIVE, successor.pk)
    assert len(history(case.pk)) == 4
