"""Celery tasks for the scheduled work. Each takes no arguments (or a date), calls a service,
logs, and is idempotent; each is also a management command (run_sweep, watch_deadlines,
send_digest, review_retention, watch_allocations)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from checkpoint.actors import SYSTEM
from checkpoint.dates import local_date
from checkpoint.services.allocation import unallocated_alerts
from checkpoint.services.consent import consent_orphans_remove
from checkpoint.services.deadlines import deadline_watch
from checkpoint.services.digest import staff_digest
from checkpoint.services.retention import retention_review
from checkpoint.services.sweep import compliance_sweep

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def compliance_sweep_task() -> dict | None:
    """Daily compliance sweep over every running contract."""
    run = compliance_sweep(by=SYSTEM, now=timezone.now())
    return {"run": run.pk, "findings": run.findings} if run else None


@shared_task(acks_late=True)
def deadline_watch_task() -> dict | None:
    """Escalating prosecution-deadline alerts (hourly; each threshold alerts once)."""
    run = deadline_watch(by=SYSTEM, now=timezone.now())
    return {"run": run.pk, "findings": run.findings} if run else None


@shared_task(acks_late=True)
def staff_digest_task() -> dict | None:
    """Morning digest email to each navigator (once per day)."""
    run = staff_digest(by=SYSTEM, now=timezone.now())
    return {"run": run.pk, "findings": run.findings} if run else None


@shared_task(acks_late=True)
def retention_review_task() -> int:
    """List closed cases past their retention period for an administrator, and delete consent
    scan files left with no document by a rolled-back upload (daily)."""
    now = timezone.now()
    consent_orphans_remove(by=SYSTEM, now=now)
    return retention_review(by=SYSTEM, today=local_date(now), now=now)


@shared_task(acks_late=True)
def unallocated_watch_task() -> int:
    """Alert supervisors to cases still unallocated UNALLOCATED_ALERT_HOURS after acceptance
    (hourly; each case once)."""
    return unallocated_alerts(by=SYSTEM, now=timezone.now())
