"""Scheduled housekeeping of the web shell."""

from __future__ import annotations

from celery import shared_task

from . import submissions


@shared_task
def purge_form_tokens_task() -> int:
    """Forget form submissions older than ``FORM_TOKEN_DAYS`` (``web.submissions``)."""
    return submissions.purge_old()
