"""Helpers shared by the scheduled-work tests: London moments, snapshots, threads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

from checkpoint import dates
from checkpoint.models import CaseTransition, ComplianceEvent
from notifications.models import FakeDelivery, Message

THREAD_TIMEOUT = 30  # seconds; SQLite's busy timeout is 20


def london(year: int, month: int, day: int, hour: int = 6, minute: int = 0) -> datetime:
    """An aware Europe/London moment (the sweep runs at 05:30 local time)."""
    return datetime(year, month, day, hour, minute, tzinfo=dates.LONDON)


def findings() -> list[tuple]:
    """Every compliance event by its natural key (no pks, so two databases compare)."""
    return sorted(
        ComplianceEvent.objects.values_list(
            "case_id", "kind", "dedupe_key", "occurred_on", "raised_by_id"
        )
    )


def transitions() -> list[tuple]:
    return sorted(
        CaseTransition.objects.values_list("case_id", "transition", "from_state", "to_state")
    )


def outbox() -> list[tuple]:
    return sorted(
        Message.objects.values_list("dedupe_key", "status", "recipient", "template", "send_after")
    )


def deliveries_by_reference() -> dict[str, int]:
    counts: dict[str, int] = {}
    for reference in FakeDelivery.objects.values_list("reference", flat=True):
        counts[reference] = counts.get(reference, 0) + 1
    return counts


class Rollback(Exception):
    """Raised to undo what a block wrote once its result has been read."""


def rolled_back(call: Callable[[], object]) -> object:
    """Run ``call`` and return its result, then roll back everything it wrote."""
    result = None
    try:
        with transaction.atomic():
            result = call()
            raise Rollback
    except Rollback:
        pass
    return result


@dataclass
class Result:
    name: str
    value: object = None
    error: BaseException | None = None


def run_together(
    calls: dict[str, Callable[[], object]],
    *,
    timeout: float = THREAD_TIMEOUT,
    errors_are_results: bool = False,
) -> dict[str, Result]:
    """Run each call in its own thread (and database connection), released together.

    A call that raises fails the test, unless ``errors_are_results``: then its exception is
    returned in its ``Result`` for the test to judge (a race's loser is refused, not crashed).
    """
    barrier = threading.Barrier(len(calls))
    results = {name: Result(name) for name in calls}

    def worker(name: str, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[name].value = call()
        except BaseException as exc:  # report everything, crashes included, to the test
            results[name].error = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(name, call), name=name)
        for name, call in calls.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), f"{thread.name} did not finish"
    for result in results.values():
        if result.error is not None and not errors_are_results:
            raise AssertionError(f"{result.name} failed: {result.error!r}") from result.error
    return results
