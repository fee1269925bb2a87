"""Benchmark of the daily compliance sweep at scale (DESIGN.md 4: set-based, a few queries per
batch). Not a test.

Generates N running contracts in a dedicated PostgreSQL database with raw SQL
(INSERT ... SELECT generate_series: a person, arrest, case, contract, its four conditions,
six appointments and three hours entries each, some new-offence reports), then measures:

1. ``compliance_sweep`` as the worker runs it (committed), with the process's peak memory,
   and a second run the same day (idempotent: nothing new);
2. the same work as one hand-written SQL statement per kind of finding
   (INSERT ... SELECT ... ON CONFLICT DO NOTHING, and one UPDATE ... RETURNING feeding the
   history insert), on the same starting data, in a transaction that is rolled back;
3. a naive ORM loop, one contract at a time with a save per finding and the one-case
   completion-review service, on a sample, extrapolated to N.

Its last line is key=value pairs. See bench/README.md for how to run it.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import secrets
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA_TABLES = [
    "checkpoint_person",
    "checkpoint_sweeprun",
    "checkpoint_complianceevent",
    "checkpoint_casetransition",
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="contracts (default 1,000,000)")
    parser.add_argument("--db", default="checkpoint_bench", help="dedicated database name")
    parser.add_argument("--batch-size", type=int, default=None, help="sweep batch size")
    parser.add_argument("--sample", type=int, default=2000, help="naive loop sample size")
    parser.add_argument("--reuse", action="store_true", help="keep data already generated")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE one batch")
    parser.add_argument("--skip-rerun", action="store_true", help="skip the second sweep")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="keep Django's DEBUG on (the embedded default): it keeps the SQL of the last "
        "9000 queries in memory, so peak memory then grows with N",
    )
    return parser.parse_args()


# --- Database setup -------------------------------------------------------------------------
def use_dedicated_database(name: str, *, debug: bool) -> None:
    """Point DATABASE_URL at ``name`` on the same server, creating the database if needed.

    Unless ``debug``, run as production does (DEBUG off), with a throwaway secret key."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1/x")
    parts = urlsplit(url)
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not debug:
        os.environ["DEBUG"] = "false"
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def sql(statement: str, params=None) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A throwaway benchmark database: its resets truncate and delete audit tables,
            # which the append-only triggers (migration 0010) refuse without this override.
            cursor.execute("SET checkpoint.audit_override = 'maintenance'")
        cursor.execute(statement, params)
        return cursor.rowcount


