"""Four eyes on access (issue 17 point 1): a role or a team that reaches cases is given only
when one administrator asks and another approves; every step is in the access audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from checkpoint import roles
from checkpoint.actors import SYSTEM
from checkpoint.models import (
    AccessAuditLog,
    AccessEvent,
    AccessRequestStatus,
    EnrolmentLink,
    StaffProfile,
)
from checkpoint.services import (
    InvalidInput,
    NotPermitted,
    access_change_request,
    access_request_approve,
    access_request_reject,
    authenticator_reset_request,
    enrolment_complete,
    enrolment_link_claim,
)
from checkpoint.services.access_requests import SELF_APPROVAL, enrolment_link_valid_for
from tests import factories

User = get_user_model()


def _roles(user) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def _team(user):
    profile = StaffProfile.objects.filter(user=user).first()
    return profile.team if profile else None


def _events(user) -> list[str]:
    return list(
        AccessAuditLog.objects.filter(user=user).order_by("pk").values_list("event", flat=True)
    )


def _ask(alice, newcomer, team, **kwargs):
    return access_change_request(
        by=alice,
        user_id=newcomer.pk,
        roles_wanted={roles.NAVIGATOR},
        team=team,
        reason="Joined Durham North as a navigator",
        **kwargs,
    )


def test_a_request_changes_nothing_until_another_administrator_approves(alice, bob, newcomer, team):
    request = _ask(alice, newcomer, team)
    assert request.status == AccessRequestStatus.PENDING
    assert _roles(newcomer) == set() and _team(newcomer) is None
    assert request.summary() == "Add Navigator; move from no team to Durham North"

    decision = access_request_approve(by=bob, request_id=request.pk)
    assert decision.request.status == AccessRequestStatus.APPROVED
    assert decision.request.decided_by == bob
    assert _roles(newcomer) == {roles.NAVIGATOR}
    assert _team(newcomer) == team
    # A new account has no authenticator app: the approval issues the one-time link.
    assert decision.enrolment_token
    link = EnrolmentLink.objects.get(user=newcomer)
    assert link.token_hash != decision.enrolment_token  # only the hash is kept
    assert _events(newcomer) == [
        AccessEvent.REQUESTED,
        AccessEvent.APPROVED,
        AccessEvent.LINK_ISSUED,
    ]
    approved = AccessAuditLog.objects.get(user=newcomer, event=AccessEvent.APPROVED)
    asked = AccessAuditLog.objects.get(user=newcomer, event=AccessEvent.REQUESTED)
    assert (asked.actor, approved.actor) == (alice, bob)
    assert asked.reason == "Joined Durham North as a navigator"


def test_the_administrator_who_asked_cannot_approve(alice, newcomer, team):
    request = _ask(alice, newcomer, team)
    with pytest.raises(NotPermitted) as refused:
        access_request_approve(by=alice, request_id=request.pk)
    assert refused.value.message == SELF_APPROVAL
    assert "Another administrator must approve it" in SELF_APPROVAL
    assert _roles(newcomer) == set()
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.PENDING


def test_a_superuser_may_approve(alice, newcomer, team):
    root = User.objects.create_superuser("root", "root@example.org", None)
    request = _ask(alice, newcomer, team)
    access_request_approve(by=root, request_id=request.pk)
    assert _roles(newcomer) == {roles.NAVIGATOR}


def test_a_rejected_request_changes_nothing(alice, bob, newcomer, team):
    request = _ask(alice, newcomer, team)
    with pytest.raises(InvalidInput, match="Enter why you are rejecting"):
        access_request_reject(by=bob, request_id=request.pk, reason="  ")
    access_request_reject(by=bob, request_id=request.pk, reason="Not on the staff list")
    request.refresh_from_db()
    assert request.status == AccessRequestStatus.REJECTED
    assert request.decision_reason == "Not on the staff list"
    assert _roles(newcomer) == set() and _team(newcomer) is None
    assert not EnrolmentLink.objects.filter(user=newcomer).exists()
    assert _events(newcomer) == [AccessEvent.REQUESTED, AccessEvent.REJECTED]
    with pytest.raises(InvalidInput, match="already rejected"):
        access_request_approve(by=bob, request_id=request.pk)
    assert _roles(newcomer) == set()


def test_a_request_lapses(alice, bob, newcomer, team, settings):
    settings.ACCESS_REQUEST_EXPIRY_HOURS = 2
    asked_at = timezone.now() - timedelta(hours=3)
    request = _ask(alice, newcomer, team, now=asked_at)
    assert request.expires_at == asked_at + timedelta(hours=2)
    with pytest.raises(InvalidInput, match="This request expired on"):
        access_request_approve(by=bob, request_id=request.pk)
    assert _roles(newcomer) == set()
    # A lapsed request no longer blocks a new one.
    assert _ask(alice, newcomer, team).status == AccessRequestStatus.PENDING


def test_one_request_at_a_time_per_account(alice, bob, newcomer, team):
    _ask(alice, newcomer, team)
    with pytest.raises(InvalidInput, match="already waiting for approval"):
        _ask(bob, newcomer, team)


def test_taking_access_away_applies_at_once(alice, navigator):
    request = access_change_request(
        by=alice, user_id=navigator.pk, roles_wanted=set(), team=None, reason="Left the force"
    )
    assert request.status == AccessRequestStatus.APPLIED
    assert _roles(navigator) == set() and _team(navigator) is None
    assert _events(navigator) == [AccessEvent.REQUESTED, AccessEvent.APPLIED]


def test_moving_team_needs_approval(alice, bob, navigator):
    other = factories.TeamFactory(name="Darlington & South")
    request = access_change_request(
        by=alice,
        user_id=navigator.pk,
        roles_wanted={roles.NAVIGATOR},
        team=other,
        reason="Moved to Darlington",
    )
    assert request.status == AccessRequestStatus.PENDING
    assert _team(navigator).name == "Durham North"
    decision = access_request_approve(by=bob, request_id=request.pk)
    assert _team(navigator) == other
    assert decision.enrolment_token  # no confirmed app yet in this test world


@pytest.mark.parametrize("who", ["navigator", "supervisor", "analyst", "system"])
def test_no_one_but_an_administrator_may_ask_or_approve(who, alice, newcomer, team, request):
    actor = SYSTEM if who == "system" else request.getfixturevalue(who)
    with pytest.raises(NotPermitted):
        _ask(actor, newcomer, team)
    pending = _ask(alice, newcomer, team)
    with pytest.raises(NotPermitted):
        access_request_approve(by=actor, request_id=pending.pk)
    with pytest.raises(NotPermitted):
        access_request_reject(by=actor, request_id=pending.pk, reason="No")
    assert _roles(newcomer) == set()


def test_no_one_changes_their_own_access_or_a_superusers(alice, bob):
    with pytest.raises(NotPermitted, match="your own access"):
        access_change_request(
            by=alice, user_id=alice.pk, roles_wanted={roles.SUPERVISOR}, reason="Promotion"
        )
    root = User.objects.create_superuser("root", "root@example.org", None)
    with pytest.raises(NotPermitted, match="Only a superuser"):
        authenticator_reset_request(by=alice, user_id=root.pk, reason="Lost phone")
    # Nor approves a request about themselves, made by someone else.
    made = access_change_request(
        by=bob, user_id=alice.pk, roles_wanted={roles.ADMINISTRATOR, roles.SUPERVISOR}, reason="x"
    )
    with pytest.raises(NotPermitted, match="your own access"):
        access_request_approve(by=alice, request_id=made.pk)


def test_granting_the_administrator_role_opens_the_admin_site(alice, bob, newcomer):
    made = access_change_request(
        by=alice, user_id=newcomer.pk, roles_wanted={roles.ADMINISTRATOR}, reason="New admin"
    )
    access_request_approve(by=bob, request_id=made.pk)
    assert User.objects.get(pk=newcomer.pk).is_staff


def test_reset_authenticator_removes_the_app_and_issues_a_link(alice, bob, navigator):
    factories.totp_device(navigator)
    made = authenticator_reset_request(by=alice, user_id=navigator.pk, reason="Lost phone")
    assert TOTPDevice.objects.filter(user=navigator).exists()  # not before approval
    with pytest.raises(NotPermitted):
        access_request_approve(by=alice, request_id=made.pk)
    decision = access_request_approve(by=bob, request_id=made.pk)
    assert not TOTPDevice.objects.filter(user=navigator).exists()
    assert decision.enrolment_token
    assert _events(navigator) == [
        AccessEvent.REQUESTED,
        AccessEvent.APPROVED,
        AccessEvent.AUTHENTICATOR_REMOVED,
        AccessEvent.LINK_ISSUED,
    ]


def _approved_link(alice, bob, newcomer, team) -> str:
    decision = access_request_approve(by=bob, request_id=_ask(alice, newcomer, team).pk)
    return decision.enrolment_token


def test_an_enrolment_link_works_once_and_only_for_its_account(alice, bob, newcomer, team):
    token = _approved_link(alice, bob, newcomer, team)
    with pytest.raises(NotPermitted, match="for another account"):
        enrolment_link_claim(by=alice, token=token)
    with pytest.raises(InvalidInput, match="not valid"):
        enrolment_link_claim(by=newcomer, token=token + "x")
    link = enrolment_link_claim(by=newcomer, token=token)
    assert enrolment_link_valid_for(newcomer, link.pk)
    with pytest.raises(InvalidInput, match="already been used"):
        enrolment_link_claim(by=newcomer, token=token)
    device = TOTPDevice.objects.create(user=newcomer, name="App", confirmed=False)
    enrolment_complete(by=newcomer, device_id=device.pk, link_id=link.pk)
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert _events(newcomer)[-2:] == [AccessEvent.LINK_OPENED, AccessEvent.AUTHENTICATOR_SET_UP]


def test_an_enrolment_link_expires(alice, bob, newcomer, team, settings):
    settings.ENROLMENT_LINK_HOURS = 1
    token = _approved_link(alice, bob, newcomer, team)
    later = timezone.now() + timedelta(hours=1, minutes=1)
    with pytest.raises(InvalidInput, match="This enrolment link expired on"):
        enrolment_link_claim(by=newcomer, token=token, now=later)


def test_a_newer_link_replaces_the_older(alice, bob, newcomer, team):
    first = _approved_link(alice, bob, newcomer, team)
    made = authenticator_reset_request(by=alice, user_id=newcomer.pk, reason="Link lost")
    second = access_request_approve(by=bob, request_id=made.pk).enrolment_token
    with pytest.raises(InvalidInput, match="replaced by a newer one"):
        enrolment_link_claim(by=newcomer, token=first)
    enrolment_link_claim(by=newcomer, token=second)


def test_the_access_audit_log_is_append_only(alice, newcomer, team):
    _ask(alice, newcomer, team)
    row = AccessAuditLog.objects.get(user=newcomer)
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()


@pytest.mark.postgres
def test_the_access_audit_table_refuses_update_and_delete_on_postgresql(alice, newcomer, team):
    from django.db import DatabaseError, connection, transaction

    _ask(alice, newcomer, team)
    for statement in (
        "UPDATE checkpoint_accessauditlog SET reason = 'edited'",
        "DELETE FROM checkpoint_accessauditlog",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
