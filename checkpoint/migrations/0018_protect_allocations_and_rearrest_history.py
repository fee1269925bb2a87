"""The allocation history and the re-arrest matches' change history are audit tables too:
append-only on PostgreSQL, like the case transitions (see _append_only)."""

from django.db import migrations

from checkpoint.migrations._append_only import on_postgresql, protect, unprotect

TABLES = ["checkpoint_caseallocation", "checkpoint_historicalrearrestmatch"]


class Migration(migrations.Migration):
    dependencies = [("checkpoint", "0017_backfill_lifecycle_search_allocations")]

    operations = [
        migrations.RunPython(
            on_postgresql(lambda: "".join(protect(t) for t in TABLES)),
            on_postgresql(lambda: "".join(unprotect(t) for t in TABLES)),
        )
    ]
