from checkpoint.management.commands._scheduled import ScheduledCommand
from reports.services import report_facts_refresh


class Command(ScheduledCommand):
    help = "Rebuild the reports' summary tables now (idempotent; also run nightly by Celery)."

    def handle(self, *args, **options):
        refresh = report_facts_refresh(now=self.now(options))
        self.stdout.write(
            f"Report figures refreshed: {refresh.cases} cases in {refresh.seconds} s, "
            f"as at {refresh.refreshed_at:%Y-%m-%d %H:%M}."
        )
