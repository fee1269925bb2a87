from checkpoint.actors import SYSTEM
from checkpoint.services.sweep import compliance_sweep

from ._scheduled import ScheduledCommand


class Command(ScheduledCommand):
    help = "Run the daily compliance sweep now (idempotent)."

    def handle(self, *args, **options):
        self.report(compliance_sweep(by=SYSTEM, now=self.now(options)), "Compliance sweep")
