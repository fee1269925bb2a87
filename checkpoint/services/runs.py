"""Bookkeeping for scheduled runs: one running run per kind, stats, stale-run takeover."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from checkpoint.actors import Actor
from checkpoint.models import SweepRun, SweepStatus
from checkpoint.permissions import Permission

from .locking import authorise

logger = logging.getLogger(__name__)

# A run still 'running' after this long belongs to a worker that was killed.
STALE_AFTER = timedelta(hours=2)


def start_run(kind: str, *, for_date: date, by: Actor) -> SweepRun | None:
    """Start a run, or return None when another run of this kind is in progress. Only the
    scheduled work (``SYSTEM``) runs it.

    Race guarded against: a long run overlapping the next scheduled one, or two workers
    starting together. The unique constraint on running runs lets exactly one insert win.
    """
    authorise(by, Permission.RUN_SCHEDULED_WORK)
    now = timezone.now()  # real time: runs are timed on the wall clock
    SweepRun.objects.filter(
        kind=kind, status=SweepStatus.RUNNING, started_at__lt=now - STALE_AFTER
    ).update(status=SweepStatus.ABANDONED, finished_at=now, error="Worker stopped mid-run")
    try:
        with transaction.atomic():
            return SweepRun.objects.create(kind=kind, started_at=now, for_date=for_date)
    except IntegrityError:
        logger.info("%s run skipped: another is in progress", kind)
        return None


def finish_run(run: SweepRun, stats: Counter[str], *, failed: Exception | None = None) -> SweepRun:
    run.finished_at = timezone.now()
    run.examined = stats.get("examined", 0)
    run.findings = stats.get("findings", 0)
    run.stats = {k: v for k, v in stats.items() if k not in {"examined", "findings"}}
    run.status = SweepStatus.FAILED if failed else SweepStatus.SUCCEEDED
    run.error = f"{type(failed).__name__}: {failed}"[:2000] if failed else ""
    run.save()
    logger.info(
        "%s run %s: %s examined, %s findings, %s",
        run.kind,
        run.status,
        run.examined,
        run.findings,
        run.stats,
    )
    return run
