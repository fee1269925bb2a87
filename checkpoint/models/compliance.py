"""Compliance: events, warnings, breach reviews and the case outcome."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .base import choices_check
from .case import Case


class ComplianceKind(models.TextChoices):
    MISSED_APPOINTMENT = "missed_appointment", "Appointment outcome overdue"
    UNACCEPTABLE_ABSENCE = "unacceptable_absence", "Unacceptable absence"
    HOURS_BEHIND = "hours_behind", "Community hours behind schedule"
    RESTORATIVE_OVERDUE = "restorative_overdue", "Restorative outcome overdue"
    NEW_OFFENCE = "new_offence", "New offence reported"
    END_DATE_REACHED = "end_date_reached", "Contract end date reached"
    OTHER = "other", "Other non-compliance"


# Findings about staff work, not the participant's conduct: an outcome not yet recorded, the
# restorative outcome not yet reported, the end date reached. They are tasks for staff and never
# count as the participant's non-compliance (the breach review and the prosecution file).
STAFF_TASK_KINDS = frozenset(
    {
        ComplianceKind.MISSED_APPOINTMENT,
        ComplianceKind.RESTORATIVE_OVERDUE,
        ComplianceKind.END_DATE_REACHED,
    }
)


class EventStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ResolvedHow(models.TextChoices):
    OUTCOME_RECORDED = "outcome_recorded", "Outcome recorded"
    EXPLAINED = "explained", "Explained"
    WARNING_ISSUED = "warning_issued", "Warning issued"


class ComplianceEventQuerySet(models.QuerySet["ComplianceEvent"]):
    def open(self) -> Self:
        return self.filter(status=EventStatus.OPEN)

    def participant(self) -> Self:
        """The participant's own non-compliance (not staff tasks)."""
        return self.exclude(kind__in=sorted(STAFF_TASK_KINDS))

    def staff_tasks(self) -> Self:
        return self.filter(kind__in=sorted(STAFF_TASK_KINDS))


class ComplianceEvent(models.Model):
    """A finding of (possible) non-compliance, raised by a navigator or the scheduled sweep.

    ``dedupe_key`` is unique: the sweep derives it from what it found (e.g. the appointment id),
    so running the sweep again, or in two workers at once, records each finding once.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="compliance_events")
    kind = models.CharField(max_length=30, choices=ComplianceKind.choices)
    occurred_on = models.DateField()
    detail = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the scheduled sweep raised it.",
    )
    raised_at = models.DateTimeField()
    dedupe_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(blank=True, help_text="How it was resolved, or why withdrawn.")
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.OPEN)
    resolved_how = models.CharField(max_length=20, choices=ResolvedHow.choices, blank=True)

    objects = ComplianceEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [
            models.Index(
                fields=["case"], condition=Q(resolved_at__isnull=True), name="compliance_open_idx"
            )
        ]
        constraints = [
            choices_check("kind", ComplianceKind),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True)
                | (Q(resolved_by__isnull=False) & ~Q(resolution="")),
                name="complianceevent_resolution_complete",
            ),
            choices_check("status", EventStatus),
            choices_check("resolved_how", ResolvedHow, blank=True),
            models.CheckConstraint(
                condition=(Q(status=EventStatus.OPEN) & Q(resolved_at__isnull=True))
                | (
                    Q(status=EventStatus.RESOLVED)
                    & Q(resolved_at__isnull=False)
                    & ~Q(resolved_how="")
                )
                | (Q(status=EventStatus.WITHDRAWN) & Q(resolved_at__isnull=False)),
                name="complianceevent_status_consistent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case})"

    @property
    def is_staff_task(self) -> bool:
        return self.kind in STAFF_TASK_KINDS


class ComplianceWarning(models.Model):
    """A formal warning issued by the navigator about one or more compliance events."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="warnings")
    events = models.ManyToManyField(ComplianceEvent, blank=True, related_name="warnings")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_on = models.DateField()
    # When it was recorded (the timeline sorts by it; ``issued_on`` is the day it was given).
    recorded_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="warning_reason_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Warning on {self.case} ({self.issued_on})"


class BreachDecisionKind(models.TextChoices):
    CONTINUE = "continue", "Continue the contract"
    VARY = "vary", "Vary the contract"
    TERMINATE = "terminate", "Terminate the contract"


class BreachReview(models.Model):
    """A navigator's referral of a breach and the supervisor's decision on it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="breach_reviews")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField()
    recommendation = models.TextField()
    decision = models.CharField(max_length=10, choices=BreachDecisionKind.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["-referred_at", "-pk"]
        constraints = [
            choices_check("decision", BreachDecisionKind, blank=True),
            models.CheckConstraint(
                condition=Q(decision="")
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False) & ~Q(reasons="")),
                name="breachreview_decision_complete",
            ),
            # At most one undecided review per case.
            models.UniqueConstraint(
                fields=["case"], condition=Q(decision=""), name="breachreview_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Breach review of {self.case} ({self.decision or 'awaiting decision'})"


class OutcomeKind(models.TextChoices):
    EXITED_NO_CONVICTION = "exited_no_conviction", "Exited without conviction"
    PROSECUTION_REFERRED = "prosecution_referred", "Referred for prosecution"


class Outcome(models.Model):
    """How the case ended, with what an evaluation needs (reoffending, 24-month follow-up)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="outcome")
    kind = models.CharField(max_length=25, choices=OutcomeKind.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField()
    reoffended_during_contract = models.BooleanField(default=False)
    follow_up_due_on = models.DateField()
    within_time_limit = models.BooleanField(
        null=True,
        help_text="For prosecution referrals of summary-only offences: referred "
        "on or before the s.127 deadline.",
    )
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            choices_check("kind", OutcomeKind),
            models.CheckConstraint(
                condition=Q(follow_up_due_on__gt=models.F("decided_on")),
                name="outcome_follow_up_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()}"
