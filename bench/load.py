"""Benchmark: navigators and supervisors at once against gunicorn on PostgreSQL, ramped to the knee.

Usage (PostgreSQL; works in the pages benchmark's own database, ``checkpoint_pages``):

    .tools/bin/uv sync --locked --extra dev --extra bench    # locust (not in the Quick start)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/checkpoint \\
        .venv/bin/python bench/load.py --n 1000000 --reuse

1. Makes sure the database holds N generated cases (bench/pages.py's generator, spread over
   navigators in teams of ten; ``--reuse`` keeps what a previous run generated).
2. Prepares the staff accounts the simulated users work as: navigators with active cases and
   the supervisors of their teams, each signed in with both factors (a server-side session, as
   after the real sign-in; sign-in itself is not part of the measured mix).
3. Starts gunicorn (``--workers`` sync workers, DEBUG off, static files collected) on the
   database, as production runs it behind a TLS proxy (TLS itself is not measured).
4. For each step of ``--steps`` concurrent users, runs locust headless (bench/locustfile.py):
   users spawn at ``--spawn-rate`` per second, the statistics are reset once all have started,
   then ``--step-seconds`` of work are measured. Meanwhile it samples the database's
   connections (pg_stat_activity) twice a second. It stops after the first step whose 95th
   percentile exceeds ``--stop-p95-ms`` (1 s) or that has any failed request.

It prints, per step, requests per second, p50/p95/p99 of all requests and of each page, failures
and the most database connections seen, then the knee: the last step with p95 within the limit
and no failures. It measures; it does not assert.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess  # nosec B404 - runs gunicorn and locust from this virtualenv
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages
import sweep as data

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="cases (default 1,000,000)")
    parser.add_argument("--db", default="checkpoint_pages", help="dedicated database name")
    parser.add_argument("--reuse", action="store_true", help="keep data already generated")
    parser.add_argument(
        "--steps",
        default="50,100,200,300,400,600,800,1000,1500",
        help="concurrent users per step",
    )
    parser.add_argument("--step-seconds", type=int, default=60, help="measured time per step")
    parser.add_argument("--spawn-rate", type=float, default=20, help="users started per second")
    parser.add_argument("--wait-min", type=float, default=5, help="think time, seconds (min)")
    parser.add_argument("--wait-max", type=float, default=15, help="think time, seconds (max)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--stop-p95-ms", type=float, default=1000)
    parser.add_argument(
        "--out", default="var/load", help="folder for the CSVs and logs (default var/load)"
    )
    return parser.parse_args()


def ensure_cases(n: int, reuse: bool) -> None:
    from django.utils import timezone

    from checkpoint.models import Case

    if (
        reuse
        and Case.objects.count() >= n * 0.99
        and Case.objects.filter(navigator__isnull=False).exists()
    ):
        return
    print(f"generating {n:,} cases ...", flush=True)
    print(f"generated in {data.generate(n, timezone.now()):.1f} s", flush=True)
    navigators = pages.spread_over_navigators(n, 40)
    pages.split_into_teams(navigators, 10)


def prepare_accounts(navigators: int, supervisors: int, path: Path) -> dict:
    """Sessions for ``navigators`` navigators with active cases and their teams' supervisors."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from checkpoint.models import Case

    User = get_user_model()
    active = (
        Case.objects.filter(state="active", navigator__username__startswith="bench-nav-")
        .order_by("navigator_id")
        .values_list("navigator_id", flat=True)
        .distinct()
    )
    navigator_ids = list(active[:navigators])
    accounts = {"navigators": [], "supervisors": []}
    teams = []
    for user in User.objects.filter(pk__in=navigator_ids).select_related("staff_profile"):
        cases = list(
            Case.objects.filter(navigator=user)
            .exclude(state__in=["exited_no_conviction", "prosecution_referred"])
            .values_list("reference", flat=True)[:20]
        )
        client = Client()  # one each: signing another user in would end the previous session
        pages.sign_in(client, user)
        accounts["navigators"].append(
            {"user": user.username, "session": client.cookies["sessionid"].value, "cases": cases}
        )
        if user.staff_profile.team_id not in [t.pk for t in teams]:
            teams.append(user.staff_profile.team)
    for team in teams[:supervisors]:
        navigator = User.objects.filter(staff_profile__team=team).first()
        supervisor = pages.supervisor_of(navigator)
        breaches = list(
            Case.objects.filter(team=team, state="breach_review").values_list(
                "reference", flat=True
            )[:20]
        )
        client = Client()
        pages.sign_in(client, supervisor)
        accounts["supervisors"].append(
            {
                "user": supervisor.username,
                "session": client.cookies["sessionid"].value,
                "breaches": breaches,
            }
        )
    path.write_text(json.dumps(accounts))
    return accounts


