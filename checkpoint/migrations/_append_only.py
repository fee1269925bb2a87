"""SQL for the append-only audit tables, shared by the migrations that protect a table.

Not a migration (the loader skips modules starting with "_"). Frozen like a migration: later
changes go in a new function, never an edit of this one.

On PostgreSQL a row trigger rejects UPDATE and DELETE, and a statement trigger rejects
TRUNCATE, on each audit table, unless the transaction (or session) has set
``checkpoint.audit_override``:

- ``retention``: UPDATE and DELETE allowed (the retention service sets it with SET LOCAL, for
  its own transaction only, and writes its own audit row). TRUNCATE stays refused.
- ``maintenance``: everything allowed, for throwaway databases only (the test suite's flush
  between transactional tests, the benchmarks' resets).

This is a control against accidental or casual edits by the application. The application's
role can still set the override (or drop the trigger if it owns the table); separation of
duties in production uses a separate database role (README, "Audit tables").
"""

from __future__ import annotations

FUNCTION = """
CREATE OR REPLACE FUNCTION checkpoint_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    override text := coalesce(current_setting('checkpoint.audit_override', true), '');
BEGIN
    IF override = 'maintenance' OR (override = 'retention' AND TG_OP <> 'TRUNCATE') THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit table %: % is not allowed (audit rows are append-only)',
        TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'Only the retention service may erase audit data.';
END
$$;
"""
DROP_FUNCTION = "DROP FUNCTION IF EXISTS checkpoint_audit_append_only();"


def protect(table: str) -> str:
    return f"""
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION checkpoint_audit_append_only();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION checkpoint_audit_append_only();
"""


def unprotect(table: str) -> str:
    return f"""
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
"""


def on_postgresql(sql_of):
    """A RunPython function that runs ``sql_of()`` only on PostgreSQL (SQLite has no such
    triggers; there the models' save/delete guards are the only control)."""

    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql_of(), params=None)  # the SQL has literal % signs

    return run
