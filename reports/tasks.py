"""Scheduled work for the reports: the nightly rebuild of the summary tables, and a first
build when a worker starts on a database that has none (so a fresh start does not show empty
reports until 06:15)."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.utils import timezone

from reports.services import report_facts_refresh, report_facts_refresh_if_empty

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def refresh_report_facts_task(if_empty: bool = False) -> dict | None:
    """Rebuild the reports' summary tables (idempotent: a rebuild replaces every row). With
    ``if_empty``, only when they were never built."""
    if if_empty:
        refresh = report_facts_refresh_if_empty(now=timezone.now())
        if refresh is None:
            return None
    else:
        refresh = report_facts_refresh(now=timezone.now())
    return {"refresh": refresh.pk, "cases": refresh.cases, "seconds": refresh.seconds}


@worker_ready.connect
def build_reports_if_empty(**kwargs) -> None:
    """On worker start, queue a first build if there is none (idempotent: two workers starting
    at once rebuild twice, each replacing every row)."""
    refresh_report_facts_task.delay(if_empty=True)
