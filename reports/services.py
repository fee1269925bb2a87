"""Rebuilding the reports' summary tables (``reports.models``), set-based.

``report_facts_refresh`` replaces every summary row in one transaction with three
``INSERT ... SELECT`` statements: nothing is loaded into Python. The case facts' SELECT is
built with the ORM (so it runs on PostgreSQL and SQLite alike); the stays need a window
function over the history rows, written as SQL with one dialect-specific expression.

Readers keep seeing the previous figures until the new ones commit (PostgreSQL MVCC; SQLite's
WAL). Two rebuilds at once are serialised by a table lock on PostgreSQL (SQLite already runs
one writer at a time), so neither sees the other half-done and inserts a case twice.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import (
    Cast,
    Coalesce,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    TruncDate,
)
from django.db.models.lookups import GreaterThan, LessThanOrEqual

from checkpoint import dates
from checkpoint.models import (
    Case,
    CaseState,
    CaseTransition,
    EligibilityAssessment,
    Ethnicity,
    OutcomeKind,
    PathwayReferral,
    ReferralStatus,
)
from checkpoint.models.person import ETHNIC_GROUPS

from .models import CaseFact, FactRefresh, ReferralFact, StateStay
from .statistics import AGE_BANDS

logger = logging.getLogger(__name__)


@transaction.atomic
def report_facts_refresh(*, now: datetime) -> FactRefresh:
    """Rebuild the summary tables from the cases; idempotent. Returns the refresh record."""
    started = time.monotonic()
    if connection.vendor == "postgresql":
        # Serialise rebuilders; readers (ACCESS SHARE) are not blocked by this mode.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE reports_casefact IN SHARE ROW EXCLUSIVE MODE")
    for model in (StateStay, ReferralFact, CaseFact):
        model.objects.all().delete()  # one DELETE each: nothing refers to these rows
    cases = _insert_from(CaseFact, _case_rows())
    _insert_stays()
    for dimension in ("pathway", "provider"):
        _insert_from(ReferralFact, _referral_rows(dimension), completed="{} = 1")
    if connection.vendor == "postgresql":
        # Every row changed: fresh statistics keep the report queries on good plans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE reports_casefact, reports_statestay, reports_referralfact")
    refresh = FactRefresh.objects.create(
        refreshed_at=now, cases=cases, seconds=round(time.monotonic() - started, 3)
    )
    logger.info("report facts refreshed: %s cases in %s s", cases, refresh.seconds)
    return refresh


def report_facts_refresh_if_empty(*, now: datetime) -> FactRefresh | None:
    """Rebuild the summary tables only if they were never built (a fresh database), so the
    reports are not empty until the nightly rebuild; None if they already were. Run when the
    worker starts and by ``scripts/start``."""
    if FactRefresh.objects.exists():
        return None
    return report_facts_refresh(now=now)


def _insert_from(model, queryset: QuerySet, **wrap: str) -> int:
    """INSERT INTO the model's table the rows of ``queryset`` (annotations named f_<column>).

    ``wrap`` maps a column to an SQL template applied to its value (``{}`` is the value).
    """
    sql, params = queryset.query.sql_with_params()
    qn = connection.ops.quote_name
    columns = [f.column for f in model._meta.concrete_fields if not f.auto_created]
    values = [f"sub.{qn('f_' + c)}" for c in columns]
    select = ", ".join(
        wrap[field.name].format(value) if field.name in wrap else value
        for field, value in zip(
            [f for f in model._meta.concrete_fields if not f.auto_created], values, strict=True
        )
    )
    table, names = qn(model._meta.db_table), ", ".join(qn(c) for c in columns)
    # Names come from the model and the ORM's own SQL; every value is a bound parameter.
    statement = f"INSERT INTO {table} ({names}) SELECT {select} FROM ({sql}) sub"  # noqa: S608 # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _arrested_on(path: str = "arrest__arrested_at"):
    return TruncDate(path, tzinfo=dates.LONDON)


def _age_band(arrested_on, born):
    """Whole years between date of birth and arrest date, as an AGE_BANDS code."""
    years = ExtractYear(arrested_on) - ExtractYear(born)
    birthday_to_come = GreaterThan(
        ExtractMonth(born) * 100 + ExtractDay(born),
        ExtractMonth(arrested_on) * 100 + ExtractDay(arrested_on),
    )
    age = years - SqlCase(When(birthday_to_come, then=Value(1)), default=Value(0))
    whens = [
        When(LessThanOrEqual(Value(low), age), then=Value(code))
        for code, low, _high, _label in reversed(AGE_BANDS)
    ]
    return SqlCase(*whens, default=Value(AGE_BANDS[0][0]), output_field=CharField())


def _ethnic_group():
    whens = [
        When(person__ethnicity__startswith=letter, then=Value(letter)) for letter in ETHNIC_GROUPS
    ]
    return SqlCase(
        When(person__ethnicity=Ethnicity.NS, then=Value("NS")),
        *whens,
        default=Value("NS"),
        output_field=CharField(),
    )


def _reached(state: str):
    return Exists(CaseTransition.objects.filter(case=OuterRef("pk"), to_state=state))


def _case_rows() -> QuerySet:
    arrested_on = _arrested_on()
    rows = Case.objects.order_by().annotate(
        f_case_id=F("pk"),
        f_team_id=F("team_id"),
        f_arrested_on=arrested_on,
        f_decided_on=F("outcome__decided_on"),
        f_sex=F("person__sex"),
        f_ethnic_group=_ethnic_group(),
        f_age_band=_age_band(arrested_on, F("person__date_of_birth")),
        f_veteran_status=F("person__veteran_status"),
        f_state=F("state"),
        f_assessed=Exists(EligibilityAssessment.objects.filter(case=OuterRef("pk"))),
        f_eligible=_reached(CaseState.ELIGIBLE),
        f_offered=_reached(CaseState.OFFERED),
        f_accepted=_reached(CaseState.ACCEPTED),
        f_completed=SqlCase(
            When(
                Q(state=CaseState.EXITED_NO_CONVICTION)
                | Q(outcome__kind=OutcomeKind.EXITED_NO_CONVICTION),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        ),
        f_outcome_kind=Coalesce(F("outcome__kind"), Value(""), output_field=CharField()),
        f_reoffended=F("outcome__reoffended_during_contract"),
    )
    return rows.values(*[n for n in rows.query.annotations if n.startswith("f_")])


def _referral_rows(dimension: str) -> QuerySet:
    """One row per case and pathway (or provider); f_completed is 1 if any was completed."""
    completed = SqlCase(
        When(status=ReferralStatus.COMPLETED, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    none = Cast(Value(None), BigIntegerField())  # typed: PostgreSQL needs bigint, not text
    return (
        PathwayReferral.objects.order_by()
        .values(
            f_case_id=F("contract__case_id"),
            f_team_id=F("contract__case__team_id"),
            f_arrested_on=_arrested_on("contract__case__arrest__arrested_at"),
            f_dimension=Value(dimension, output_field=CharField()),
            f_pathway_id=F("pathway_id") if dimension == "pathway" else none,
            f_provider_id=F("provider_id") if dimension == "provider" else none,
        )
        .annotate(f_completed=Max(completed))
    )


# Hours between two timestamps (a window function may be one of them).
_HOURS = {
    "postgresql": "EXTRACT(EPOCH FROM ({end} - {start})) / 3600.0",
    "sqlite": "(julianday({end}) - julianday({start})) * 24.0",
}
# Each history row closes a stay in its from_state, which began at the previous row (or, for
# the first row, at the arrest: assessment starts in custody). Stays in the same state add up.
_STAYS = """
INSERT INTO reports_statestay (case_id, team_id, arrested_on, state, hours)
SELECT s.case_id, f.team_id, f.arrested_on, s.state,
    CAST(ROUND(SUM(CASE WHEN s.hours > 0 THEN s.hours ELSE 0 END)) AS INTEGER)
FROM (
    SELECT t.case_id, t.from_state AS state, {hours} AS hours
    FROM checkpoint_casetransition t
    JOIN checkpoint_case c ON c.id = t.case_id
    JOIN checkpoint_arrest a ON a.id = c.arrest_id
) s
JOIN reports_casefact f ON f.case_id = s.case_id
GROUP BY s.case_id, f.team_id, f.arrested_on, s.state
"""
_ENTERED = "COALESCE(LAG(t.at) OVER (PARTITION BY t.case_id ORDER BY t.at, t.id), a.arrested_at)"


def _insert_stays() -> int:
    hours = _HOURS[connection.vendor].format(end="t.at", start=_ENTERED)
    with connection.cursor() as cursor:
        cursor.execute(_STAYS.format(hours=hours))
        return cursor.rowcount
