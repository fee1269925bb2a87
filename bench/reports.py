"""Benchmark: report pages and CSVs at scale (the target: every report page under 2 s at
1,000,000 cases). Not a test.

Usage (PostgreSQL; works in its own database, created if needed, regenerated on every run):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/checkpoint \\
        .venv/bin/python bench/reports.py --n 100000

Generates N cases with raw SQL (INSERT ... SELECT ... FROM generate_series): people with
varied sex, ethnicity, age and veteran status; arrests over the last three years in ten teams;
cases spread over every state along the paths the state machine allows, with their history
rows, eligibility assessments, contracts, one or two pathway referrals each to forty providers,
and outcomes (some with reoffending). Then it times the nightly rebuild of the summary tables
(``report_facts_refresh``) and renders every report page and CSV in-process through Django's
test client as an analyst, DEBUG off: warm-up requests, then ``--repeat`` timed ones. Prints
the median and 95th percentile render time and the query count of each. It measures; it does
not assert.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sweep as data
from pages import time_page

TEAMS = 10
PROVIDERS = 40

# Paths through the state machine: (from, to, hours after the arrest). Each path is a prefix
# of a longer one, as the Case docstring allows.
_EL = [("assessment", "eligible", 3)]
_OFFERED = [*_EL, ("eligible", "offered", 27)]
_ACCEPTED = [*_OFFERED, ("offered", "accepted", 51)]
_ACTIVE = [*_ACCEPTED, ("accepted", "active", 291)]
_BREACH = [*_ACTIVE, ("active", "breach_review", 1200)]
_REVIEW = [*_ACTIVE, ("active", "completion_review", 2900)]
_TERMINATED = [*_BREACH, ("breach_review", "terminated", 1300)]
_DECLINED = [*_OFFERED, ("offered", "declined", 51)]
_DECLINED_PR = [*_DECLINED, ("declined", "prosecution_referred", 200)]
_TERMINATED_PR = [*_TERMINATED, ("terminated", "prosecution_referred", 1400)]
_EXITED = [*_REVIEW, ("completion_review", "exited_no_conviction", 2950)]
PATHS: dict[str, tuple[int, str, list[tuple[str, str, int]]]] = {
    # path: (upper bound of its share out of 100, final state, steps)
    "assessment": (5, "assessment", []),
    "ineligible": (20, "ineligible", [("assessment", "ineligible", 3)]),
    "eligible": (23, "eligible", _EL),
    "offered": (26, "offered", _OFFERED),
    "declined": (28, "declined", _DECLINED),
    "declined_pr": (31, "prosecution_referred", _DECLINED_PR),
    "accepted": (34, "accepted", _ACCEPTED),
    "active": (56, "active", _ACTIVE),
    "breach_review": (59, "breach_review", _BREACH),
    "completion_review": (61, "completion_review", _REVIEW),
    "withdrawn": (64, "withdrawn", [*_ACTIVE, ("active", "withdrawn", 800)]),
    "terminated": (66, "terminated", _TERMINATED),
    "terminated_pr": (76, "prosecution_referred", _TERMINATED_PR),
    "exited": (100, "exited_no_conviction", _EXITED),
}
CONTRACT_PATHS = [p for p, (_, _, steps) in PATHS.items() if ("offered", "accepted", 51) in steps]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="cases (default 1,000,000)")
    parser.add_argument("--db", default="checkpoint_reports", help="dedicated database name")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per URL")
    parser.add_argument("--reuse", action="store_true", help="keep data already generated")
    return parser.parse_args()


# --- Data generation ------------------------------------------------------------------------
def reference_ids() -> dict:
    """The bench's teams, providers and staff, created once through the ORM."""
    from django.contrib.auth import get_user_model

    from checkpoint.models import Pathway, SchemeVersion, ServiceProvider, Team

    user, _ = get_user_model().objects.get_or_create(username="bench-reports-staff")
    teams = [Team.objects.get_or_create(name=f"Bench team {i + 1}")[0].pk for i in range(TEAMS)]
    providers = [
        ServiceProvider.objects.get_or_create(name=f"Bench provider {i + 1}")[0].pk
        for i in range(PROVIDERS)
    ]
    return {
        "user": user.pk,
        "teams": teams,
        "providers": providers,
        "pathways": list(Pathway.objects.values_list("pk", flat=True)),
        "scheme": SchemeVersion.objects.get(scheme__code="durham-checkpoint", version=1).pk,
    }


def _paths_sql() -> tuple[str, str]:
    """SQL for each case's path (from its bucket) and the VALUES list of every path's steps."""
    bucket = "((g::bigint * 2654435761) %% 100)"  # %% : the statement has parameters
    cases = " ".join(f"WHEN {bucket} < {bound} THEN '{p}'" for p, (bound, _, _) in PATHS.items())
    steps = ", ".join(
        f"('{p}', {i}, '{a}', '{b}', {h})"
        for p, (_, _, chain) in PATHS.items()
        for i, (a, b, h) in enumerate(chain)
    )
    return f"CASE {cases} END", steps


