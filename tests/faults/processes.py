"""Throwaway servers for the fault tests: a private PostgreSQL cluster, Redis, the app itself.

Each runs on a free port in a temporary directory and is stopped (and the directory removed)
when its context exits, whatever happened in between. Nothing here touches the shared
PostgreSQL or Redis.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN_DIRS = ("/usr/local/bin", "/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0, process=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on port {port} after {timeout} s")


def stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a process we started (by its own pid), escalating to SIGKILL."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


# --- PostgreSQL -------------------------------------------------------------------------------
def pg_tool(name: str) -> str | None:
    for folder in PG_BIN_DIRS:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    return shutil.which(name)


def require_pg_tools() -> dict[str, str]:
    tools = {name: pg_tool(name) for name in ("initdb", "pg_ctl")}
    tools["runuser"] = shutil.which("runuser")
    missing = [name for name, path in tools.items() if not path]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} to run a private PostgreSQL cluster")
    if os.geteuid() != 0:
        pytest.skip("needs root to run initdb as the postgres user (runuser)")
    return tools  # type: ignore[return-value]


class Cluster:
    """A private PostgreSQL cluster (trust auth, fsync off) owned by the postgres user."""

    def __init__(self, tools: dict[str, str], folder: Path) -> None:
        self.tools, self.folder = tools, folder
        self.data, self.log = folder / "data", folder / "postgres.log"
        self.port = free_port()

    def _as_postgres(self, *args: str, timeout: float = 60) -> None:
        subprocess.run(  # noqa: S603 - our own tools, fixed arguments
            [self.tools["runuser"], "-u", "postgres", "--", *args],
            check=True,
            capture_output=True,
            timeout=timeout,
        )

    def init(self) -> None:
        shutil.chown(self.folder, "postgres")
        self._as_postgres(
            self.tools["initdb"], "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"
        )

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            self.tools["pg_ctl"], action, "-D", str(self.data), "-l", str(self.log), "-w",
            "-t", "30", "-o", options, *extra,
        )  # fmt: skip

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


@contextlib.contextmanager
def private_postgres() -> Iterator[Cluster]:
    tools = require_pg_tools()
    folder = Path(tempfile.mkdtemp(prefix="flt-pg-"))
    cluster = Cluster(tools, folder)
    try:
        cluster.init()
        cluster.pg_ctl("start")
        yield cluster
    finally:
        with contextlib.suppress(Exception):
            cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(folder, ignore_errors=True)


# --- Redis ------------------------------------------------------------------------------------
class Redis:
    """A private redis-server that can be stopped and started again on the same port."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        server = shutil.which("redis-server")
        if not server:
            pytest.skip("needs redis-server to run a private Redis")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, process=self.process)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


@contextlib.contextmanager
def private_redis() -> Iterator[Redis]:
    folder = Path(tempfile.mkdtemp(prefix="flt-redis-"))
    redis = Redis(folder)
    try:
        redis.start()
        yield redis
    finally:
        redis.stop()
        shutil.rmtree(folder, ignore_errors=True)


# --- The app as its own process ---------------------------------------------------------------
SETTINGS = """\
import os

from config.settings import *  # noqa: F403

# Production settings (DEBUG off) without collectstatic: plain static storage, no manifest.
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if os.environ.get("FAULT_TESTS_SYNCDB"):
    # Tables straight from the models (as pytest --nomigrations): the 12 migrations take
    # 40 s on a loaded CI box; the reference data is loaded by the set-up script.
    class _NoMigrations(dict):
        def __contains__(self, item):
            return True

        def __getitem__(self, item):
            return None

    MIGRATION_MODULES = _NoMigrations()
"""


def app_environment(folder: Path, **extra: str) -> dict[str, str]:
    """The environment of a production-like app process (DEBUG off) in ``folder``."""
    (folder / "fault_settings.py").write_text(SETTINGS)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "CELERY_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="fault_settings",
        PYTHONPATH=os.pathsep.join([str(folder), str(ROOT)]),
        CHECKPOINT_VAR_DIR=str(folder / "var"),
        DEBUG="false",
        SECRET_KEY="fault-tests-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def run_python(code: str, env: dict[str, str], timeout: float = 120) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode:
        raise RuntimeError(f"setup failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
    return done.stdout


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path) -> Iterator[str]:
    """The app under gunicorn (one worker, a few threads); yields its base URL."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter
            [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--threads", "4", "--timeout", "60"],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for_port(port, timeout=30, process=process)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)
