"""PostgreSQL restarted while a request is half-way through its transaction.

Runs against a private, throwaway cluster (initdb into a temporary folder, its own free port),
never the shared server, with the app as its own production-like process (gunicorn, DEBUG
off, ``CONN_MAX_AGE`` and ``CONN_HEALTH_CHECKS`` from config/settings.py). So it needs no
test database and runs in both CI phases; it is skipped where initdb, pg_ctl or runuser are
missing or when not root. About 15 s: the tables are created from the models (running the
migrations would add 40 s on a loaded machine) and the reference data loaded by the set-up.

The request is paused mid-transaction without any hook in production code: the test holds an
EXCLUSIVE lock on the outbox table from its own connection, so a booking request locks the
case (bumping its version), inserts the appointment, and then waits to write the reminders.
While it waits, the server is restarted (``pg_ctl restart -m fast`` ends every session).
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import psycopg
import requests

from .processes import app_environment, gunicorn, private_postgres, run_python
from .web import fields

SETUP = """
import json
from datetime import timedelta

import django

django.setup()
from django.core.management import call_command

call_command("migrate", run_syncdb=True, verbosity=0)
import importlib

from django.apps import apps
from django.utils import timezone

importlib.import_module("checkpoint.migrations.0002_reference_data").load(apps, None)

from checkpoint import dates, roles
from checkpoint.services.reminders import reminders_set
from tests import factories
from tests.conftest import StaffClient

team = factories.TeamFactory(name="Faults")
dm = factories.make_user(roles.DECISION_MAKER, username="dm")
navigator = factories.make_user(roles.NAVIGATOR, team=team, username="nav")
start = timezone.now() - timedelta(days=3)
case = factories.active_case(
    dm=dm,
    team=team,
    navigator=navigator,
    now=start,
    person=factories.PersonFactory(mobile="07700 900982"),
    offences=[factories.offence(committed_on=dates.local_date(start) - timedelta(days=10))],
)
reminders_set(case_id=case.pk, by=navigator, sms=True, email=False, now=start)
client = StaffClient()
client.force_login(navigator)
print(json.dumps({"session": client.cookies["sessionid"].value, "reference": case.reference,
                  "case_id": case.pk}))
"""

ERROR_PAGE = "Sorry, there is a problem with the service"


def booking(hidden: dict) -> dict:
    from datetime import date, timedelta

    day = date.today() + timedelta(days=3)  # noqa: DTZ011 - a date three days ahead is enough
    return {
        **hidden,
        "kind": "navigator",
        "date_day": day.day,
        "date_month": day.month,
        "date_year": day.year,
        "time": "14:30",
        "duration_minutes": "60",
        "location": "Aykley Heads",
    }


def form_tokens(session: requests.Session, url: str) -> dict:
    response = session.get(url, timeout=10)
    assert response.status_code == 200, response.text[:1000]
    return {k: v for k, v in fields(response.text).values.items() if k == "csrfmiddlewaretoken"}


def snapshot(conn, case_id: int) -> tuple:
    return conn.execute(
        "SELECT (SELECT lock_version FROM checkpoint_case WHERE id = %s),"
        " (SELECT count(*) FROM checkpoint_appointment WHERE case_id = %s),"
        " (SELECT count(*) FROM notifications_message)",
        (case_id, case_id),
    ).fetchone()


def wait_for_blocked_writer(conn, holder_pid: int, timeout: float = 15) -> int:
    """The pid of the request's session once it waits for our lock, having already written
    (it holds a transaction id, which PostgreSQL assigns at the first write)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = 'checkpoint' AND pid <> %s"
            " AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL"
            " AND query LIKE 'INSERT INTO \"notifications_message\"%%'",
            (holder_pid,),
        ).fetchone()
        if row:
            return row[0]
        time.sleep(0.05)
    raise AssertionError("the booking request never reached the outbox insert")


def test_database_restart_mid_request_gives_the_error_page_and_writes_nothing(tmp_path: Path):
    """Proves: when PostgreSQL restarts while a booking request is inside its transaction
    (case version bumped and appointment inserted, reminders not yet written), the user gets
    our 'Sorry, there is a problem with the service' page with a 500 status and no stack
    trace; none of the request's writes survive (case version, appointments and outbox as
    before); and the very next requests, on the same app process, succeed (the dead
    persistent connections are replaced), so booking again then works."""
    with private_postgres() as cluster:
        with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
            admin.execute("CREATE DATABASE checkpoint")
        env = app_environment(
            tmp_path, DATABASE_URL=cluster.url("checkpoint"), FAULT_TESTS_SYNCDB="1"
        )
        data = json.loads(run_python(SETUP, env).strip().splitlines()[-1])

        with gunicorn(env, tmp_path / "gunicorn.log") as base:
            session = requests.Session()
            session.cookies.set("sessionid", data["session"], domain="127.0.0.1")
            url = f"{base}/cases/{data['reference']}/appointments/new/"
            form = booking(form_tokens(session, url))

            holder = psycopg.connect(cluster.url("checkpoint"))
            monitor = psycopg.connect(cluster.url("checkpoint"), autocommit=True)
            before = snapshot(monitor, data["case_id"])
            holder.execute("LOCK TABLE notifications_message IN EXCLUSIVE MODE")
            outcome: dict = {}

            def book():
                started = time.monotonic()
                try:
                    outcome["response"] = session.post(
                        url, data=form, headers={"Referer": url}, allow_redirects=False, timeout=30
                    )
                finally:
                    outcome["elapsed"] = time.monotonic() - started

            thread = threading.Thread(target=book)
            thread.start()
            try:
                wait_for_blocked_writer(monitor, holder.info.backend_pid)
                cluster.pg_ctl("restart", "-m", "fast")
            finally:
                thread.join(40)
                for conn in (holder, monitor):
                    conn.close()
            assert not thread.is_alive()

            response = outcome["response"]
            assert response.status_code == 500
            assert ERROR_PAGE in response.text
            assert "Nothing was saved from the page you were on" in response.text
            assert "Traceback" not in response.text and "psycopg" not in response.text
            with psycopg.connect(cluster.url("checkpoint")) as check:
                assert snapshot(check, data["case_id"]) == before

            # The next requests, served by the same process, reconnect and succeed.
            page = session.get(f"{base}/cases/{data['reference']}/", timeout=10)
            assert page.status_code == 200, page.text[:1000]
            again = session.post(
                url,
                data=booking(form_tokens(session, url)),
                headers={"Referer": url},
                allow_redirects=False,
                timeout=10,
            )
            assert again.status_code == 302, again.text[:2000]
            with psycopg.connect(cluster.url("checkpoint")) as check:
                version, appointments, messages = snapshot(check, data["case_id"])
            assert (version, appointments, messages) == (before[0] + 1, 1, before[2] + 2)
