"""The four months of supervision: appointments, community hours, new offences."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .base import TimeStamped, choices_check
from .case import Case, Withdrawable, withdrawal_complete
from .contract import CommunityCondition, PathwayReferral
from .offence import OffenceType


class AppointmentKind(models.TextChoices):
    NAVIGATOR = "navigator", "Navigator meeting"
    SERVICE = "service", "Pathway service session"
    RESTORATIVE = "restorative", "Restorative session"
    COMMUNITY = "community", "Community work session"


class AppointmentOutcome(models.TextChoices):
    ATTENDED = "attended", "Attended"
    ACCEPTABLE_ABSENCE = "acceptable_absence", "Acceptable absence"
    UNACCEPTABLE_ABSENCE = "unacceptable_absence", "Unacceptable absence"
    RESCHEDULED = "rescheduled", "Rescheduled"


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def awaiting_outcome(self, before: datetime) -> Self:
        """Appointments that started before ``before`` with no outcome recorded."""
        return self.filter(outcome="", starts_at__lt=before)


class Appointment(TimeStamped):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appointments")
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    referral = models.ForeignKey(
        PathwayReferral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointments",
    )
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=60)
    location = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=25, choices=AppointmentOutcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rescheduled_to = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="rescheduled_from"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Cancelled (not rescheduled): kept, with who, when and why; its reminders are stopped.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["case", "starts_at"], name="appointment_case_start_idx"),
            # Appointments still awaiting an outcome, by case: the sweep and the caseload.
            models.Index(
                fields=["case", "starts_at"],
                condition=Q(outcome=""),
                name="appointment_pending_case_idx",
            ),
        ]
        constraints = [
            choices_check("kind", AppointmentKind),
            choices_check("outcome", AppointmentOutcome, blank=True),
            models.CheckConstraint(
                condition=Q(outcome="")
                | (Q(outcome_recorded_at__isnull=False) & Q(outcome_recorded_by__isnull=False)),
                name="appointment_outcome_recorded",
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5) & Q(duration_minutes__lte=480),
                name="appointment_duration_range",
                violation_error_message="An appointment lasts between 5 minutes and 8 hours.",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True)
                | (Q(cancelled_by__isnull=False) & ~Q(cancel_reason="") & Q(outcome="")),
                name="appointment_cancellation_complete",
                violation_error_message="A cancellation needs who cancelled it and why, and no "
                "outcome.",
            ),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at)
        return f"{self.get_kind_display()} on {when:%a %-d %b %Y at %H:%M}"


class HoursStatus(models.TextChoices):
    SELF_REPORTED = "self_reported", "Self-reported"
    VERIFIED = "verified", "Verified"


class HoursLogEntry(TimeStamped, Withdrawable):
    """A session of community work. Self-reported until a provider or navigator verifies it."""

    community_condition = models.ForeignKey(
        CommunityCondition, on_delete=models.PROTECT, related_name="hours_log"
    )
    worked_on = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    activity = models.CharField(max_length=200)
    placement = models.CharField(max_length=150, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the participant reported the hours themselves.",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verifier_name = models.CharField(
        max_length=150, blank=True, help_text="The provider's supervisor who confirmed the hours."
    )

    class Meta:
        ordering = ["worked_on", "pk"]
        verbose_name_plural = "hours log entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=12),
                name="hourslogentry_hours_range",
                violation_error_message="Hours in one session must be more than 0 and at most 12.",
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(verified_by__isnull=False),
                name="hourslogentry_verified_by_someone",
            ),
            withdrawal_complete("hourslogentry"),
        ]

    @property
    def status(self) -> str:
        return HoursStatus.VERIFIED if self.verified_at else HoursStatus.SELF_REPORTED


class NewOffenceReport(TimeStamped):
    """A new arrest or charge reported against the Offending condition."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="new_offences")
    offence_type = models.ForeignKey(
        OffenceType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_on = models.DateField()
    reported_on = models.DateField()
    description = models.TextField()
    reference = models.CharField(max_length=40, blank=True, help_text="Custody or crime number.")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_on__gte=models.F("occurred_on")),
                name="newoffencereport_reported_after_occurred",
            ),
        ]


class MatchKind(models.TextChoices):
    EXACT = "exact", "Same PNC ID"
    POSSIBLE = "possible", "Same name and date of birth"


class MatchStatus(models.TextChoices):
    PENDING = "pending", "Awaiting the navigator"
    CONFIRMED = "confirmed", "Confirmed: reported as a new offence"
    DISMISSED = "dismissed", "Not the same person"


class RearrestMatch(models.Model):
    """A person arrested (``new_case``) who matches someone on a running contract
    (``active_case``): the navigator confirms it as a new offence, or dismisses it."""

    active_case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="rearrests")
    new_case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=MatchKind.choices)
    status = models.CharField(
        max_length=10, choices=MatchStatus.choices, default=MatchStatus.PENDING
    )
    found_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True)
    report = models.OneToOneField(
        NewOffenceReport, on_delete=models.PROTECT, null=True, blank=True, related_name="match"
    )

    class Meta:
        ordering = ["-found_at", "-pk"]
        constraints = [
            choices_check("kind", MatchKind),
            choices_check("status", MatchStatus),
            models.UniqueConstraint(
                fields=["active_case", "new_case"], name="rearrestmatch_unique"
            ),
            models.CheckConstraint(
                condition=Q(status=MatchStatus.PENDING)
                | (Q(decided_by__isnull=False) & Q(decided_at__isnull=False)),
                name="rearrestmatch_decision_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: case {self.new_case_id} and {self.active_case_id}"
