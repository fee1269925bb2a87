"""The transactional outbox: messages written in the same transaction as their cause.

A ``Message`` row is the truth about a notification. Workers deliver due rows; the broker only
wakes workers up, so a broker outage delays messages but loses none, and no web request ever
waits on the broker. ``dedupe_key`` is unique, so whatever writes a message twice (a retried
request, two sweeps at once) writes it once.

Lifecycle: pending -> sending (claimed by one worker) -> sent | pending (retry with backoff) |
failed; pending -> cancelled (appointment changed, consent withdrawn); sending -> cancelled (a
reminder whose appointment had already started or was cancelled by the time it was due).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    SMS = "sms", "SMS"
    EMAIL = "email", "Email"


class Audience(models.TextChoices):
    PARTICIPANT = "participant", "Participant"
    VICTIM = "victim", "Victim"
    STAFF = "staff", "Staff"


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Message(models.Model):
    dedupe_key = models.CharField(max_length=150, unique=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    audience = models.CharField(max_length=15, choices=Audience.choices)
    recipient = models.CharField(max_length=254, help_text="Phone number or email address.")
    template = models.CharField(max_length=60)
    context = models.JSONField(default=dict)
    case = models.ForeignKey(
        "checkpoint.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "checkpoint.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appointment = models.ForeignKey(
        "checkpoint.Appointment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # A file sent with an email (the signed contract, with the participant's consent).
    document = models.ForeignKey(
        "checkpoint.ConsentDocument",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    send_after = models.DateTimeField(help_text="Due time: not sent before this.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=64, blank=True)
    provider_status = models.CharField(max_length=40, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="message_due_idx",
            ),
            models.Index(fields=["status", "claimed_at"], name="message_status_claimed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed", "cancelled"]),
                name="message_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | (Q(sent_at__isnull=False) & ~Q(provider_id="")),
                name="message_sent_has_provider_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} ({self.channel}, {self.status})"

    @property
    def reference(self) -> str:
        """Our reference at the provider: lets a restarted worker ask whether it was sent."""
        return f"checkpoint-message-{self.pk}"


class FakeDelivery(models.Model):
    """What the fake Notify gateway 'sent' (embedded default and tests). Never used in
    production, where GOV.UK Notify holds the record."""

    provider_id = models.CharField(max_length=64, unique=True)
    reference = models.CharField(max_length=80, db_index=True)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    # A file sent by email: what Notify would have been given (never the file itself).
    file_name = models.CharField(max_length=100, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_confirm_email = models.BooleanField(null=True)
    file_retention_period = models.CharField(max_length=20, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name_plural = "fake deliveries"

    def __str__(self) -> str:
        return f"{self.channel} to {self.recipient} ({self.reference})"
