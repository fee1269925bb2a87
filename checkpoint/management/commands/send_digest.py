from checkpoint.actors import SYSTEM
from checkpoint.services.digest import staff_digest

from ._scheduled import ScheduledCommand


class Command(ScheduledCommand):
    help = "Write today's staff digests to the outbox (once per person per day)."

    def handle(self, *args, **options):
        self.report(staff_digest(by=SYSTEM, now=self.now(options)), "Staff digest")
