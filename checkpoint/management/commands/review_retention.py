from checkpoint.actors import SYSTEM
from checkpoint.dates import local_date
from checkpoint.services.consent import consent_orphans_remove
from checkpoint.services.retention import retention_review

from ._scheduled import ScheduledCommand


class Command(ScheduledCommand):
    help = (
        "List closed cases past their retention period for review, and delete consent scan "
        "files no document points to (idempotent)."
    )

    def handle(self, *args, **options):
        now = self.now(options)
        orphans = consent_orphans_remove(by=SYSTEM, now=now)
        listed = retention_review(by=SYSTEM, today=local_date(now), now=now)
        self.stdout.write(f"Retention review: {listed} cases newly listed for review.")
        self.stdout.write(f"Consent scan files with no document deleted: {orphans}.")
