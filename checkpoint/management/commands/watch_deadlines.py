from checkpoint.actors import SYSTEM
from checkpoint.services.deadlines import deadline_watch

from ._scheduled import ScheduledCommand


class Command(ScheduledCommand):
    help = "Raise prosecution-deadline alerts now (each threshold alerts once)."

    def handle(self, *args, **options):
        self.report(deadline_watch(by=SYSTEM, now=self.now(options)), "Deadline watch")
