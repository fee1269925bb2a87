"""GET /healthz: database and broker status, 200 when healthy, 503 otherwise, never slow."""

from __future__ import annotations

import os
import socket
import threading
import time

import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    expected = os.environ.get("CELERY_BROKER_URL", "filesystem://").split("://")[0]
    assert body["broker"]["transport"] == expected


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_talks_to_real_redis(client, settings):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert client.get("/healthz").json()["broker"]["transport"] == "redis"


@pytest.mark.django_db
def test_unreachable_broker_gives_503_quickly(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "max_retries": 0}
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert response.json()["status"] == "unhealthy"
    assert time.monotonic() - started < 5


@pytest.fixture
def hung_server():
    """A TCP server that accepts connections and never answers (a hung Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    accepted = []
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


@pytest.mark.django_db
def test_hung_broker_gives_503_within_timeouts(client, settings, hung_server):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{hung_server}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": 1,
        "socket_connect_timeout": 1,
        "max_retries": 0,
    }
    started = time.monotonic()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert time.monotonic() - started < 8


def test_healthz_is_get_only(client, db):
    # A POST with no body, as a probe sends it (a multipart body while signed out would be
    # refused unread first: 415, web.request_limits).
    assert client.generic("POST", "/healthz").status_code == 405
