"""Checkpoint: a case manager for police deferred-prosecution (diversion) schemes."""

from .celery import app as celery_app

__all__ = ["celery_app"]
