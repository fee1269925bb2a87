"""The audit and retention migrations (0010 onwards) can be rolled back and applied again: a
failed deployment is undone with ``migrate checkpoint 0009`` (STYLE.md, Migrations).

Run on PostgreSQL only: a deployment is rolled back on production's database, where the
triggers and functions these migrations add live; on SQLite (the embedded default, which a
newcomer migrates forward once) each step back rebuilds tables and took half a minute.

A transactional test (migrations cannot run inside the test's transaction); serialized
rollback loads the migrations' reference data again for the next one after its flush. It
always leaves the database at the latest migration, whatever fails, so the tests that run after
it in the same worker find the schema they expect.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADDED_AFTER_0009 = {"checkpoint_disclosurelog", "checkpoint_retentionreview"}


def _tables() -> set[str]:
    return set(connection.introspection.table_names())


def _append_only_triggers() -> int:
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE %s AND NOT tgisinternal",
            ["%_append_only"],
        )
        return cursor.fetchone()[0]


def _function_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_proc WHERE proname = %s", ["checkpoint_audit_append_only"]
        )
        return cursor.fetchone()[0] == 1


def _applied() -> set[tuple[str, str]]:
    return set(MigrationExecutor(connection).loader.applied_migrations)


def test_checkpoint_migrates_back_to_0009_and_forward_again():
    executor = MigrationExecutor(connection)
    [latest] = executor.loader.graph.leaf_nodes("checkpoint")
    assert _tables() >= ADDED_AFTER_0009
    triggers = _append_only_triggers()
    if connection.vendor == "postgresql":
        assert triggers >= 25  # 0010's tables, the disclosure log, the erasure records
    try:
        call_command("migrate", "checkpoint", "0009", verbosity=0)
        assert ("checkpoint", "0010_audit_tables_append_only") not in _applied()
        assert not ADDED_AFTER_0009 & _tables()
        if connection.vendor == "postgresql":
            assert _append_only_triggers() == 0
            assert not _function_exists()
    finally:
        call_command("migrate", verbosity=0)  # every app back to its latest migration
    assert latest in _applied()
    assert _tables() >= ADDED_AFTER_0009
    assert _append_only_triggers() == triggers
    if connection.vendor == "postgresql":
        assert _function_exists()
