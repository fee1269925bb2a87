"""Build the demo: accounts for every role, a service directory and ~300 cases in every state.

Idempotent: accounts and providers are created or reset; cases are built only once (a second
run finds them and leaves them alone). Refuses to run with DEBUG off unless --force.
"""

from __future__ import annotations

import logging
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo.directory import ensure_directory
from demo.journeys import Cast, Journey, demo_cases_exist, plan_targets
from demo.staff import ensure_staff


class Command(BaseCommand):
    help = "Create demo accounts, a service directory and a few hundred demo cases."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow running with DEBUG off (never on real data).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo writes demo accounts with a published password; "
                "it runs only with DEBUG on (or --force on a throwaway database)."
            )
        started = time.monotonic()
        with transaction.atomic():
            users = ensure_staff()
            providers = ensure_directory()
        if demo_cases_exist():
            self.stdout.write("Demo accounts and directory refreshed; demo cases already exist.")
            return
        # One INFO line per transition is right in service, noise while building ~1,200 of them.
        logging.getLogger("checkpoint.services").setLevel(logging.WARNING)
        cast = self._cast(users, providers)
        today = timezone.localdate()
        targets = plan_targets()
        for index, target in enumerate(targets):
            with transaction.atomic():
                # Seeded random for reproducible demo data, no security use (B311).
                Journey(index, target, cast, random.Random(index), today).build()  # nosec B311
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {len(targets)} cases in {time.monotonic() - started:.0f} s."
            )
        )

    def _cast(self, users, providers) -> Cast:
        teams = users["_teams"]
        return Cast(
            dm=users["decision"],
            navigators=[users[n] for n in ("navigator", "navigator2", "navigator3", "navigator4")],
            supervisors={teams[0].pk: users["supervisor"], teams[1].pk: users["supervisor2"]},
            teams=teams,
            providers=providers,
        )
