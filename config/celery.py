"""The Celery app, configured from Django settings (``CELERY_*``).

Production: Redis broker, one ``celery worker`` and exactly one ``celery beat``. Embedded
default: kombu's filesystem transport and ``celery worker -B --pool=solo`` (see README).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("checkpoint")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
