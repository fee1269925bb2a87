"""The daily compliance sweep over every running contract, set-based.

Cases are walked in batches by primary key; each batch costs a handful of statements whatever
its size: one INSERT ... SELECT per kind of finding (the database finds and records them in one
go), one read and one bulk insert for hours behind the pro-rata schedule (a pure rule in
Python), and one compare-and-set update plus one bulk insert of history rows for contracts
whose end date has been reached.

Idempotence: every finding has a deterministic ``dedupe_key`` (unique in the database) and is
inserted with ON CONFLICT DO NOTHING, so running the sweep twice, or in two workers at once,
records each finding once. Moving a case to completion review is a compare-and-set on its
state under a row lock, so it happens once and writes one history row.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    CharField,
    DateField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate

from checkpoint import compliance_rules, dates
from checkpoint.actors import Actor
from checkpoint.models import (
    Appointment,
    Case,
    CaseState,
    CaseTransition,
    CommunityKind,
    ComplianceEvent,
    ComplianceKind,
    Contract,
    NewOffenceReport,
    SweepKind,
    SweepRun,
    VictimCondition,
)
from checkpoint.text import format_hours

from .runs import finish_run, start_run

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler, _AsSqlType

logger = logging.getLogger(__name__)

# The rows of an INSERT ... SELECT of findings (``EVENT_COLUMNS``), as a query.
Findings: TypeAlias = "QuerySet[Any, tuple[Any, ...]]"
# Contracts for the hours rule: case id, start, end, hours required, hours logged.
HoursRows: TypeAlias = "QuerySet[Contract, tuple[int, date | None, date | None, int | None, Any]]"

SWEPT_STATES = (CaseState.ACTIVE, CaseState.BREACH_REVIEW)


class DaysBetween(Func):
    """Whole days from ``earlier`` to ``later`` (two dates), on PostgreSQL and SQLite."""

    output_field = IntegerField()
    arity = 2

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> _AsSqlType:
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> _AsSqlType:
        return self.as_sql(
            compiler,
            connection,
            arg_joiner=") - julianday(",
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
        )


def compliance_sweep(*, by: Actor, now: datetime, batch_size: int | None = None) -> SweepRun | None:
    """Run the sweep for ``now``'s date (``by``: the scheduled work, ``SYSTEM``). Returns the
    run, or None if one is already running."""
    today = dates.local_date(now)
    run = start_run(SweepKind.COMPLIANCE, for_date=today, by=by)
    if run is None:
        return None
    stats: Counter[str] = Counter()
    try:
        for ids in _batches(batch_size or settings.SWEEP_BATCH_SIZE):
            with transaction.atomic():
                stats.update(_sweep_batch(ids, today=today, now=now))
            stats["examined"] += len(ids)
    except Exception as exc:
        finish_run(run, stats, failed=exc)
        raise
    return finish_run(run, stats)


def _batches(size: int) -> Iterator[list[int]]:
    """Ids of cases with a running contract, in pk order (keyset pagination)."""
    last = 0
    while True:
        ids = list(
            Case.objects.filter(state__in=SWEPT_STATES, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def _in_batch(ids: list[int], path: str = "case") -> dict[str, object]:
    """Filter to the batch's cases: an id range on the table's own case column, and the cases
    in that range still in a swept state as a semi-join.

    Each per-batch query must touch only the batch's rows. A join filtered on the case's
    *state* alone lets PostgreSQL scan the whole case table for every batch (the range on the
    child's ``case_id`` does not carry across the join), which makes the sweep grow with the
    square of the number of cases; the ``IN (SELECT ... WHERE id BETWEEN ...)`` form is an
    index range scan on both sides.
    """
    first, last = ids[0], ids[-1]
    batch = Case.objects.filter(pk__range=(first, last), state__in=SWEPT_STATES)
    return {f"{path}_id__gte": first, f"{path}_id__lte": last, f"{path}__in": batch}


def _sweep_batch(ids: list[int], *, today: date, now: datetime) -> Counter[str]:
    findings = Counter(
        missed_appointment=_insert_events(_missed_outcomes(ids, now), now=now),
        restorative_overdue=_insert_events(_restorative_overdue(ids, today), now=now),
        new_offence=_insert_events(_new_offences(ids), now=now),
        hours_behind=_record_hours_behind(ids, today=today, now=now),
    )
    moved = _end_date_reached(ids, today=today, now=now)
    return Counter(findings=sum(findings.values()), moved_to_completion_review=moved) + Counter(
        {f"findings_{kind}": n for kind, n in findings.items()}
    )


# Columns of an INSERT ... SELECT of findings; each finder returns its rows in this order.
EVENT_COLUMNS = ("case_id", "kind", "occurred_on", "detail", "dedupe_key")
# And what every new finding starts with: raised now, open, not resolved.
NEW_EVENT = ("raised_at", "resolution", "status", "resolved_how")


def _insert_events(select: Findings, *, now: datetime) -> int:
    """Record the selected findings in one INSERT ... SELECT ... ON CONFLICT DO NOTHING.

    Race guarded against: the same finding recorded twice (a rerun, two workers). The unique
    ``dedupe_key`` makes the database skip it; the row count is what this run added.
    """
    sql, params = select.query.sql_with_params()
    table = ComplianceEvent._meta.db_table
    # Table and column names are our own constants; every value is a query parameter.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(EVENT_COLUMNS)}, {', '.join(NEW_EVENT)}) "  # noqa: S608 # nosec B608
            f"SELECT q.*, %s, '', 'open', '' FROM ({sql}) q WHERE true "
            "ON CONFLICT (dedupe_key) DO NOTHING",
            (now, *params),  # in the order the placeholders appear
        )
        added: int = cursor.rowcount
        return added


def _finding(
    queryset: QuerySet[Any],
    *,
    case: str,
    kind: str,
    occurred_on: Combinable,
    detail: str,
    key: str,
    key_field: str,
) -> Findings:
    """Shape a queryset's rows as findings (EVENT_COLUMNS), keyed ``<key><key_field>``."""
    findings: Findings = (
        queryset.order_by()
        .annotate(
            f_case=F(case),
            f_kind=Value(kind),
            f_on=occurred_on,
            f_detail=Value(detail),
            f_key=Concat(Value(key), Cast(key_field, CharField())),
        )
        .values_list("f_case", "f_kind", "f_on", "f_detail", "f_key")
    )
    return findings


def _missed_outcomes(ids: list[int], now: datetime) -> Findings:
    cutoff = now - timedelta(hours=settings.SWEEP_OUTCOME_GRACE_HOURS)
    return _finding(
        Appointment.objects.filter(
            **_in_batch(ids), outcome="", cancelled_at__isnull=True, starts_at__lt=cutoff
        ),
        case="case_id",
        kind=ComplianceKind.MISSED_APPOINTMENT,
        occurred_on=TruncDate("starts_at", tzinfo=dates.LONDON),
        detail="No outcome recorded for the appointment",
        key="missed:appointment:",
        key_field="pk",
    )


def _restorative_overdue(ids: list[int], today: date) -> Findings:
    return _finding(
        VictimCondition.objects.filter(
            **_in_batch(ids, "contract__case"), outcome="pending", due_on__lt=today
        ).exclude(approach__in=VictimCondition.NOTHING_REQUIRED),
        case="contract__case_id",
        kind=ComplianceKind.RESTORATIVE_OVERDUE,
        occurred_on=F("due_on"),
        detail="Restorative outcome not recorded by its due date",
        key="restorative_overdue:case:",
        key_field="contract__case_id",
    )


def _new_offences(ids: list[int]) -> Findings:
    # The report service raises these at once; the sweep is the safety net (same key).
    return _finding(
        NewOffenceReport.objects.filter(**_in_batch(ids)),
        case="case_id",
        kind=ComplianceKind.NEW_OFFENCE,
        occurred_on=F("occurred_on"),
        detail="New offence reported",
        key="new_offence:",
        key_field="pk",
    )


def _record_hours_behind(ids: list[int], *, today: date, now: datetime) -> int:
    """The pro-rata rule is a pure function (checkpoint.compliance_rules), applied to the
    contracts whose logged hours leave room to be behind (filtered in the database)."""
    findings: list[tuple[Any, ...]] = []
    for case_id, starts_on, ends_on, required, logged in _hours_candidates(ids, today):
        if required is None or starts_on is None or ends_on is None:
            # Unreachable: the query compares all three, and a comparison with NULL is false.
            raise ValueError(f"Case {case_id}: an hours contract without its hours or dates")
        check = compliance_rules.hours_behind(
            required=required,
            logged=Decimal(logged),
            starts_on=starts_on,
            ends_on=ends_on,
            today=today,
        )
        if check.behind:
            findings.append(
                (
                    case_id,
                    ComplianceKind.HOURS_BEHIND,
                    today,
                    f"{format_hours(check.logged)} hours logged; "
                    f"{format_hours(check.expected)} expected by now",
                    f"hours_behind:case:{case_id}:month:{check.period}",
                    now,
                    "",
                    "open",
                    "",
                )
            )
    return _insert_rows(findings)


def _hours_candidates(ids: list[int], today: date) -> HoursRows:
    """The batch's hours contracts that may be behind: case id, start, end, hours required and
    hours logged."""
    rows: HoursRows = (
        Contract.objects.filter(
            **_in_batch(ids),
            community_condition__kind=CommunityKind.HOURS,
            starts_on__isnull=False,
        )
        .order_by()
        .annotate(
            logged=Coalesce(
                # Hours withdrawn (recorded in error, or replaced by a correction) do not count.
                Sum(
                    "community_condition__hours_log__hours",
                    filter=Q(community_condition__hours_log__withdrawn_at__isnull=True),
                ),
                Value(Decimal(0)),
            ),
            elapsed=DaysBetween(Value(today, output_field=DateField()), F("starts_on")),
            total=DaysBetween(F("ends_on"), F("starts_on")),
        )
        # The pro-rata rule's arithmetic, in the database, so that only contracts that are
        # behind come back; the pure rule still makes the decision (and the key).
        .filter(
            elapsed__gte=compliance_rules.GRACE_DAYS,
            logged__lt=F("community_condition__hours_required") - compliance_rules.HOURS_SLACK,
        )
        .alias(
            have=(F("logged") + compliance_rules.HOURS_SLACK) * F("total"),
            need=F("community_condition__hours_required") * F("elapsed"),
        )
        .filter(have__lt=F("need"))
        .values_list(
            "case_id", "starts_on", "ends_on", "community_condition__hours_required", "logged"
        )
    )
    return rows


def _insert_rows(rows: list[tuple[Any, ...]], chunk: int = 1000) -> int:
    """Insert findings computed in Python, skipping known ones (same race guard as above):
    one multi-row INSERT per thousand findings."""
    table = ComplianceEvent._meta.db_table
    columns = ", ".join((*EVENT_COLUMNS, *NEW_EVENT))
    inserted = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(part))
            cursor.execute(
                # Our own table and column names; every value is a placeholder.
                f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608 # nosec B608
                "ON CONFLICT (dedupe_key) DO NOTHING",
                [value for row in part for value in row],
            )
            inserted += cursor.rowcount
    return inserted


