from checkpoint.actors import SYSTEM
from checkpoint.services.allocation import unallocated_alerts

from ._scheduled import ScheduledCommand


class Command(ScheduledCommand):
    help = "Alert supervisors to cases left unallocated too long (idempotent)."

    def handle(self, *args, **options):
        alerted = unallocated_alerts(by=SYSTEM, now=self.now(options))
        self.stdout.write(f"Unallocated cases alerted to their supervisors: {alerted}.")
