"""Shared shape of the scheduled-work commands: an optional --now for back-filling."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime


class ScheduledCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--now", help="Run as if it were this ISO datetime (default: now).")

    def now(self, options):
        if not options.get("now"):
            return timezone.now()
        moment = parse_datetime(options["now"])
        if moment is None:
            raise CommandError("--now must be an ISO datetime, e.g. 2026-11-23T06:00:00+00:00")
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)

    def report(self, run, what: str) -> None:
        if run is None:
            self.stdout.write(f"{what} skipped: another run is in progress.")
        else:
            self.stdout.write(
                f"{what}: {run.examined} examined, {run.findings} findings, "
                f"{run.seconds} s, {run.stats}"
            )