def _end_date_reached(ids: list[int], *, today: date, now: datetime) -> int:
    """Active contracts whose end date has been reached move to completion review.

    Race guarded against: a navigator or supervisor changing the same case meanwhile. Rows are
    locked (others skipped until the next run) and the update repeats ``state='active'``, so
    only cases still active move, each exactly once, with one history row each.
    """
    due = list(
        Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            pk__range=(ids[0], ids[-1]),
            state=CaseState.ACTIVE,
            # The same range on the contract side, so that only the batch's contracts are read.
            contract__case_id__gte=ids[0],
            contract__case_id__lte=ids[-1],
            contract__ends_on__lte=today,
        )
        .order_by()
        .values_list("pk", flat=True)
    )
    if not due:
        return 0
    Case.objects.filter(pk__in=due, state=CaseState.ACTIVE).update(
        state=CaseState.COMPLETION_REVIEW, lock_version=F("lock_version") + 1, updated_at=now
    )
    CaseTransition.objects.bulk_create(
        CaseTransition(
            case_id=pk,
            transition="begin_completion_review",
            from_state=CaseState.ACTIVE,
            to_state=CaseState.COMPLETION_REVIEW,
            by=None,
            at=now,
            reason="Contract end date reached",
        )
        for pk in due
    )
    return len(due)