def generate(n: int, now: datetime) -> float:
    """Truncate and regenerate N cases with everything the reports read."""
    started = time.monotonic()
    ids = reference_ids()
    params = {"n": n, "now": now, "contract_paths": CONTRACT_PATHS, **ids}
    data.sql(
        "TRUNCATE checkpoint_person, checkpoint_sweeprun, checkpoint_casetransition, "
        "reports_casefact, reports_statestay, reports_referralfact, reports_factrefresh "
        "RESTART IDENTITY CASCADE"
    )
    path, steps = _paths_sql()
    for statement in GENERATE:
        data.sql(statement.format(path=path, steps=steps, final=_final_sql()), params)
    setval = "SELECT setval(pg_get_serial_sequence('{0}', 'id'), (SELECT max(id) FROM {0}))"
    for table in ("checkpoint_person", "checkpoint_arrest", "checkpoint_case"):
        data.sql(setval.format(table))
    data.sql("VACUUM ANALYZE")
    return time.monotonic() - started


def _final_sql() -> str:
    return (
        "CASE p.path "
        + " ".join(f"WHEN '{p}' THEN '{s}'" for p, (_, s, _) in PATHS.items())
        + " END"
    )


GENERATE = [
    """CREATE TEMP TABLE IF NOT EXISTS bench_steps (path text, step int, from_state text,
        to_state text, hours int)""",
    "TRUNCATE bench_steps",
    "INSERT INTO bench_steps VALUES {steps}",
    """INSERT INTO checkpoint_person (id, created_at, updated_at, given_name, family_name,
        date_of_birth, pnc_id, sex, ethnicity, veteran_status, mobile, email, address, postcode,
        sms_reminders, email_reminders)
    SELECT g, %(now)s, %(now)s, 'Bench', 'Person ' || g,
        DATE '1955-01-01' + ((g::bigint * 40503) %% 18250)::int, '',
        CASE WHEN (g::bigint * 7919) %% 100 < 22 THEN 'female'
             WHEN (g::bigint * 7919) %% 100 < 97 THEN 'male' ELSE 'prefer_not_to_say' END,
        (ARRAY['W1','W1','W1','W1','W1','W1','W1','W1','W1','W1','W1','W1','W1','W1','W2','W9',
               'M1','M3','A1','A2','A3','B1','B2','O1','NS'])[1 + (g::bigint * 104729) %% 25],
        CASE WHEN (g::bigint * 15485863) %% 100 < 4 THEN 'yes'
             WHEN (g::bigint * 15485863) %% 100 < 95 THEN 'no' ELSE 'prefer_not_to_say' END,
        '', '', '', '', false, false
    FROM generate_series(1, %(n)s) g""",
    """INSERT INTO checkpoint_arrest (id, created_at, updated_at, custody_reference, arrested_at,
        station, arresting_officer, recorded_by_id, person_id)
    SELECT g, %(now)s, %(now)s, 'BENCH/' || g,
        %(now)s - ((g::bigint * 7907) %% 1095) * interval '1 day' - (g %% 24) * interval '1 hour',
        '', '', %(user)s, g
    FROM generate_series(1, %(n)s) g""",
    """CREATE TEMP TABLE IF NOT EXISTS bench_paths (case_id bigint PRIMARY KEY, path text,
        arrested_at timestamptz, jitter float)""",
    "TRUNCATE bench_paths",
    """INSERT INTO bench_paths
    SELECT g, {path}, a.arrested_at, 0.7 + (g %% 61) / 100.0
    FROM generate_series(1, %(n)s) g JOIN checkpoint_arrest a ON a.id = g""",
    """INSERT INTO checkpoint_case (id, created_at, updated_at, reference, state, lock_version,
        arrest_id, navigator_id, opened_by_id, person_id, scheme_version_id, team_id)
    SELECT p.case_id, p.arrested_at, %(now)s, 'CP-R' || lpad(p.case_id::text, 9, '0'), {final},
        0, p.case_id, %(user)s, %(user)s, p.case_id, %(scheme)s,
        (%(teams)s::bigint[])[1 + p.case_id %% cardinality(%(teams)s::bigint[])]
    FROM bench_paths p""",
    """INSERT INTO checkpoint_casetransition (case_id, transition, from_state, to_state, by_id,
        at, reason)
    SELECT p.case_id, 'bench', s.from_state, s.to_state, %(user)s,
        p.arrested_at + s.hours * p.jitter * interval '1 hour', ''
    FROM bench_paths p JOIN bench_steps s ON s.path = p.path""",
    """INSERT INTO checkpoint_eligibilityassessment (created_at, updated_at, case_id,
        scheme_version_id, assessed_on, assessed_by_id, evidential_test_met, admission,
        previous_convictions, custodial_sentence_likely, risk_band, risk_source, is_eligible)
    SELECT %(now)s, %(now)s, p.case_id, %(scheme)s, p.arrested_at::date, %(user)s,
        p.path <> 'ineligible', 'admitted', 0, false, 'moderate', 'Bench', p.path <> 'ineligible'
    FROM bench_paths p WHERE p.path <> 'assessment'""",
    """INSERT INTO checkpoint_contract (created_at, updated_at, starts_on, ends_on, signed_at,
        consent_method, consent_given_on, case_id, consent_recorded_by_id, created_by_id)
    SELECT %(now)s, %(now)s, s.on_day, s.on_day + 120, s.on_day + time '11:00',
        'in_person', s.on_day, p.case_id, %(user)s, %(user)s
    FROM bench_paths p,
        LATERAL (SELECT (p.arrested_at + 291 * p.jitter * interval '1 hour')::date AS on_day) s
    WHERE p.path = ANY(%(contract_paths)s)""",
    """INSERT INTO checkpoint_pathwayreferral (created_at, updated_at, contract_id, pathway_id,
        provider_id, what, frequency, required_sessions, status)
    SELECT %(now)s, %(now)s, c.id,
        (%(pathways)s::bigint[])[1 + (c.case_id + k) %% cardinality(%(pathways)s::bigint[])],
        (%(providers)s::bigint[])[1 + (c.case_id * 7 + k) %% cardinality(%(providers)s::bigint[])],
        'Bench referral', 'Weekly', 4,
        CASE WHEN p.path = 'exited' THEN 'completed'
             WHEN p.path IN ('terminated', 'terminated_pr', 'withdrawn') THEN 'not_completed'
             ELSE 'active' END
    FROM checkpoint_contract c JOIN bench_paths p ON p.case_id = c.case_id,
        generate_series(1, 1 + (c.case_id %% 3 = 0)::int) k""",
    """INSERT INTO checkpoint_outcome (case_id, kind, decided_by_id, decided_on,
        reoffended_during_contract, follow_up_due_on, within_time_limit, notes)
    SELECT t.case_id, t.to_state, %(user)s, (t.at AT TIME ZONE 'Europe/London')::date,
        p.path = 'terminated_pr' AND t.case_id %% 3 = 0,
        (t.at AT TIME ZONE 'Europe/London')::date + 730, NULL, ''
    FROM checkpoint_casetransition t JOIN bench_paths p ON p.case_id = t.case_id
    WHERE t.to_state IN ('exited_no_conviction', 'prosecution_referred')""",
]


