"""Fixtures for the scheduled-work tests: a clean fake Notify, hung and closed ports."""

from __future__ import annotations

import socket
import threading

import pytest

from notifications.gateway import FakeNotifyGateway


@pytest.fixture(autouse=True)
def fake_notify():
    """The fake gateway keeps its queued failures on the class: clear them around each test."""
    FakeNotifyGateway.reset()
    yield FakeNotifyGateway
    FakeNotifyGateway.reset()


@pytest.fixture
def hung_server():
    """A TCP server that accepts connections and never answers (a hung Redis or Notify)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
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


@pytest.fixture
def closed_port():
    """A local port with nothing listening (an unreachable broker)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port
