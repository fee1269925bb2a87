"""The CaseFactory writes the rows the services would leave, so that a test reading a case
built by it reads what production would show.

Each trait is checked against the same case built through the services (tests/factories.py's
``open_case`` ... ``active_case``): the same number of new rows in every table, and the same
values in each row but its ids, timestamps, generated references and names, and the form
version (``IGNORED``). History tables are compared by which of them were written: the services
save some rows twice on the way (one history row each time), the factory once.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import ForeignKey, Model, OneToOneField

from checkpoint.models import Case, CaseState
from tests import factories

BUILT_THROUGH_THE_SERVICES = {
    None: lambda **people: factories.open_case(dm=people["dm"], team=people["team"]),
    "eligible": lambda **people: factories.eligible_case(dm=people["dm"], team=people["team"]),
    "accepted": factories.accepted_case,
    "active": factories.active_case,
}
# Bookkeeping that differs by design: ids, when the row was written, and the form version
# (each service call bumps it; a case written once has the first one).
IGNORED = {"id", "created_at", "updated_at", "lock_version", "reference", "custody_reference"}


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def _new_rows(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {table: after[table] - before[table] for table in after if after[table] != before[table]}


def _values(row: Model) -> dict:
    """The row's columns, with a reference to another new row (the person, the offence
    type...) as what it points at rather than its id."""
    values = {}
    for field in row._meta.concrete_fields:
        if field.name in IGNORED:
            continue
        if isinstance(field, ForeignKey | OneToOneField):
            target = getattr(row, field.name)
            values[field.name] = None if target is None else _identity(target)
        else:
            values[field.name] = getattr(row, field.attname)
    return values


def _identity(target: Model) -> object:
    """What a reference points at: a user, team or reference row by id (the same in both
    builds); a row the build wrote by its model alone (its values are compared where it is
    listed)."""
    if target._meta.model_name in {"user", "team", "offencetype", "pathway", "schemeversion"}:
        return (target._meta.label, target.pk)
    return target._meta.label


def _shape(case: Case) -> dict:
    """Every row the case has, by relation, as values."""
    case = Case.objects.get(pk=case.pk)
    contract = getattr(case, "contract", None)
    shape = {
        "case": _values(case),
        "person": _values(case.person),
        "arrest": _values(case.arrest),
        "offences": [_values(o) for o in case.arrest.offences.all()],
        "assessments": [_values(a) for a in case.assessments.all()],
        "rules": [
            _values(r)
            for a in case.assessments.all()
            for r in a.rules.order_by("position")  # type: ignore[attr-defined]
        ],
        "transitions": [_values(t) for t in case.transitions.all()],
        "allocations": [_values(a) for a in case.allocations.all()],
        "contract": None if contract is None else _values(contract),
    }
    if contract is not None:
        for name in ("offending_condition", "victim_condition", "community_condition"):
            shape[name] = _values(getattr(contract, name))
        shape["referrals"] = [_values(r) for r in contract.referrals.all()]
        shape["providers"] = [
            (
                r.provider.name.startswith("Service "),
                sorted(r.provider.pathways.values_list("code")),
            )
            for r in contract.referrals.all()
        ]
    person = shape["person"]
    for name in ("given_name", "family_name", "search_name"):
        person.pop(name, None)  # generated names differ
    return shape


@pytest.mark.parametrize("trait", BUILT_THROUGH_THE_SERVICES)
def test_each_trait_leaves_the_rows_the_services_leave(trait, dm, team, navigator):
    before = _row_counts()
    through_services = BUILT_THROUGH_THE_SERVICES[trait](dm=dm, team=team, navigator=navigator)
    between = _row_counts()
    written = factories.CaseFactory(
        opened_by=dm,
        team=team,
        navigator=navigator if trait in {"accepted", "active"} else None,
        **({trait: True} if trait else {}),
    )
    after = _row_counts()

    by_services, by_factory = _new_rows(before, between), _new_rows(between, after)
    history = {table for table in {*by_services, *by_factory} if "historical" in table}
    assert {t: n for t, n in by_factory.items() if t not in history} == {
        t: n for t, n in by_services.items() if t not in history
    }
    assert {t for t in by_factory if t in history} == {t for t in by_services if t in history}
    assert _shape(written) == _shape(through_services)
    assert written.state == (trait or CaseState.ASSESSMENT)


def test_a_trait_for_a_case_that_fails_a_rule_is_refused(dm, team):
    with pytest.raises(ValueError, match="fails a rule"):
        # An offence the scheme excludes cannot make an eligible case.
        factories.CaseFactory(opened_by=dm, team=team, eligible=True, offence_code="ROBBERY")


def test_a_state_no_trait_reaches_is_refused(dm, team):
    with pytest.raises(ValueError, match="No trait reaches 'breach_review'"):
        factories.CaseFactory(opened_by=dm, team=team, state=CaseState.BREACH_REVIEW)
    assert not Case.objects.exists()
