"""A long-running compliance sweep still running, mid-batch, when the next one starts.

tests/scheduling/test_sweep.py already proves two sweeps started together (one runs, the
other skips: ``test_two_sweeps_started_together_one_runs_and_the_other_skips``, the first held
before its first batch), two workers on the same batch recording each finding once, and a
stale run taken over. What it does not show is the overlap the issue describes: the first
sweep really part-way through its work (one batch committed, the next batch's transaction
open, its findings written but not committed) when the next scheduled sweep starts.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection

from checkpoint.actors import SYSTEM
from checkpoint.models import (
    CaseState,
    CaseTransition,
    ComplianceEvent,
    SweepKind,
    SweepRun,
    SweepStatus,
)
from checkpoint.services import sweep as sweep_module
from checkpoint.services.sweep import compliance_sweep
from tests.scheduling.helpers import london
from tests.scheduling.test_sweep import varied_cases

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIRST_RUN = london(2026, 7, 3, 5, 30)
NEXT_RUN = FIRST_RUN + timedelta(days=1)
WAIT = 30


def test_the_next_sweep_skips_while_a_long_sweep_is_mid_batch_and_nothing_is_counted_twice(
    dm, team, navigator, monkeypatch
):
    """Proves: while yesterday's sweep is held inside its second batch (first batch
    committed), today's sweep does not run alongside it: on PostgreSQL it returns at once
    having skipped; on SQLite it waits for the write lock and then skips. The first sweep then
    finishes; there is one run, each finding is recorded once and counted once (the run's
    count equals the rows), and each case moves to completion review once."""
    cases = varied_cases(dm=dm, team=team, navigator=navigator, count=3)
    in_second_batch, release = threading.Event(), threading.Event()
    real = sweep_module._sweep_batch
    calls = []

    def held_batch(ids, **kwargs):
        calls.append(ids)
        result = real(ids, **kwargs)  # this batch's findings are written, not yet committed
        if len(calls) == 2:
            in_second_batch.set()
            release.wait(WAIT)
        return result

    monkeypatch.setattr(sweep_module, "_sweep_batch", held_batch)
    results: dict = {}

    def run(name, now):
        try:
            results[name] = compliance_sweep(by=SYSTEM, now=now, batch_size=1)
        except BaseException as exc:
            results[name] = exc
        finally:
            results[f"{name}_done_at"] = time.monotonic()
            connection.close()

    first = threading.Thread(target=run, args=("first", FIRST_RUN))
    first.start()
    try:
        assert in_second_batch.wait(WAIT), "the first sweep never reached its second batch"
        second = threading.Thread(target=run, args=("second", NEXT_RUN))
        second.start()
        second.join(2)  # PostgreSQL: skips at once; SQLite: still waiting for the write lock
        released_at = time.monotonic()
    finally:
        release.set()
        first.join(WAIT)
    second.join(WAIT)
    assert not first.is_alive() and not second.is_alive()

    run_, next_run = results["first"], results["second"]
    assert isinstance(run_, SweepRun), run_
    assert run_.status == SweepStatus.SUCCEEDED
    assert run_.examined == 3
    if connection.vendor == "postgresql":
        assert next_run is None  # skipped ...
        assert results["second_done_at"] < released_at  # ... while the first was held
    elif next_run is not None:
        # SQLite: the second waited for the write lock, and the first (which takes it again
        # for each batch) may finish before the second gets it: then the second starts after
        # the first ended, finds the cases already moved, and records nothing twice.
        assert isinstance(next_run, SweepRun), next_run
        assert (next_run.examined, next_run.findings) == (0, 0)  # every case already moved
    runs = SweepRun.objects.filter(kind=SweepKind.COMPLIANCE)
    assert runs.count() == 1 + (next_run is not None)
    keys = list(ComplianceEvent.objects.values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys)) == sum(r.findings for r in runs) == run_.findings > 0
    moved = CaseTransition.objects.filter(to_state=CaseState.COMPLETION_REVIEW)
    assert sorted(moved.values_list("case_id", flat=True)) == sorted(c.pk for c in cases)
