from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications import outbox


class Command(BaseCommand):
    help = "Deliver due outbox messages now, after recovering any a stopped worker left."

    def handle(self, *args, **options):
        now = timezone.now()
        recovered = outbox.reconcile_stuck(now=now)
        totals = {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0}
        while True:
            counts = outbox.deliver_due(now=now)
            for key, value in counts.items():
                totals[key] += value
            if not any(counts.values()):
                break
        self.stdout.write(f"Recovered {recovered}; delivered {totals}")
