from checkpoint.dates import local_date
from checkpoint.services.retention import retention_review

from ._scheduled import ScheduledCommand


class Command(ScheduledCommand):
    help = "List closed cases past their retention period for review (idempotent)."

    def handle(self, *args, **options):
        now = self.now(options)
        listed = retention_review(today=local_date(now), now=now)
        self.stdout.write(f"Retention review: {listed} cases newly listed for review.")
