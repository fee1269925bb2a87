"""Records of the scheduled work: sweep runs and prosecution-deadline alerts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from .base import choices_check
from .case import Case


class SweepKind(models.TextChoices):
    COMPLIANCE = "compliance", "Compliance sweep"
    DEADLINES = "deadlines", "Prosecution-deadline watch"
    DIGEST = "digest", "Staff morning digest"


class SweepStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    ABANDONED = "abandoned", "Abandoned (worker stopped)"


class SweepRun(models.Model):
    """One run of a periodic job. At most one run of a kind is 'running' at a time (a unique
    constraint), so a long run overlapping the next schedule makes the second one skip."""

    kind = models.CharField(max_length=20, choices=SweepKind.choices)
    status = models.CharField(
        max_length=10, choices=SweepStatus.choices, default=SweepStatus.RUNNING
    )
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    for_date = models.DateField()
    examined = models.PositiveIntegerField(default=0)
    findings = models.PositiveIntegerField(default=0)
    stats = models.JSONField(default=dict)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            choices_check("kind", SweepKind),
            choices_check("status", SweepStatus),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(status="running"), name="sweeprun_one_running_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds(), 2)


class DeadlineAlert(models.Model):
    """An escalating alert that a case's s.127 deadline is near, raised once per threshold."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deadline_alerts")
    threshold_days = models.PositiveSmallIntegerField()
    deadline = models.DateField()
    days_left = models.IntegerField()
    raised_at = models.DateTimeField()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "threshold_days"], name="deadlinealert_once_per_threshold"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.threshold_days}-day deadline alert"