def scalar(statement: str, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


# --- Data generation ------------------------------------------------------------------------
def staff_ids() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from checkpoint.models import SchemeVersion, Team

    user, _ = get_user_model().objects.get_or_create(
        username="bench-navigator", defaults={"email": "bench@example.police.uk"}
    )
    team, _ = Team.objects.get_or_create(name="Bench team")
    scheme = SchemeVersion.objects.get(scheme__code="durham-checkpoint", version=1)
    return {"user": user.pk, "team": team.pk, "scheme": scheme.pk}


GENERATE = [
    # People and arrests: one each per contract.
    """INSERT INTO checkpoint_person (id, created_at, updated_at, given_name, family_name,
        date_of_birth, pnc_id, sex, ethnicity, veteran_status, mobile, email, address, postcode,
        sms_reminders, email_reminders)
    SELECT g, %(now)s, %(now)s, 'Bench', 'Person ' || g, DATE '1990-01-01' + (g %% 9000), '',
        'prefer_not_to_say', 'NS', 'prefer_not_to_say', '', '', '', '', false, false
    FROM generate_series(1, %(n)s) g""",
    """INSERT INTO checkpoint_arrest (id, created_at, updated_at, custody_reference, arrested_at,
        station, arresting_officer, recorded_by_id, person_id)
    SELECT g, %(now)s, %(now)s, 'BENCH/' || g, %(now)s - interval '130 days', '', '',
        %(user)s, g
    FROM generate_series(1, %(n)s) g""",
    # Cases: 95%% active, 5%% under breach review (swept, never moved).
    """INSERT INTO checkpoint_case (id, created_at, updated_at, reference, state, lock_version,
        arrest_id, navigator_id, opened_by_id, person_id, scheme_version_id, team_id)
    SELECT g, %(now)s, %(now)s, 'CP-B' || lpad(g::text, 9, '0'),
        CASE WHEN g %% 20 = 0 THEN 'breach_review' ELSE 'active' END, 0,
        g, %(user)s, %(user)s, g, %(scheme)s, %(team)s
    FROM generate_series(1, %(n)s) g""",
    # Contracts started on each of the last 126 days: about 3%% have reached their end date.
    """INSERT INTO checkpoint_contract (id, created_at, updated_at, starts_on, ends_on,
        signed_at, consent_method, consent_given_on, case_id, consent_recorded_by_id,
        created_by_id)
    SELECT g, %(now)s, %(now)s, s.starts_on, (s.starts_on + interval '4 months')::date,
        s.starts_on + time '11:00', 'in_person', s.starts_on, g, %(user)s, %(user)s
    FROM generate_series(1, %(n)s) g,
        LATERAL (SELECT %(today)s::date - ((g::bigint * 7919) %% 126)::int AS starts_on) s""",
    """INSERT INTO checkpoint_offendingcondition (id, terms, contract_id)
    SELECT g, 'Not to commit any further offence during the contract.', g
    FROM generate_series(1, %(n)s) g""",
    # Victim condition: 70%% a letter due 56 days in (a quarter of those recorded), else none.
    """INSERT INTO checkpoint_victimcondition (id, approach, due_on, outcome,
        outcome_recorded_on, outcome_notes, contract_id)
    SELECT c.id, CASE WHEN c.id %% 10 < 7 THEN 'letter' ELSE 'no_victim' END,
        c.starts_on + 56,
        CASE WHEN c.id %% 4 = 0 AND c.starts_on + 56 < %(today)s THEN 'completed'
             ELSE 'pending' END,
        CASE WHEN c.id %% 4 = 0 AND c.starts_on + 56 < %(today)s THEN c.starts_on + 56 END,
        '', c.id
    FROM checkpoint_contract c""",
    """INSERT INTO checkpoint_communitycondition (id, kind, hours_required, contract_id)
    SELECT g, 'hours', 18 + g %% 19, g FROM generate_series(1, %(n)s) g""",
    # Hours: a self-reported session of 2 to 5 hours every fortnight, up to eight, so most
    # participants keep pace and those with more hours to do fall behind.
    """INSERT INTO checkpoint_hourslogentry (created_at, updated_at, worked_on, hours, activity,
        placement, verifier_name, community_condition_id)
    SELECT %(now)s, %(now)s, c.starts_on + 14 * k, 2 + (c.id + k) %% 4, 'Gardening', '', '',
        c.id
    FROM checkpoint_contract c, generate_series(1, 8) k
    WHERE c.starts_on + 14 * k <= %(today)s""",
    # Appointments every three weeks; past ones attended except 1 in 20 (no outcome yet).
    """INSERT INTO checkpoint_appointment (created_at, updated_at, kind, starts_at,
        duration_minutes, location, outcome, outcome_notes, outcome_recorded_at,
        outcome_recorded_by_id, created_by_id, case_id)
    SELECT %(now)s, %(now)s, 'navigator', a.starts_at, 60, '',
        CASE WHEN a.recorded THEN 'attended' ELSE '' END, '',
        CASE WHEN a.recorded THEN a.starts_at + interval '2 hours' END,
        CASE WHEN a.recorded THEN %(user)s END, %(user)s, a.case_id
    FROM (
        SELECT c.case_id,
            ((c.starts_on + 21 * k) + time '09:00' + (c.id %% 8) * interval '1 hour')
                AT TIME ZONE 'Europe/London' AS starts_at,
            ((c.starts_on + 21 * k) + time '09:00') AT TIME ZONE 'Europe/London'
                < %(now)s - interval '1 day' AND (c.id * 31 + k) %% 20 <> 0 AS recorded
        FROM checkpoint_contract c, generate_series(0, 5) k
    ) a""",
    # New offences reported on 1 in 200 contracts.
    """INSERT INTO checkpoint_newoffencereport (created_at, updated_at, occurred_on, reported_on,
        description, reference, case_id, reported_by_id)
    SELECT %(now)s, %(now)s, c.starts_on + 10, c.starts_on + 11, 'Shoplifting', '',
        c.case_id, %(user)s
    FROM checkpoint_contract c
    WHERE c.id %% 200 = 0 AND c.starts_on + 11 <= %(today)s""",
]

SEQUENCED = [
    "checkpoint_person",
    "checkpoint_arrest",
    "checkpoint_case",
    "checkpoint_contract",
    "checkpoint_offendingcondition",
    "checkpoint_victimcondition",
    "checkpoint_communitycondition",
]


def generate(n: int, now: datetime) -> float:
    started = time.monotonic()
    params = {"n": n, "now": now, "today": now.date(), **staff_ids()}
    sql("TRUNCATE " + ", ".join(DATA_TABLES) + " RESTART IDENTITY CASCADE")
    for statement in GENERATE:
        sql(statement, params)
    setval = "SELECT setval(pg_get_serial_sequence('{0}', 'id'), (SELECT max(id) FROM {0}))"
    for table in SEQUENCED:  # our own table names
        sql(setval.format(table))
    sql("VACUUM ANALYZE")
    return time.monotonic() - started


def counts() -> dict[str, int]:
    tables = {
        "contracts": "checkpoint_contract",
        "appointments": "checkpoint_appointment",
        "hours_entries": "checkpoint_hourslogentry",
        "new_offences": "checkpoint_newoffencereport",
    }
    query = "SELECT count(*) FROM {}"  # our own table names, below
    return {key: scalar(query.format(table)) for key, table in tables.items()}


# --- 1. The sweep as the worker runs it -----------------------------------------------------
def run_sweep(now: datetime, batch_size: int | None):
    from checkpoint.actors import SYSTEM
    from checkpoint.services.sweep import compliance_sweep

    started = time.monotonic()
    run = compliance_sweep(by=SYSTEM, now=now, batch_size=batch_size)
    return run, time.monotonic() - started


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def reset_after_sweep() -> None:
    """Back to the generated state, so the comparisons start from the same data."""
    sql("DELETE FROM checkpoint_complianceevent")
    sql("DELETE FROM checkpoint_casetransition")
    sql(
        "UPDATE checkpoint_case SET state = 'active', lock_version = lock_version - 1 "
        "WHERE state = 'completion_review'"
    )
    sql("DELETE FROM checkpoint_sweeprun")
    sql("VACUUM ANALYZE")


# --- 2. Hand-written SQL, one statement per kind --------------------------------------------
SWEPT = "c.state IN ('active', 'breach_review')"
EVENT_COLUMNS = "(case_id, kind, occurred_on, detail, raised_at, dedupe_key, resolution)"
RAW_SQL = {
    "missed_appointment": f"""
        INSERT INTO checkpoint_complianceevent {EVENT_COLUMNS}
        SELECT a.case_id, 'missed_appointment',
            (a.starts_at AT TIME ZONE 'Europe/London')::date,
            'No outcome recorded for the appointment at '
                || to_char(a.starts_at AT TIME ZONE 'Europe/London', 'DD Mon YYYY'),
            %(now)s, 'missed:appointment:' || a.id, ''
        FROM checkpoint_appointment a JOIN checkpoint_case c ON c.id = a.case_id
        WHERE {SWEPT} AND a.outcome = '' AND a.starts_at < %(cutoff)s
        ON CONFLICT (dedupe_key) DO NOTHING""",  # noqa: S608 - module constants only
    "hours_behind": f"""
        INSERT INTO checkpoint_complianceevent {EVENT_COLUMNS}
        SELECT h.case_id, 'hours_behind', %(today)s,
            h.logged || ' hours logged; ' || h.expected || ' expected by now',
            %(now)s, 'hours_behind:case:' || h.case_id || ':month:' || h.period, ''
        FROM (
            SELECT k.case_id, k.logged, k.elapsed,
                round(k.required * k.elapsed / k.total_days, 2) AS expected,
                -- the month of the contract, by calendar months as dates.add_months counts
                greatest(1, 1 + k.months - CASE
                    WHEN (k.starts_on + make_interval(months => k.months))::date > %(today)s
                    THEN 1 ELSE 0 END) AS period
            FROM (
                SELECT t.case_id, t.starts_on, cc.hours_required::numeric AS required,
                    ((extract(year FROM %(today)s::date) - extract(year FROM t.starts_on)) * 12
                        + extract(month FROM %(today)s::date) - extract(month FROM t.starts_on)
                    )::int AS months,
                    greatest(t.ends_on - t.starts_on, 1) AS total_days,
                    greatest(0, least(%(today)s::date - t.starts_on, t.ends_on - t.starts_on))
                        AS elapsed,
                    coalesce((SELECT sum(e.hours) FROM checkpoint_hourslogentry e
                              WHERE e.community_condition_id = cc.id), 0) AS logged
                FROM checkpoint_contract t
                JOIN checkpoint_case c ON c.id = t.case_id
                JOIN checkpoint_communitycondition cc ON cc.contract_id = t.id
                WHERE {SWEPT} AND cc.kind = 'hours' AND t.starts_on IS NOT NULL
            ) k
        ) h
        WHERE h.elapsed >= 14 AND h.logged + 4 < h.expected
        ON CONFLICT (dedupe_key) DO NOTHING""",  # noqa: S608 - module constants only
    "restorative_overdue": f"""
        INSERT INTO checkpoint_complianceevent {EVENT_COLUMNS}
        SELECT t.case_id, 'restorative_overdue', v.due_on,
            'Restorative outcome was due by ' || to_char(v.due_on, 'DD Mon YYYY'),
            %(now)s, 'restorative_overdue:case:' || t.case_id, ''
        FROM checkpoint_victimcondition v
        JOIN checkpoint_contract t ON t.id = v.contract_id
        JOIN checkpoint_case c ON c.id = t.case_id
        WHERE {SWEPT} AND v.outcome = 'pending' AND v.due_on < %(today)s
            AND v.approach NOT IN ('no_victim', 'victim_declined')
        ON CONFLICT (dedupe_key) DO NOTHING""",  # noqa: S608 - module constants only
    "new_offence": f"""
        INSERT INTO checkpoint_complianceevent {EVENT_COLUMNS}
        SELECT r.case_id, 'new_offence', r.occurred_on, 'New offence reported', %(now)s,
            'new_offence:' || r.id, ''
        FROM checkpoint_newoffencereport r JOIN checkpoint_case c ON c.id = r.case_id
        WHERE {SWEPT}
        ON CONFLICT (dedupe_key) DO NOTHING""",  # noqa: S608 - module constants only
    "moved_to_completion_review": """
        WITH moved AS (
            UPDATE checkpoint_case c
            SET state = 'completion_review', lock_version = c.lock_version + 1,
                updated_at = %(now)s
            FROM checkpoint_contract t
            WHERE t.case_id = c.id AND c.state = 'active' AND t.ends_on <= %(today)s
            RETURNING c.id
        )
        INSERT INTO checkpoint_casetransition
            (case_id, transition, from_state, to_state, by_id, at, reason)
        SELECT id, 'begin_completion_review', 'active', 'completion_review', NULL, %(now)s,
            'Contract end date reached'
        FROM moved""",
}


def run_raw_sql(now: datetime) -> tuple[float, dict[str, int], set[str], set[int]]:
    from django.conf import settings
    from django.db import transaction

    from checkpoint import dates

    params = {
        "now": now,
        "today": dates.local_date(now),
        "cutoff": now - timedelta(hours=settings.SWEEP_OUTCOME_GRACE_HOURS),
    }
    rows: dict[str, int] = {}
    started = time.monotonic()
    try:
        with transaction.atomic():
            for kind, statement in RAW_SQL.items():
                rows[kind] = sql(statement, params)
            elapsed = time.monotonic() - started
            keys, moved = recorded()
            raise _Rollback
    except _Rollback:
        pass
    return elapsed, rows, keys, moved


def recorded() -> tuple[set[str], set[int]]:
    """The findings' keys and the cases moved, to check two ways of sweeping agree."""
    from checkpoint.models import CaseTransition, ComplianceEvent

    keys = set(ComplianceEvent.objects.values_list("dedupe_key", flat=True))
    moved = set(CaseTransition.objects.values_list("case_id", flat=True))
    return keys, moved


class _Rollback(Exception):
    pass


# --- 3. The naive loop ----------------------------------------------------------------------
def naive_one(case_id: int, now: datetime) -> None:
    """One contract at a time: load it, check each rule, save each finding on its own."""
    from django.conf import settings
    from django.db.models import Sum

    from checkpoint import compliance_rules, dates, services
    from checkpoint.actors import SYSTEM
    from checkpoint.models import Case, CaseState, ComplianceEvent

    today = dates.local_date(now)
    case = Case.objects.get(pk=case_id)
    contract = case.contract
    cutoff = now - timedelta(hours=settings.SWEEP_OUTCOME_GRACE_HOURS)

    def record(key: str, kind: str, occurred_on, detail: str) -> None:
        ComplianceEvent.objects.get_or_create(
            dedupe_key=key,
            defaults={"case": case, "kind": kind, "occurred_on": occurred_on, "detail": detail,
                      "raised_at": now},
        )  # fmt: skip

    for appointment in case.appointments.filter(outcome="", starts_at__lt=cutoff):
        day = dates.local_date(appointment.starts_at)
        record(f"missed:appointment:{appointment.pk}", "missed_appointment", day, "No outcome")
    community = contract.community_condition
    logged = community.hours_log.aggregate(s=Sum("hours"))["s"] or 0
    check = compliance_rules.hours_behind(
        required=community.hours_required,
        logged=logged,
        starts_on=contract.starts_on,
        ends_on=contract.ends_on,
        today=today,
    )
    if check.behind:
        record(f"hours_behind:case:{case.pk}:month:{check.period}", "hours_behind", today, "")
    victim = contract.victim_condition
    if (
        victim.outcome == "pending"
        and victim.due_on < today
        and victim.approach not in victim.NOTHING_REQUIRED
    ):
        record(f"restorative_overdue:case:{case.pk}", "restorative_overdue", victim.due_on, "")
    for report in case.new_offences.all():
        record(f"new_offence:{report.pk}", "new_offence", report.occurred_on, "New offence")
    if case.state == CaseState.ACTIVE and contract.ends_on <= today:
        services.completion_review_begin(case_id=case.pk, by=SYSTEM, now=now)


def run_naive(now: datetime, sample: int) -> float:
    from django.db import transaction

    from checkpoint.models import Case

    ids = list(
        Case.objects.filter(state__in=["active", "breach_review"])
        .order_by("pk")
        .values_list("pk", flat=True)[:sample]
    )
    started = time.monotonic()
    try:
        with transaction.atomic():
            for case_id in ids:
                with transaction.atomic():
                    naive_one(case_id, now)
            elapsed = time.monotonic() - started
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


# --- EXPLAIN ANALYZE of one batch -----------------------------------------------------------
def explain_one_batch(now: datetime, batch_size: int) -> None:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from checkpoint import dates
    from checkpoint.services import sweep as sweep_module

    ids = list(next(sweep_module._batches(batch_size)))
    with CaptureQueriesContext(connection) as captured:
        try:
            with transaction.atomic():
                sweep_module._sweep_batch(ids, today=dates.local_date(now), now=now)
                raise _Rollback
        except _Rollback:
            pass
    print(f"\nEXPLAIN ANALYZE of the read queries of one batch of {len(ids)} cases:")
    for query in captured.captured_queries:
        text = query["sql"]
        short = re.sub(r"IN \((?:%s|\d+)(?:, (?:%s|\d+))*\)", "IN (...)", text)
        short = re.sub(r"VALUES \(.*\)", "VALUES (...), ...", short)
        if not text.lstrip().upper().startswith("SELECT"):
            print(f"\n  [{query['time']} s] {short[:200]}")
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + text)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"\n  {short[:300]}")
        for line in plan:
            line = re.sub(r"'\{[\d,]+\}'", "'{...}'", line)
            print(f"    {line[:200]}")


