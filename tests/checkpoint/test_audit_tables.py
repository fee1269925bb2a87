"""Audit tables cannot be edited by the application's own connection (issue 7 point 3).

On PostgreSQL, migration 0010 installs triggers that reject UPDATE, DELETE and TRUNCATE on
the access log, the case transitions and every change-history table, unless the transaction
has set ``checkpoint.audit_override`` (only the retention service does, with SET LOCAL).
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from checkpoint.models import AccessLog, CaseTransition, Person
from checkpoint.models.history import history_tables
from checkpoint.services import consultation_record
from tests import factories

pytestmark = pytest.mark.postgres

REFUSED = "(audit rows are append-only)"


@pytest.fixture
def case(dm, team, navigator, now):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    consultation_record(by=navigator, case=case, page="navigators:case", path="/cases/x/")
    return case


def _sql(statement: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _refused(statement: str, params=None) -> str:
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        # The test's own inserts leave deferred foreign-key checks pending, and PostgreSQL
        # refuses TRUNCATE while any are: run them now so that the trigger is what answers.
        _sql("SET CONSTRAINTS ALL IMMEDIATE")
        _sql(statement, params)
    return str(raised.value)


def _audit_tables() -> list[str]:
    return [
        "checkpoint_accesslog",
        "checkpoint_casetransition",
        "checkpoint_disclosurelog",
        "checkpoint_refusallog",
        "checkpoint_refusalalert",
        *history_tables(),
    ]


def test_every_audit_table_has_the_triggers(db):
    rows = _trigger_names()
    for table in _audit_tables():
        assert f"{table}_append_only" in rows, table
        assert f"{table}_no_truncate" in rows, table


def _trigger_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return {name for (name,) in cursor.fetchall()}


def test_access_log_rows_cannot_be_updated_or_deleted_through_the_orm(case):
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        AccessLog.objects.filter(case=case).update(page="edited")
    assert "audit table checkpoint_accesslog: UPDATE is not allowed" in str(raised.value)
    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        AccessLog.objects.filter(case=case)._raw_delete(AccessLog.objects.db)
    assert "DELETE is not allowed" in str(raised.value)
    assert AccessLog.objects.filter(case=case, page="navigators:case").count() == 1


def test_transitions_and_history_reject_update_delete_and_truncate(case):
    assert REFUSED in _refused(
        "UPDATE checkpoint_casetransition SET reason = 'x' WHERE case_id = %s", [case.pk]
    )
    assert REFUSED in _refused("DELETE FROM checkpoint_historicalcase WHERE id = %s", [case.pk])
    assert REFUSED in _refused(
        "UPDATE checkpoint_historicalperson SET family_name = 'X' WHERE id = %s",
        [case.person_id],
    )
    message = _refused("TRUNCATE checkpoint_historicalperson")
    assert "TRUNCATE is not allowed" in message
    assert CaseTransition.objects.filter(case=case).count() == 4
    assert Person.history.filter(id=case.person_id, family_name="X").count() == 0


# serialized_rollback, as every transactional test here: the flush would wipe reference data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_retention_override_allows_edits_only_inside_its_transaction(case):
    with transaction.atomic():
        _sql("SET LOCAL checkpoint.audit_override = 'retention'")
        changed = _sql(
            "UPDATE checkpoint_historicalperson SET family_name = 'Erased' WHERE id = %s",
            [case.person_id],
        )
        # TRUNCATE stays refused even for retention.
        assert "TRUNCATE is not allowed" in _refused("TRUNCATE checkpoint_accesslog")
    assert changed >= 1
    # The setting ended with its transaction (this test is transactional: no outer one).
    assert REFUSED in _refused(
        "UPDATE checkpoint_historicalperson SET family_name = 'Again' WHERE id = %s",
        [case.person_id],
    )


def test_an_unknown_override_value_does_not_open_the_tables(case):
    with transaction.atomic():
        _sql("SET LOCAL checkpoint.audit_override = 'please'")
        assert REFUSED in _refused("DELETE FROM checkpoint_accesslog")
