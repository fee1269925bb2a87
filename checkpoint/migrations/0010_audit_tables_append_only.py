"""Audit tables reject UPDATE, DELETE and TRUNCATE on PostgreSQL (issue 7 point 3).

Reversible; does nothing on SQLite. See ``_append_only`` for the override used by retention.
"""

from django.db import migrations

from checkpoint.migrations._append_only import (
    DROP_FUNCTION,
    FUNCTION,
    on_postgresql,
    protect,
    unprotect,
)

TABLES = [
    "checkpoint_accesslog",
    "checkpoint_casetransition",
    "checkpoint_historicalappointment",
    "checkpoint_historicalarrest",
    "checkpoint_historicalassessmentrule",
    "checkpoint_historicalbreachreview",
    "checkpoint_historicalcase",
    "checkpoint_historicalcasenote",
    "checkpoint_historicalcaseshare",
    "checkpoint_historicalcommunitycondition",
    "checkpoint_historicalcomplianceevent",
    "checkpoint_historicalcompliancewarning",
    "checkpoint_historicalcontract",
    "checkpoint_historicaleligibilityassessment",
    "checkpoint_historicalhourslogentry",
    "checkpoint_historicalneeditem",
    "checkpoint_historicalneedsassessment",
    "checkpoint_historicalnewoffencereport",
    "checkpoint_historicaloffence",
    "checkpoint_historicaloffendingcondition",
    "checkpoint_historicaloutcome",
    "checkpoint_historicalpathwayreferral",
    "checkpoint_historicalperson",
    "checkpoint_historicalvictimcondition",
    "checkpoint_historicalvictimwishes",
]


def _install() -> str:
    return FUNCTION + "".join(protect(t) for t in TABLES)


def _remove() -> str:
    return "".join(unprotect(t) for t in TABLES) + DROP_FUNCTION


class Migration(migrations.Migration):
    dependencies = [("checkpoint", "0009_add_change_history")]

    operations = [
        migrations.RunPython(on_postgresql(_install), on_postgresql(_remove), elidable=False),
    ]