# --- Main -----------------------------------------------------------------------------------
def main() -> None:
    args = parse_args()
    use_dedicated_database(args.db, debug=args.debug)
    setup_django()

    from django.conf import settings
    from django.db.models import Count
    from django.utils import timezone

    from checkpoint import dates
    from checkpoint.models import ComplianceEvent, SweepRun

    now = timezone.now().astimezone(dates.LONDON).replace(hour=5, minute=30, second=0)
    now = now.replace(microsecond=0)
    batch_size = args.batch_size or settings.SWEEP_BATCH_SIZE
    print(
        f"database={args.db} n={args.n} now={now.isoformat()} batch_size={batch_size} "
        f"DEBUG={settings.DEBUG}"
    )

    if args.reuse and scalar("SELECT count(*) FROM checkpoint_contract") == args.n:
        reset_after_sweep()
        print("reusing the generated data")
    else:
        print(f"generated in {generate(args.n, now):.1f} s (raw SQL, generate_series)")
    sizes = counts()
    print("rows: " + ", ".join(f"{k}={v:,}" for k, v in sizes.items()))

    if args.explain:
        explain_one_batch(now, batch_size)

    rss_before = peak_mb()
    run, sweep_s = run_sweep(now, args.batch_size)
    peak = peak_mb()
    events = dict(ComplianceEvent.objects.order_by().values_list("kind").annotate(n=Count("pk")))
    moved = run.stats.get("moved_to_completion_review", 0)
    print(
        f"\nsweep: examined={run.examined:,} cases, findings={run.findings:,} "
        f"{events}, moved_to_completion_review={moved:,}, seconds={sweep_s:.2f}, "
        f"batches={-(-run.examined // batch_size)}, peak_mb={peak:.0f} (before: {rss_before:.0f})"
    )
    if not args.skip_rerun:
        rerun, rerun_s = run_sweep(now + timedelta(hours=1), args.batch_size)
        print(f"second run the same day: findings={rerun.findings}, seconds={rerun_s:.2f}")
        if SweepRun.objects.filter(status="succeeded").count() != 2:
            sys.exit("the sweep did not run twice: is another sweep running on this database?")

    sweep_result = recorded()
    reset_after_sweep()
    raw_s, raw_rows, *raw_result = run_raw_sql(now)
    same = tuple(raw_result) == sweep_result
    print(
        f"\nhand-written SQL (5 statements, rolled back): seconds={raw_s:.2f}, rows={raw_rows}, "
        f"same result as the sweep: {'yes' if same else 'NO'}"
    )

    naive_s = run_naive(now, args.sample)
    naive_total = naive_s * run.examined / min(args.sample, run.examined)
    print(
        f"naive ORM loop: {args.sample:,} contracts in {naive_s:.2f} s, "
        f"extrapolated to {run.examined:,}: {naive_total:.0f} s"
    )
    ratio = sweep_s / raw_s
    print(f"\nratios: sweep/raw_sql={ratio:.2f}, naive/sweep={naive_total / sweep_s:.1f}")
    print(
        f"contracts={sizes['contracts']} sweep_s={sweep_s:.2f} raw_sql_s={raw_s:.2f} "
        f"ratio={ratio:.2f} naive_extrapolated_s={naive_total:.0f} peak_mb={peak:.0f}"
    )


if __name__ == "__main__":
    main()
