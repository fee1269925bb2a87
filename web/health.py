"""/healthz: the database and the broker, each checked within a bounded time, and the last
successful compliance sweep."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

logger = logging.getLogger(__name__)


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means unhealthy; the type is what we report
        logger.warning("healthz database check failed: %s", type(exc).__name__)
        return {"ok": False, "vendor": connection.vendor, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor, "ms": _ms(started)}


def check_broker(timeout: float = 1.0) -> dict:
    url = settings.CELERY_BROKER_URL
    transport = url.split("://", 1)[0]
    started = time.monotonic()
    try:
        with Connection(
            url,
            connect_timeout=timeout,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        ) as conn:
            conn.ensure_connection(max_retries=0, timeout=timeout)
            if transport == "filesystem":
                _check_folders()
    except Exception as exc:  # report, never raise: /healthz must answer
        logger.warning("healthz broker check failed: %s", type(exc).__name__)
        return {"ok": False, "transport": transport, "error": type(exc).__name__}
    return {"ok": True, "transport": transport, "ms": _ms(started)}


def _check_folders() -> None:
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    from pathlib import Path

    for key in ("data_folder_in", "control_folder"):
        folder = Path(str(options[key]))  # the folder options are strings (settings.py)
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".healthz"
        probe.write_text("ok")
        probe.unlink()


def last_sweep() -> dict:
    """When the compliance sweep last succeeded (None if never)."""
    from checkpoint.models import SweepKind, SweepRun, SweepStatus

    run = SweepRun.objects.filter(kind=SweepKind.COMPLIANCE, status=SweepStatus.SUCCEEDED).first()
    finished = run.finished_at if run else None  # a succeeded run has finished
    return {"last_success": finished.isoformat() if finished else None}


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON status of the database and the broker; 200 when both are healthy, else 503."""
    database = check_database()
    broker = check_broker()
    ok = database["ok"] and broker["ok"]
    body = {"status": "ok" if ok else "unhealthy", "database": database, "broker": broker}
    if database["ok"]:
        body["sweep"] = last_sweep()
    return JsonResponse(body, status=200 if ok else 503)
