"""Scheduled work for the reports: the nightly rebuild of the summary tables."""

from __future__ import annotations

import logging

from celery import shared_task
from django.utils import timezone

from reports.services import report_facts_refresh

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def refresh_report_facts_task() -> dict:
    """Rebuild the reports' summary tables (idempotent: a rebuild replaces every row)."""
    refresh = report_facts_refresh(now=timezone.now())
    return {"refresh": refresh.pk, "cases": refresh.cases, "seconds": refresh.seconds}
