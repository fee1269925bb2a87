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
    pytest.mark.slow(32),
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


def _schema() -> list[tuple]:
    """Each column, constraint and index of the public schema, by name (not by position: a
    column added by a later migration comes last in its table, one made with the table in its
    place), and each trigger."""
    queries = [
        "SELECT table_name, column_name, data_type, character_maximum_length, is_nullable,"
        " column_default FROM information_schema.columns WHERE table_schema = 'public'",
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE connamespace = 'public'::regnamespace",
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
        "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger"
        " WHERE NOT tgisinternal",
    ]
    rows: list[tuple] = []
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(query)
            rows += sorted(tuple(map(str, row)) for row in cursor.fetchall())
    return rows


def _applied() -> set[tuple[str, str]]:
    return set(MigrationExecutor(connection).loader.applied_migrations)


def test_checkpoint_migrates_back_to_0009_and_forward_again():
    executor = MigrationExecutor(connection)
    [latest] = executor.loader.graph.leaf_nodes("checkpoint")
    assert _tables() >= ADDED_AFTER_0009
    triggers = _append_only_triggers()
    # The test database was made by the squashed migration (0001_squashed_0024); going back
    # to 0009 and forward again runs the original 0010-0024, which must make the same schema.
    schema = _schema()
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
        after = _schema()
        assert after == schema, [
            *(f"only before: {row}" for row in schema if row not in after),
            *(f"only after: {row}" for row in after if row not in schema),
        ]