def server_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Production terminates TLS at a proxy; locust speaks plain HTTP to gunicorn here.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "CSRF_TRUSTED_ORIGINS": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


def start_gunicorn(args, env: dict, out: Path) -> subprocess.Popen:
    log = (out / "gunicorn.log").open("w")
    command = [
        str(BIN / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--backlog",
        "2048",
        "--timeout",
        "60",
        # The server's own time per request (microseconds), beside locust's client-side figures.
        "--access-logfile",
        str(out / "access.log"),
        "--access-logformat",
        "%(m)s %(U)s %(s)s %(D)s",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603 # nosec B603
    for _ in range(120):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2):  # nosec B310
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit(f"gunicorn did not answer /healthz; see {out / 'gunicorn.log'}")


def cpu_seconds(server_pid: int, database: str) -> dict[str, float]:
    """CPU time used so far by this run's gunicorn, its database, locust, and the rest.

    Only this run's processes count: gunicorn's master and its workers, PostgreSQL's
    background processes and the backends connected to ``database`` (a test suite's gunicorn
    or backends elsewhere on the machine would otherwise be counted as ours); ``other`` is
    everything else the machine ran meanwhile, so a step measured on a busy machine shows it.
    """
    tick = os.sysconf("SC_CLK_TCK")
    used = {"app": 0.0, "database": 0.0, "locust": 0.0, "other": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue  # the process ended meanwhile
        pid, parent = int(stat.parent.name), int(fields[1])
        kind = (
            "app"
            if server_pid in (pid, parent)
            else "database"
            if _ours_in_postgres(command, database)
            else None
        )
        if kind:  # utime and stime of the process and of its waited-for children
            used[kind] += sum(int(f) for f in fields[11:15]) / tick
    mine = os.times()  # locust runs as this process's child: counted once it has ended
    used["locust"] += mine.children_user + mine.children_system
    with open("/proc/stat") as machine:  # user nice system idle iowait irq softirq steal
        busy = [int(v) for v in machine.readline().split()[1:9]]
    total = (sum(busy) - busy[3] - busy[4]) / tick
    used["other"] = total - sum(used.values()) - (mine.user + mine.system)
    return used


def _ours_in_postgres(command: bytes, database: str) -> bool:
    """A PostgreSQL process serving this benchmark: a background process (checkpointer, WAL
    writer...) or a backend connected to ``database`` ("postgres: [cluster:] user database
    host(port) state")."""
    words = command.split()
    if not words or not (words[0] == b"postgres:" or words[0].endswith(b"/postgres")):
        return False
    is_backend = any((w.endswith(b")") and b"(" in w) or w == b"[local]" for w in words)
    return not is_backend or database.encode() in words


class ConnectionSampler(threading.Thread):
    """The number of connections to the database, sampled twice a second."""

    def __init__(self, database_url: str, database: str):
        super().__init__(daemon=True)
        self.url, self.database = database_url, database
        self.samples: list[int] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(
            self.url.replace("postgres://", "postgresql://"), autocommit=True
        ) as c:
            while not self.stopping.is_set():
                row = c.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                    "pg_backend_pid()",
                    [self.database],
                ).fetchone()
                self.samples.append(row[0])
                self.stopping.wait(0.5)


def run_step(
    args, users: int, accounts_file: Path, out: Path, env: dict, seconds=None, name=None
) -> list[dict]:
    name = name or f"step_{users}"
    prefix = out / name
    seconds = args.step_seconds if seconds is None else seconds
    spawn_seconds = users / args.spawn_rate
    command = [
        str(BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        f"http://127.0.0.1:{args.port}",
        "-u",
        str(users),
        "-r",
        str(args.spawn_rate),
        "-t",
        f"{int(spawn_seconds + seconds + 1)}s",
        "--reset-stats",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    locust_env = {
        **env,
        "LOAD_ACCOUNTS": str(accounts_file),
        "LOAD_WAIT_MIN": str(args.wait_min),
        "LOAD_WAIT_MAX": str(args.wait_max),
    }
    with (out / f"{name}.log").open("w") as log:
        subprocess.run(command, cwd=ROOT, env=locust_env, stdout=log, stderr=log, check=False)  # noqa: S603 # nosec B603
    with open(f"{prefix}_stats.csv") as stats:
        return list(csv.DictReader(stats))


def figures(row: dict) -> dict:
    def number(key: str) -> float:  # locust writes N/A for a page with no request
        return float(row[key]) if row[key] not in ("", "N/A") else float("nan")

    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": number("Requests/s"),
        "p50": number("50%"),
        "p95": number("95%"),
        "p99": number("99%"),
    }


def main() -> None:
    args = parse_args()
    out = ROOT / args.out  # relative to the project, unless absolute
    out.mkdir(parents=True, exist_ok=True)
    data.use_dedicated_database(args.db, debug=False)
    database_url = os.environ["DATABASE_URL"]
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    data.setup_django()
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    ensure_cases(args.n, args.reuse)
    steps = [int(s) for s in args.steps.split(",")]
    accounts_file = out / "accounts.json"
    accounts = prepare_accounts(max(steps), max(1, max(steps) // 10), accounts_file)
    print(
        f"{len(accounts['navigators'])} navigator and {len(accounts['supervisors'])} supervisor"
        f" accounts prepared; gunicorn with {args.workers} workers",
        flush=True,
    )
    from django.db import connection

    connection.close()
    env = server_env(database_url)
    server = start_gunicorn(args, env, out)
    results = []
    try:
        # Warm-up, not reported: every worker imports, compiles templates and connects.
        run_step(args, min(steps[0], 20), accounts_file, out, env, seconds=20, name="warmup")
        for users in steps:
            sampler = ConnectionSampler(database_url, args.db)
            sampler.start()
            cpu_before, started = cpu_seconds(server.pid, args.db), time.monotonic()
            rows = run_step(args, users, accounts_file, out, env)
            elapsed = time.monotonic() - started
            cpu = {
                k: (v - cpu_before[k]) / elapsed
                for k, v in cpu_seconds(server.pid, args.db).items()
            }
            sampler.stopping.set()
            sampler.join()
            total = figures(next(r for r in rows if r["Name"] == "Aggregated"))
            total["users"] = users
            total["db_connections_max"] = max(sampler.samples, default=0)
            results.append(total)
            print(
                f"\n== {users} users: {total['rps']:.1f} req/s, p50 {total['p50']:.0f} ms, "
                f"p95 {total['p95']:.0f} ms, p99 {total['p99']:.0f} ms, "
                f"{total['failures']} failures of {total['requests']}, "
                f"db connections max {total['db_connections_max']}; cores used: "
                + ", ".join(f"{kind} {cores:.2f}" for kind, cores in cpu.items())
            )
            for row in rows:
                if row["Name"] != "Aggregated":
                    f = figures(row)
                    print(
                        f"  {row['Type']:>4} {row['Name']:<24} {f['requests']:>6} req "
                        f"{f['rps']:6.1f}/s  p50 {f['p50']:>5.0f}  p95 {f['p95']:>5.0f}  "
                        f"p99 {f['p99']:>5.0f} ms  failures {f['failures']}"
                    )
            sys.stdout.flush()
            if total["p95"] > args.stop_p95_ms or total["failures"]:
                break
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    within = [r for r in results if r["p95"] <= args.stop_p95_ms and not r["failures"]]
    knee = within[-1] if within else None
    print()
    if knee:
        print(
            f"knee_users={knee['users']} knee_rps={knee['rps']:.1f} knee_p95_ms={knee['p95']:.0f} "
            f"knee_p99_ms={knee['p99']:.0f} knee_db_connections={knee['db_connections_max']} "
            f"workers={args.workers} cases={args.n}"
        )
    else:
        print("knee: none - the first step already exceeded the limit or failed")


if __name__ == "__main__":
    main()
