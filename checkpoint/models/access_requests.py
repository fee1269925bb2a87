"""Four eyes on access: changes to who reaches cases, asked for by one administrator and
approved by another, and the one-time links that let a person set up their authenticator app.

``AccessRequest``: one change to one account, in one of these states:

- ``pending``: asked for, waiting for a second administrator (or a superuser); it lapses at
  ``expires_at`` (``ACCESS_REQUEST_EXPIRY_HOURS``) and can then only be looked at;
- ``approved``: a second person approved it and the change was applied in the same transaction;
- ``rejected``: a second person (or the requester, withdrawing it) turned it down, with a reason;
- ``applied``: a change that only narrows access (roles taken away, team removed), applied at
  once by the one administrator who asked (nothing to approve: it reaches no more cases).

``AccessAuditLog``: every step above, and every enrolment link issued, opened and used, and
every authenticator app set up or removed; append-only (PostgreSQL triggers, as the other audit
tables).

``EnrolmentLink``: a one-time link for setting up an authenticator app; only a hash of its
token is stored. It is good once, for ``ENROLMENT_LINK_HOURS``, and only for its user.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone

from .base import choices_check
from .staff import Team


class AccessRequestKind(models.TextChoices):
    CHANGE = "change", "Change of roles or team"
    RESET_AUTHENTICATOR = "reset_authenticator", "Replace authenticator app"


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    APPLIED = "applied", "Applied (access only reduced)"


class AccessRequest(models.Model):
    kind = models.CharField(max_length=30, choices=AccessRequestKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="access_requests"
    )
    add_roles = models.JSONField(default=list, blank=True, help_text="Role names to add.")
    remove_roles = models.JSONField(default=list, blank=True, help_text="Role names to remove.")
    changes_team = models.BooleanField(default=False)
    team_before = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The team after the change (when it changes the team).",
    )
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        permissions = [
            ("manage_access", "Can ask for and approve changes to staff access"),
            ("use_audit_screens", "Can search the audit logs and erase at retention"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="accessrequest_status_idx")]
        constraints = [
            choices_check("kind", AccessRequestKind),
            choices_check("status", AccessRequestStatus),
            models.CheckConstraint(condition=~models.Q(reason=""), name="accessrequest_reason"),
        ]

    def __str__(self) -> str:
        return f"Access request {self.pk} for {self.user_id} ({self.status})"

    def is_expired(self, now=None) -> bool:
        return self.status == AccessRequestStatus.PENDING and (now or timezone.now()) >= (
            self.expires_at
        )

    @property
    def status_label(self) -> str:
        if self.is_expired():
            return "Expired"
        return self.get_status_display()

    def summary(self) -> str:
        """What the request changes, in words."""
        if self.kind == AccessRequestKind.RESET_AUTHENTICATOR:
            return "Remove the authenticator app and issue a new enrolment link"
        parts = []
        if self.add_roles:
            parts.append("add " + ", ".join(self.add_roles))
        if self.remove_roles:
            parts.append("remove " + ", ".join(self.remove_roles))
        if self.changes_team:
            before = self.team_before.name if self.team_before else "no team"
            after = self.team.name if self.team else "no team"
            parts.append(f"move from {before} to {after}")
        text = "; ".join(parts) or "no change"
        return text[0].upper() + text[1:]


class AccessEvent(models.TextChoices):
    REQUESTED = "requested", "Change asked for"
    APPROVED = "approved", "Change approved and applied"
    REJECTED = "rejected", "Change rejected"
    APPLIED = "applied", "Reduction applied"
    LINK_ISSUED = "link_issued", "Enrolment link issued"
    LINK_OPENED = "link_opened", "Enrolment link used"
    AUTHENTICATOR_SET_UP = "authenticator_set_up", "Authenticator app set up"
    AUTHENTICATOR_REMOVED = "authenticator_removed", "Authenticator app removed"


class AccessAuditLog(models.Model):
    """One row per step of an access change or an enrolment. Append-only."""

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The account the step is about.",
    )
    event = models.CharField(max_length=30, choices=AccessEvent.choices)
    request = models.ForeignKey(
        AccessRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    what = models.CharField(max_length=300)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"], name="accessaudit_user_at_idx")]
        constraints = [choices_check("event", AccessEvent)]

    def __str__(self) -> str:
        return f"{self.actor_id}: {self.event} for {self.user_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Access audit rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Access audit rows cannot be deleted.")


class EnrolmentLink(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    request = models.ForeignKey(
        AccessRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Enrolment link for {self.user_id}"