# --- Timing (the same measure as bench/pages.py) -------------------------------------------
def time_url(client, url: str, repeat: int) -> dict:
    return time_page(client, url, repeat, warmup=2)


def analyst_client():
    """A test client signed in as an analyst (with the second factor, where there is one)."""
    from django.test import Client

    from checkpoint import roles
    from tests import factories

    user = factories.make_user(roles.ANALYST, username="bench-analyst")
    client = Client()
    client.force_login(user)
    if hasattr(factories, "verify_session"):
        factories.verify_session(client, user)
    return client


def urls(team_id: int) -> list[str]:
    from django.urls import reverse

    from reports.views import BUILDERS

    pages = [reverse("reports:index")]
    pages += [reverse("reports:report", args=[slug]) for slug in BUILDERS]
    one_team = f"{reverse('reports:report', args=['equality-ethnicity'])}?team={team_id}"
    csvs = [
        reverse("reports:csv", args=[report, table])
        for report, table in [
            ("outcomes", "outcomes-by-month"),
            ("time-in-state", "time-in-state"),
            ("referrals", "referrals-by-provider"),
            ("equality-ethnicity", "rate-ratios-ethnicity"),
        ]
    ]
    year = "start_day=1&start_month=1&start_year=2025&end_day=31&end_month=12&end_year=2025"
    return [*pages, one_team, f"{pages[1]}?{year}", *csvs]


def main() -> None:
    args = parse_args()
    data.use_dedicated_database(args.db, debug=False)  # as production runs: DEBUG off
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    data.setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest DEBUG-off needs
    from django.utils import timezone

    from checkpoint.models import Case
    from reports.services import report_facts_refresh

    now = timezone.now()
    if not args.reuse or Case.objects.count() != args.n:
        print(f"generating {args.n:,} cases ...", flush=True)
        print(f"generated in {generate(args.n, now):.1f} s", flush=True)
    started = time.monotonic()
    refresh = report_facts_refresh(now=now)
    refresh_s = time.monotonic() - started
    print(f"summary tables rebuilt in {refresh_s:.1f} s ({refresh.cases:,} cases)", flush=True)
    client = analyst_client()
    team = reference_ids()["teams"][0]
    results = {url: time_url(client, url, args.repeat) for url in urls(team)}
    for url, f in results.items():
        print(f"{url:>72}: median {f['median_ms']:7.1f} ms, p95 {f['p95_ms']:7.1f} ms, "
              f"{f['queries']} queries")  # fmt: skip
    worst = max(f["p95_ms"] for f in results.values())
    print(f"cases={refresh.cases} refresh_s={refresh_s:.1f} worst_p95_ms={worst:.1f}")


if __name__ == "__main__":
    main()
