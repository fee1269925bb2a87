"""Four eyes on access: no one person can give anyone the reach to cases.

Adding a role (a decision maker, navigator, supervisor or administrator reaches cases; an
analyst reaches the reports), moving someone into a team, and replacing someone's
authenticator app each take two people:

1. an administrator asks (``access_change_request``, ``authenticator_reset_request``), with a
   reason; the request waits ``ACCESS_REQUEST_EXPIRY_HOURS`` (default 72) and then lapses;
2. another administrator, or a superuser, approves it (``access_request_approve``): the change
   is applied in the same transaction. Never the one who asked: that is refused, saying so.
   Either may reject it with a reason (``access_request_reject``); the one who asked, to
   withdraw it.

A change that only takes access away (roles removed, team removed) needs no second person and
is applied at once: stopping someone's reach should not wait.

When the approved change leaves the account without a confirmed authenticator app (a new
account, or a reset), the approval issues a one-time enrolment link (``EnrolmentLink``) that
expires after ``ENROLMENT_LINK_HOURS`` (default 24): the approving administrator passes it on.
Its token is returned once and only its hash is kept. The set-up page shows a new key only to
the account's own holder, signed in with the password, after opening that link
(``enrolment_link_claim``, which uses it up); ``enrolment_complete`` records the set-up.

Every step writes an ``AccessAuditLog`` row (append-only), in the same transaction as the step.
Nobody changes their own access, and only a superuser changes a superuser's.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from checkpoint import roles
from checkpoint.actors import Actor, user_of
from checkpoint.models import (
    AccessAuditLog,
    AccessEvent,
    AccessRequest,
    AccessRequestKind,
    AccessRequestStatus,
    EnrolmentLink,
    StaffProfile,
    Team,
)
from checkpoint.permissions import Permission

from .errors import InvalidInput, NotPermitted, RecordNotFound
from .locking import authorise

SELF_APPROVAL = (
    "You asked for this change, so you cannot approve it. Another administrator must approve it."
)
KEEP_TEAM = object()  # access_change_request(team=...) default: the team stays as it is


def request_expiry_hours() -> int:
    return int(settings.ACCESS_REQUEST_EXPIRY_HOURS)


def enrolment_link_hours() -> int:
    return int(settings.ENROLMENT_LINK_HOURS)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Decision:
    """An approval's result: the request, and the enrolment link's token when one was issued
    (shown once to the approving administrator; only its hash is stored)."""

    request: AccessRequest
    enrolment_token: str | None = None
    link_expires_at: datetime | None = None


def _log(
    *,
    by: User,
    user: User,
    event: AccessEvent,
    what: str,
    reason: str = "",
    request: AccessRequest | None = None,
    now: datetime | None = None,
) -> None:
    AccessAuditLog.objects.create(
        at=now or timezone.now(),
        actor=by,
        user=user,
        event=event,
        what=what[:300],
        reason=reason,
        request=request,
    )


def _account(user_id: int, by: User) -> User:
    try:
        account = User.objects.select_for_update().get(pk=user_id)
    except (User.DoesNotExist, ValueError, TypeError):
        raise RecordNotFound("There is no such account.") from None
    if account.pk == by.pk:
        raise NotPermitted(
            "You cannot change your own access. Ask another administrator to request it."
        )
    if account.is_superuser and not by.is_superuser:
        raise NotPermitted("Only a superuser can change a superuser account.")
    return account


def _reason(text: str, what: str = "Enter why this change is needed") -> str:
    text = (text or "").strip()
    if not text:
        raise InvalidInput(what)
    return text


def _pending(account: User) -> AccessRequest | None:
    return (
        AccessRequest.objects.filter(
            user=account, status=AccessRequestStatus.PENDING, expires_at__gt=timezone.now()
        )
        .select_related("requested_by")
        .first()
    )


def _refuse_if_pending(account: User) -> None:
    waiting = _pending(account)
    if waiting is not None:
        raise InvalidInput(
            f"A request for {account.get_username()} is already waiting for approval (asked "
            f"for by {waiting.requested_by.get_username()} on "
            f"{timezone.localtime(waiting.requested_at):%-d %B %Y at %H:%M}). Approve or "
            "reject it first."
        )


def _current_team(account: User) -> Team | None:
    profile = StaffProfile.objects.filter(user=account).select_related("team").first()
    return profile.team if profile else None


@transaction.atomic
def access_change_request(
    *,
    by: Actor,
    user_id: int,
    roles_wanted: Iterable[str],
    team: Team | object | None = KEEP_TEAM,
    reason: str,
    now: datetime | None = None,
) -> AccessRequest:
    """Ask for ``user_id`` to hold exactly ``roles_wanted`` and be in ``team`` (None: no team;
    ``KEEP_TEAM``: unchanged). A change that adds a role or moves into a team waits for a
    second administrator; one that only takes access away is applied now."""
    authorise(by, Permission.MANAGE_ACCESS)
    actor = user_of(by)
    account = _account(user_id, actor)
    reason = _reason(reason)
    wanted = set(roles_wanted)
    unknown = wanted - set(roles.ALL_ROLES)
    if unknown:
        raise InvalidInput(f"There is no role called {', '.join(sorted(unknown))}")
    held = set(account.groups.values_list("name", flat=True))
    before = _current_team(account)
    changes_team = team is not KEEP_TEAM and team != before
    add, remove = sorted(wanted - held), sorted(held - wanted)
    if not (add or remove or changes_team):
        raise InvalidInput(
            f"This would not change anything: {account.get_username()} already has these "
            "roles and this team"
        )
    now = now or timezone.now()
    widens = bool(add) or (changes_team and team is not None)
    request = _open_request(
        AccessRequestKind.CHANGE,
        account=account,
        actor=actor,
        reason=reason,
        now=now,
        add_roles=add,
        remove_roles=remove,
        changes_team=changes_team,
        team_before=before,
        team=team if changes_team else None,
    )
    if not widens:
        _apply(request)
        _decide(request, by=actor, status=AccessRequestStatus.APPLIED, reason="", now=now)
        _log(
            by=actor,
            user=account,
            event=AccessEvent.APPLIED,
            what=request.summary(),
            request=request,
            now=now,
        )
    return request


@transaction.atomic
def authenticator_reset_request(
    *, by: Actor, user_id: int, reason: str, now: datetime | None = None
) -> AccessRequest:
    """Ask for ``user_id``'s authenticator app to be removed and a new enrolment link issued
    (a lost or replaced phone). A second administrator approves it."""
    authorise(by, Permission.MANAGE_ACCESS)
    actor = user_of(by)
    account = _account(user_id, actor)
    reason = _reason(reason, "Enter why the authenticator app needs replacing")
    return _open_request(
        AccessRequestKind.RESET_AUTHENTICATOR,
        account=account,
        actor=actor,
        reason=reason,
        now=now or timezone.now(),
    )


def _open_request(
    kind: str, *, account: User, actor: User, reason: str, now: datetime, **change: Any
) -> AccessRequest:
    """A new request waiting for a second person (refused while another one for the same
    account waits), lapsing after ``ACCESS_REQUEST_EXPIRY_HOURS``, and its REQUESTED log row."""
    _refuse_if_pending(account)
    request = AccessRequest.objects.create(
        kind=kind,
        user=account,
        reason=reason,
        requested_by=actor,
        requested_at=now,
        expires_at=now + timedelta(hours=request_expiry_hours()),
        **change,
    )
    _log(
        by=actor,
        user=account,
        event=AccessEvent.REQUESTED,
        what=request.summary(),
        reason=reason,
        request=request,
        now=now,
    )
    return request


def _locked_request(request_id: int) -> AccessRequest:
    try:
        return AccessRequest.objects.select_for_update().get(pk=request_id)
    except (AccessRequest.DoesNotExist, ValueError, TypeError):
        raise RecordNotFound("There is no such access request.") from None


def _still_open(request: AccessRequest, now: datetime) -> None:
    if request.status != AccessRequestStatus.PENDING:
        decided = request.get_status_display().lower()
        raise InvalidInput(f"This request was already {decided}: nothing more can be done to it")
    if request.is_expired(now):
        expired = timezone.localtime(request.expires_at)
        raise InvalidInput(
            f"This request expired on {expired:%-d %B %Y at %H:%M}. Ask for the change again "
            "if it is still needed"
        )


def _decide(request: AccessRequest, *, by: User, status: str, reason: str, now: datetime) -> None:
    request.status = status
    request.decided_by = by
    request.decided_at = now
    request.decision_reason = reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])


def _apply(request: AccessRequest) -> None:
    account = request.user
    if request.kind == AccessRequestKind.RESET_AUTHENTICATOR:
        TOTPDevice.objects.filter(user=account).delete()
        return
    groups = roles.sync_roles()
    account.groups.add(*[groups[name] for name in request.add_roles])
    account.groups.remove(*Group.objects.filter(name__in=request.remove_roles))
    if request.changes_team:
        StaffProfile.objects.update_or_create(user=account, defaults={"team": request.team})
    # The admin site is for administrators (and superusers) only.
    is_admin = account.groups.filter(name=roles.ADMINISTRATOR).exists()
    if account.is_staff != (is_admin or account.is_superuser):
        account.is_staff = is_admin or account.is_superuser
        account.save(update_fields=["is_staff"])


@transaction.atomic
def access_request_approve(*, by: Actor, request_id: int, now: datetime | None = None) -> Decision:
    """Approve a pending request and apply it. Refused to the administrator who asked."""
    authorise(by, Permission.MANAGE_ACCESS)
    actor = user_of(by)
    now = now or timezone.now()
    request = _locked_request(request_id)
    if request.requested_by_id == actor.pk:
        raise NotPermitted(SELF_APPROVAL)
    account = _account(request.user_id, actor)
    _still_open(request, now)
    request.user = account
    _apply(request)
    _decide(request, by=actor, status=AccessRequestStatus.APPROVED, reason="", now=now)
    _log(
        by=actor,
        user=account,
        event=AccessEvent.APPROVED,
        what=request.summary(),
        request=request,
        now=now,
    )
    if request.kind == AccessRequestKind.RESET_AUTHENTICATOR:
        _log(
            by=actor,
            user=account,
            event=AccessEvent.AUTHENTICATOR_REMOVED,
            what="Authenticator app removed",
            request=request,
            now=now,
        )
    if TOTPDevice.objects.filter(user=account, confirmed=True).exists():
        return Decision(request)
    token, link = _issue_link(account, by=actor, request=request, now=now)
    return Decision(request, token, link.expires_at)


def _issue_link(
    account: User, *, by: User, request: AccessRequest, now: datetime
) -> tuple[str, EnrolmentLink]:
    """A new one-time link for ``account``; any earlier unused one stops working."""
    EnrolmentLink.objects.filter(user=account, used_at=None, revoked_at=None).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    link = EnrolmentLink.objects.create(
        user=account,
        token_hash=token_hash(token),
        request=request,
        created_by=by,
        created_at=now,
        expires_at=now + timedelta(hours=enrolment_link_hours()),
    )
    _log(
        by=by,
        user=account,
        event=AccessEvent.LINK_ISSUED,
        what=f"Enrolment link issued, valid until {timezone.localtime(link.expires_at):%d/%m/%Y %H:%M}",  # noqa: E501
        request=request,
        now=now,
    )
    return token, link


@transaction.atomic
def access_request_reject(
    *, by: Actor, request_id: int, reason: str, now: datetime | None = None
) -> AccessRequest:
    """Turn a pending request down, with a reason (the one who asked may withdraw it)."""
    authorise(by, Permission.MANAGE_ACCESS)
    actor = user_of(by)
    now = now or timezone.now()
    request = _locked_request(request_id)
    reason = _reason(reason, "Enter why you are rejecting this request")
    if request.user_id == actor.pk:
        raise NotPermitted("You cannot decide a request about your own access.")
    _still_open(request, now)
    _decide(request, by=actor, status=AccessRequestStatus.REJECTED, reason=reason, now=now)
    _log(
        by=actor,
        user=request.user,
        event=AccessEvent.REJECTED,
        what=request.summary(),
        reason=reason,
        request=request,
        now=now,
    )
    return request


# -- The enrolment link, used by the person it was issued for -----------------------------

LINK_UNKNOWN = (
    "This enrolment link is not valid. Check you copied all of it, or ask an administrator "
    "for a new one."
)


def _usable_link(actor: User, token: str, now: datetime, *, lock: bool) -> EnrolmentLink:
    links = EnrolmentLink.objects.select_for_update() if lock else EnrolmentLink.objects
    link = links.filter(token_hash=token_hash(token or "")).first()
    if link is None:
        raise InvalidInput(LINK_UNKNOWN)
    if link.user_id != actor.pk:
        raise NotPermitted(
            "This enrolment link is for another account. Sign out, then open the link again "
            "and sign in as the person it was issued to."
        )
    if link.used_at is not None:
        raise InvalidInput(
            "This enrolment link has already been used. Each link works once: ask an "
            "administrator for a new one."
        )
    if link.revoked_at is not None:
        raise InvalidInput(
            "This enrolment link was replaced by a newer one. Use the newest link you were "
            "given, or ask an administrator for a new one."
        )
    if now >= link.expires_at:
        expired = timezone.localtime(link.expires_at)
        raise InvalidInput(
            f"This enrolment link expired on {expired:%-d %B %Y at %H:%M}. Ask an "
            "administrator for a new one."
        )
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise InvalidInput(
            "You already have an authenticator app set up. To replace it, ask an administrator "
            "to reset it."
        )
    return link


def enrolment_link_check(*, by: Actor, token: str, now: datetime | None = None) -> EnrolmentLink:
    """The enrolment link ``token`` if ``by`` could use it now (nothing is changed); refused
    as ``enrolment_link_claim`` would be."""
    authorise(by, Permission.CONSULT_CASE)  # any member of staff, for themselves
    return _usable_link(user_of(by), token, now or timezone.now(), lock=False)


@transaction.atomic
def enrolment_link_claim(*, by: Actor, token: str, now: datetime | None = None) -> EnrolmentLink:
    """Use up the enrolment link ``token`` for the signed-in ``by``: from now on this session
    may set up an authenticator app. Refused when the link is unknown, someone else's, used,
    replaced or expired, or ``by`` already has an app."""
    authorise(by, Permission.CONSULT_CASE)  # any member of staff, for themselves
    actor = user_of(by)
    now = now or timezone.now()
    link = _usable_link(actor, token, now, lock=True)
    link.used_at = now
    link.save(update_fields=["used_at"])
    _log(
        by=actor,
        user=actor,
        event=AccessEvent.LINK_OPENED,
        what="Enrolment link used to start setting up an authenticator app",
        request=link.request,
        now=now,
    )
    return link


def enrolment_link_valid_for(user: User, link_id: int | None, now: datetime | None = None) -> bool:
    """Whether ``link_id`` (claimed in this session) still lets ``user`` set up an app: it is
    theirs, claimed, within its time and not replaced by a newer link."""
    if not link_id:
        return False
    return EnrolmentLink.objects.filter(
        pk=link_id,
        user=user,
        used_at__isnull=False,
        revoked_at=None,
        expires_at__gt=now or timezone.now(),
    ).exists()


@transaction.atomic
def enrolment_complete(*, by: Actor, device_id: int, link_id: int) -> TOTPDevice:
    """Confirm ``by``'s new authenticator app (its first code was right), set up through the
    enrolment link ``link_id``, and record it."""
    authorise(by, Permission.CONSULT_CASE)
    actor = user_of(by)
    if not enrolment_link_valid_for(actor, link_id):
        raise NotPermitted(
            "Your enrolment link has expired or was replaced. Ask an administrator for a new one."
        )
    device = TOTPDevice.objects.select_for_update().get(pk=device_id, user=actor)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _log(
        by=actor,
        user=actor,
        event=AccessEvent.AUTHENTICATOR_SET_UP,
        what="Authenticator app set up through an enrolment link",
    )
    return device
