"""The database roles (issue 17 point 9, README "Audit tables"): ``manage.py
setup_database_roles`` makes an owner, an app and a retention role; connected as the app role,
the audit tables take SELECT and INSERT only, and their triggers cannot be switched off or
dropped (a superuser could: that is why the application must not connect as one)."""

from __future__ import annotations

import os
import re

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from checkpoint.services import consultation_record
from tests import factories

# Transactional: the roles connect separately and must see the committed roles and data.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Names of this test's own roles, dropped afterwards. Roles belong to the whole cluster, not to
# one database: each xdist worker has its own, or two workers would drop each other's.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
OWNER, APP, RETENTION = (f"cp_test_{_WORKER}_{kind}" for kind in ("owner", "app", "retention"))
PASSWORD = "a-test-password"
AUDIT = "checkpoint_accesslog"


def _drop_roles() -> None:
    with connection.cursor() as cursor:
        for role in (OWNER, APP, RETENTION):
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone():
                cursor.execute(f"REASSIGN OWNED BY {role} TO CURRENT_USER")
                cursor.execute(f"DROP OWNED BY {role}")
        for role in (APP, RETENTION, OWNER):
            cursor.execute(f"DROP ROLE IF EXISTS {role}")


@pytest.fixture
def roles_set_up(dm, team, navigator, now):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    consultation_record(by=navigator, case=case, page="navigators:case", path="/cases/x/")
    _drop_roles()
    options = {
        "owner": OWNER,
        "app": APP,
        "retention": RETENTION,
        "owner_password": PASSWORD,
        "app_password": PASSWORD,
        "retention_password": PASSWORD,
    }
    call_command("setup_database_roles", **options)
    call_command("setup_database_roles", **options)  # idempotent: a second run changes nothing
    yield case
    _drop_roles()


def _connect(role: str) -> psycopg.Connection:
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        password=PASSWORD,
        autocommit=True,
    )


def _refused(conn: psycopg.Connection, statement: str) -> str:
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as raised:
        conn.execute(statement)
    return str(raised.value)


def test_the_app_role_cannot_change_an_audit_table_or_its_triggers(roles_set_up):
    with _connect(APP) as app:
        assert app.execute("SELECT count(*) FROM checkpoint_accesslog").fetchone()[0] == 1
        # It may add a row (the consultation log is written by every case page).
        user_id, person_id = app.execute(
            "SELECT user_id, person_id FROM checkpoint_accesslog"
        ).fetchone()
        app.execute(
            "INSERT INTO checkpoint_accesslog (user_id, person_id, page, path, at) "
            "VALUES (%s, %s, 'navigators:case', '/', now())",
            [user_id, person_id],
        )
        # Even with the override the triggers honour, the privileges refuse it first.
        app.execute("SET checkpoint.audit_override = 'maintenance'")
        for statement in (
            "UPDATE checkpoint_accesslog SET path = '/changed/'",
            "DELETE FROM checkpoint_accesslog",
            "TRUNCATE checkpoint_accesslog",
            "DELETE FROM checkpoint_casetransition",
            "UPDATE checkpoint_historicalcase SET reference = 'X'",
            "TRUNCATE checkpoint_refusallog",
        ):
            assert "permission denied" in _refused(app, statement), statement
        for statement in (
            "ALTER TABLE checkpoint_accesslog DISABLE TRIGGER checkpoint_accesslog_append_only",
            "ALTER TABLE checkpoint_accesslog DISABLE TRIGGER ALL",
            "DROP TRIGGER checkpoint_accesslog_append_only ON checkpoint_accesslog",
            "DROP TRIGGER checkpoint_accesslog_no_truncate ON checkpoint_accesslog",
            "CREATE OR REPLACE FUNCTION checkpoint_audit_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "DROP FUNCTION checkpoint_audit_append_only() CASCADE",
        ):
            assert re.search("must be owner|permission denied for schema", _refused(app, statement))
        _refused(app, "SET session_replication_role = replica")  # would skip every trigger
        _refused(app, f"SET ROLE {OWNER}")  # not a member of the owner
        assert app.execute("SELECT count(*) FROM checkpoint_accesslog").fetchone()[0] == 2

        # Ordinary tables: the application's full use.
        app.execute("UPDATE checkpoint_team SET name = name")
        app.execute("DELETE FROM checkpoint_casenote WHERE false")
        assert not app.execute(
            "SELECT rolinherit FROM pg_roles WHERE rolname = %s", [APP]
        ).fetchone()[0]


def test_the_retention_role_updates_with_the_override_and_never_deletes(roles_set_up):
    with _connect(APP) as app, app.transaction():
        app.execute(f"SET LOCAL ROLE {RETENTION}")  # as the retention service does
        app.execute("SET LOCAL checkpoint.audit_override = 'retention'")
        app.execute("UPDATE checkpoint_accesslog SET path = '/cases/[erased]/'")
        assert "permission denied" in _refused(app, "DELETE FROM checkpoint_accesslog")
    with _connect(RETENTION) as retention:
        # Without the override the trigger still refuses (the retention role is no superuser).
        assert "append-only" in _refused(retention, "UPDATE checkpoint_accesslog SET path = '/'")
        assert "permission denied" in _refused(retention, "TRUNCATE checkpoint_accesslog")
        assert "must be owner" in _refused(
            retention, "ALTER TABLE checkpoint_accesslog DISABLE TRIGGER ALL"
        )


def test_the_owner_owns_the_tables_and_the_trigger_function(roles_set_up):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> %s",
            [OWNER],
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT pg_get_userbyid(proowner) FROM pg_proc "
            "WHERE proname = 'checkpoint_audit_append_only'"
        )
        assert cursor.fetchone()[0] == OWNER


def test_erasure_runs_when_the_application_connects_as_the_app_role(roles_set_up, dm, team, now):
    """The retention service switches to the retention role for its transaction: without the
    switch the app role cannot erase (the audit rows are not its to change)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import DatabaseError
    from django.test import override_settings

    from checkpoint import services
    from checkpoint.actors import SYSTEM
    from checkpoint.models import AccessLog, CaseState, ErasureRecord
    from checkpoint.services.retention import retention_erase, retention_review

    case = factories.open_case(dm=dm, team=team, now=now)
    facts = {**factories.GOOD_FACTS, "evidential_test_met": False}
    services.assessment_record(case_id=case.pk, by=dm, now=now, **facts)
    case = services.assessment_decide(case_id=case.pk, by=dm, eligible=False, now=now, reason="No")
    assert case.state == CaseState.INELIGIBLE
    consultation_record(by=dm, case=case, page="navigators:case", path=f"/cases/{case.reference}/")
    later = (now + timedelta(days=365 * 10)).date()
    assert retention_review(by=SYSTEM, today=later) >= 1
    admin = get_user_model().objects.create_superuser("root", "root@example.org", None)

    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(USER=APP, PASSWORD=PASSWORD)
    try:
        with pytest.raises(DatabaseError, match="permission denied"):
            retention_erase(case_ids=[case.pk], by=admin)
        with override_settings(DATABASE_RETENTION_ROLE=RETENTION):
            [record] = retention_erase(case_ids=[case.pk], by=admin)
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == APP  # back to the app role after the erasure
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert ErasureRecord.objects.filter(pk=record.pk).exists()
    assert AccessLog.objects.get(case=case).path == "/cases/[erased]/"
