"""Benchmark: caseload and case page render times and query counts with many cases.

Usage (PostgreSQL; uses its own database, created if needed):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/checkpoint \\
        .venv/bin/python bench/pages.py --n 100000

Generates N cases with contracts, appointments and hours (the same SQL generator as
bench/sweep.py), spreads them over navigators (``--per-navigator`` cases each, all in one team),
then renders each page in-process through Django's test client (no network, no browser):
warm-up requests first, then ``--repeat`` timed requests. Prints the median and 95th
percentile render time and the number of queries per page. It measures, it does not assert.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sweep as data


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="cases (default 100,000)")
    parser.add_argument("--db", default="checkpoint_pages", help="dedicated database name")
    parser.add_argument("--per-navigator", type=int, default=40, help="cases per navigator")
    parser.add_argument("--team-size", type=int, default=10, help="navigators per team")
    parser.add_argument("--repeat", type=int, default=50, help="timed requests per page")
    parser.add_argument("--reuse", action="store_true", help="keep data already generated")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="time the pages on the demo data (seed_demo) instead of N generated cases",
    )
    return parser.parse_args()


def spread_over_navigators(n: int, per_navigator: int) -> list[int]:
    """Create navigators in the bench team and deal the cases out between them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from checkpoint import roles
    from checkpoint.models import StaffProfile, Team

    User = get_user_model()
    team = Team.objects.get(name="Bench team")
    count = max(1, n // per_navigator)
    existing = User.objects.filter(username__startswith="bench-nav-").count()
    users = User.objects.bulk_create(
        User(username=f"bench-nav-{i}", email=f"nav{i}@example.police.uk")
        for i in range(existing, count)
    )
    navigator = Group.objects.get(name=roles.NAVIGATOR)
    navigator.user_set.add(*users)
    StaffProfile.objects.bulk_create(StaffProfile(user=u, team=team) for u in users)
    ids = list(
        User.objects.filter(username__startswith="bench-nav-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )[:count]
    data.sql(
        "UPDATE checkpoint_case SET navigator_id = (%s::bigint[])[1 + id %% %s]", [ids, len(ids)]
    )
    return ids


def split_into_teams(navigator_ids: list[int], team_size: int) -> None:
    """Teams of ``team_size`` navigators; each case belongs to its navigator's team."""
    from checkpoint.models import StaffProfile, Team

    for k, start in enumerate(range(0, len(navigator_ids), team_size)):
        team, _ = Team.objects.get_or_create(name=f"Bench team {k}")
        chunk = navigator_ids[start : start + team_size]
        StaffProfile.objects.filter(user_id__in=chunk).update(team=team)
    data.sql(
        "UPDATE checkpoint_case c SET team_id = p.team_id FROM checkpoint_staffprofile p "
        "WHERE p.user_id = c.navigator_id AND c.team_id <> p.team_id"
    )
    data.sql("VACUUM ANALYZE checkpoint_case")


def sign_in(client, user) -> None:
    """Sign in with both factors, as staff do (the password, then a TOTP code)."""
    from tests.factories import verify_session

    client.force_login(user)
    verify_session(client, user)


def time_page(client, url: str, repeat: int, warmup: int = 5) -> dict:
    """Median and 95th percentile render time (ms) of ``url``, and its number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):  # warm caches, template loaders, connection
        _check(client.get(url, secure=True), url)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        timings.append((time.perf_counter() - started) * 1000)
        _check(response, url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url, secure=True)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p95_ms": timings[max(0, math.ceil(len(timings) * 0.95) - 1)],  # nearest rank
        "queries": len(ctx.captured_queries),
    }


def _check(response, url: str) -> None:
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")


def supervisor_of(navigator):
    """The (one) supervisor of the navigator's team, created on first use."""
    from django.contrib.auth import get_user_model

    from checkpoint import roles
    from tests.factories import make_user

    team = navigator.staff_profile.team
    username = f"bench-supervisor-{team.pk}"
    existing = get_user_model().objects.filter(username=username).first()
    return existing or make_user(roles.SUPERVISOR, team=team, username=username)


def seed_demo_in(database_url: str) -> None:
    """Load the demo into the bench database (seed_demo runs only with DEBUG on, so it runs
    in a child process; the pages are then timed with DEBUG off, as production runs)."""
    import subprocess

    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true"}
    env.pop("SECRET_KEY", None)
    manage = Path(__file__).resolve().parent.parent / "manage.py"
    for command in (["migrate", "-v0"], ["seed_demo"]):
        # Our own manage.py with fixed arguments.
        subprocess.run([sys.executable, str(manage), *command], env=env, check=True)  # noqa: S603 # nosec B603


def time_demo(repeat: int) -> dict:
    """The same pages as the demo users see them."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from checkpoint.models import Case

    users = get_user_model().objects
    navigator, supervisor = users.get(username="navigator"), users.get(username="supervisor")
    case = Case.objects.filter(navigator=navigator, state="active").order_by("pk").first()
    breach = Case.objects.filter(team=case.team, state="breach_review").first()
    client = Client()
    sign_in(client, navigator)
    results = {
        "caseload": time_page(client, "/caseload/", repeat),
        "case_page": time_page(client, f"/cases/{case.reference}/", repeat),
    }
    sign_in(client, supervisor)
    results["team_dashboard"] = time_page(client, "/team/", repeat)
    results["team_cases"] = time_page(client, "/team/cases/", repeat)
    if breach is not None:
        results["breach_review"] = time_page(
            client, f"/team/cases/{breach.reference}/breach/", repeat
        )
    return results


def report(results: dict, prefix: str) -> None:
    for page, figures in results.items():
        print(
            f"{page:>24}: median {figures['median_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms,"
            f" {figures['queries']} queries"
        )
    print(
        prefix
        + " ".join(
            f"{page}_median_ms={f['median_ms']:.1f} {page}_p95_ms={f['p95_ms']:.1f} "
            f"{page}_queries={f['queries']}"
            for page, f in results.items()
        )
    )


def main() -> None:
    args = parse_args()
    if args.demo and args.db == "checkpoint_pages":
        args.db = "checkpoint_pages_demo"
    data.use_dedicated_database(args.db, debug=False)  # as production runs: DEBUG off
    if args.demo:
        seed_demo_in(os.environ["DATABASE_URL"])
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    data.setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest DEBUG-off needs
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from checkpoint.models import Case

    if args.demo:
        results = time_demo(args.repeat)
        report(results, f"cases={Case.objects.count()} demo=1 ")
        return
    now = timezone.now()
    if not args.reuse or not Case.objects.exists():
        print(f"generating {args.n:,} cases ...", flush=True)
        print(f"generated in {data.generate(args.n, now):.1f} s", flush=True)
    navigators = spread_over_navigators(args.n, args.per_navigator)
    split_into_teams(navigators, args.team_size)
    User = get_user_model()
    # A navigator from the middle of the list, with an active case to open.
    middle = navigators[len(navigators) // 2 :]
    case = Case.objects.filter(navigator_id__in=middle, state="active").order_by("pk").first()
    navigator = User.objects.get(pk=case.navigator_id)
    client = Client()
    sign_in(client, navigator)
    results = {
        "caseload": time_page(client, "/caseload/", args.repeat),
        "case_page": time_page(client, f"/cases/{case.reference}/", args.repeat),
    }
    supervisor = supervisor_of(navigator)
    sign_in(client, supervisor)
    results["team_dashboard"] = time_page(client, "/team/", args.repeat)
    results["team_cases"] = time_page(client, "/team/cases/", args.repeat)
    breach = Case.objects.filter(state="breach_review", navigator__isnull=False).first()
    if breach is not None:  # as the supervisor of that case's team
        sign_in(client, supervisor_of(breach.navigator))
        url = f"/team/cases/{breach.reference}/breach/"
        results["breach_review"] = time_page(client, url, args.repeat)
    total = Case.objects.count()
    mine = Case.objects.filter(navigator=navigator).count()
    team_cases = Case.objects.filter(team=navigator.staff_profile.team).count()
    print(f"team of {args.team_size} navigators holds {team_cases:,} of {total:,} cases")
    report(results, f"cases={total} navigator_cases={mine} team_cases={team_cases} ")


if __name__ == "__main__":
    main()
