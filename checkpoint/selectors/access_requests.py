"""Reads for the access screens (four eyes on access): accounts, requests and their audit trail.

Administrators only (``roles.MANAGE_ACCESS``, or a superuser): anyone else is refused before
anything is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from checkpoint import roles
from checkpoint.errors import RecordNotFound
from checkpoint.models import AccessAuditLog, AccessRequest, AccessRequestStatus, StaffProfile

User = get_user_model()

REFUSAL = "Only an administrator can manage staff access."


def require_access_manager(user) -> None:
    if not (user.is_authenticated and user.is_active and user.has_perm(roles.MANAGE_ACCESS)):
        raise PermissionDenied(REFUSAL)


def accounts_for(user, *, search: str = "") -> QuerySet:
    """Every staff account, with its roles, team and whether an authenticator app is set up."""
    require_access_manager(user)
    accounts = (
        User.objects.order_by("username")
        .prefetch_related("groups")
        .annotate(
            has_authenticator=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            ),
            has_pending=Exists(
                AccessRequest.objects.filter(
                    user=OuterRef("pk"),
                    status=AccessRequestStatus.PENDING,
                    expires_at__gt=timezone.now(),
                )
            ),
        )
        .prefetch_related(
            Prefetch("staff_profile", queryset=StaffProfile.objects.select_related("team"))
        )
    )
    text = search.strip()
    if text:
        accounts = accounts.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
        )
    return accounts


def account_for(user, account_id: int):
    """One account, for a request about it."""
    require_access_manager(user)
    found = accounts_for(user).filter(pk=account_id).first()
    if found is None:
        raise RecordNotFound("There is no such account.")
    return found


def team_of(account):
    profile = getattr(account, "staff_profile", None)
    return profile.team if profile is not None else None


def pending_requests_for(user) -> QuerySet:
    """Requests waiting for approval (expired ones are shown with the recent decisions)."""
    require_access_manager(user)
    return (
        AccessRequest.objects.filter(
            status=AccessRequestStatus.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("user", "requested_by", "team", "team_before")
        .order_by("expires_at", "pk")
    )


def recent_requests_for(user, limit: int = 20) -> list[AccessRequest]:
    """The latest requests decided, applied or expired, newest first."""
    require_access_manager(user)
    done = AccessRequest.objects.exclude(
        status=AccessRequestStatus.PENDING, expires_at__gt=timezone.now()
    )
    return list(
        done.select_related("user", "requested_by", "decided_by", "team", "team_before")[:limit]
    )


@dataclass(frozen=True)
class RequestView:
    request: AccessRequest
    events: list[AccessAuditLog]


def request_for(user, request_id: int) -> RequestView:
    require_access_manager(user)
    found = (
        AccessRequest.objects.select_related(
            "user", "requested_by", "decided_by", "team", "team_before"
        )
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise RecordNotFound("There is no such access request.")
    events = list(
        AccessAuditLog.objects.filter(request=found).select_related("actor").order_by("at", "pk")
    )
    return RequestView(found, events)


def access_log_for(user, *, limit: int = 50) -> list[AccessAuditLog]:
    """The latest steps of every access change and enrolment, newest first."""
    require_access_manager(user)
    return list(AccessAuditLog.objects.select_related("actor", "user", "request")[:limit])
