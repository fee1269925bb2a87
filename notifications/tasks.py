"""Outbox delivery tasks. Beat runs them every few seconds; they are idempotent, so a task
delivered twice, or run by two workers at once, sends nothing twice."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.utils import timezone

from notifications import outbox

logger = logging.getLogger(__name__)

TIME_BUDGET_SECONDS = 50


@shared_task(acks_late=True)
def deliver_outbox_task() -> dict:
    """Deliver due messages in batches until none are due or the time budget is spent."""
    totals: dict[str, int] = {}
    started = time.monotonic()
    while time.monotonic() - started < TIME_BUDGET_SECONDS:
        counts = outbox.deliver_due(now=timezone.now())
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if not any(counts.values()):
            break
    if any(totals.values()):
        logger.info("outbox delivery: %s", totals)
    return totals


@shared_task(acks_late=True)
def reconcile_outbox_task() -> dict:
    """Recover messages a killed worker left half-sent."""
    return outbox.reconcile_stuck(now=timezone.now())
