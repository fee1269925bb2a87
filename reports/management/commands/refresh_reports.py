from checkpoint.management.commands._scheduled import ScheduledCommand
from reports.services import report_facts_refresh, report_facts_refresh_if_empty


class Command(ScheduledCommand):
    help = "Rebuild the reports' summary tables now (idempotent; also run nightly by Celery)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only if the tables were never built (a fresh database); run at start-up.",
        )

    def handle(self, *args, **options):
        if options["if_empty"]:
            refresh = report_facts_refresh_if_empty(now=self.now(options))
            if refresh is None:
                self.stdout.write("Report figures already built; the nightly rebuild keeps them.")
                return
        else:
            refresh = report_facts_refresh(now=self.now(options))
        self.stdout.write(
            f"Report figures refreshed: {refresh.cases} cases in {refresh.seconds} s, "
            f"as at {refresh.refreshed_at:%Y-%m-%d %H:%M}."
        )
