"""The access screens (issue 17 points 1 and 8): one administrator asks, another approves; the
approval's one-time enrolment link is the only way to set up an authenticator app; the admin
no longer lets an Administrator change roles or teams itself; the Administrator role uses the
audit screens; a signed-in user who is not staff gets the 403 page at /admin/, with no loop."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from checkpoint import roles
from checkpoint.models import (
    AccessAuditLog,
    AccessEvent,
    AccessRequest,
    EnrolmentLink,
    StaffProfile,
)
from tests import factories

User = get_user_model()
PASSWORD = factories.PASSWORD


def _signed_in(user) -> Client:
    from tests.conftest import StaffClient

    client = StaffClient()
    client.force_login(user)
    return client


def _password_only(username: str = "newcomer") -> Client:
    """A browser that signed in with the password (a form post, as the sign-in page sends)."""
    client = Client()
    body = urlencode({"username": username, "password": PASSWORD})
    client.post("/sign-in/", body, content_type="application/x-www-form-urlencoded")
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def _ask_in_the_screen(alice, newcomer, team) -> AccessRequest:
    client = _signed_in(alice)
    url = reverse("access:change", args=[newcomer.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "What happens next" in _text(page)
    response = client.post(
        url, {"roles": [roles.NAVIGATOR], "team": str(team.pk), "reason": "Joined the team"}
    )
    request = AccessRequest.objects.get(user=newcomer)
    assert response.status_code == 302
    assert response.url == reverse("access:request", args=[request.pk])
    shown = _text(client.get(response.url))
    assert "Another administrator must approve this request" in shown
    assert "You asked for this change, so another administrator must approve it" in shown
    return request


def _approve_in_the_screen(bob, request) -> str:
    client = _signed_in(bob)
    response = client.post(reverse("access:request", args=[request.pk]), {"action": "approve"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]  # the link is on this response only
    text = _text(response)
    assert "Request approved" in text and "This link is shown only now" in text
    return re.search(r'id="enrolment-link">([^<]+)<', response.content.decode()).group(1)


def test_the_four_eyes_flow_to_a_signed_in_navigator(alice, bob, newcomer, team):
    request = _ask_in_the_screen(alice, newcomer, team)
    assert not newcomer.groups.exists()
    # The requester is shown no approve button and is refused if they post one.
    own = _signed_in(alice).post(
        reverse("access:request", args=[request.pk]), {"action": "approve"}
    )
    assert "You asked for this change, so you cannot approve it" in _text(own)
    assert not newcomer.groups.exists()

    link = _approve_in_the_screen(bob, request)
    assert link.startswith("http://testserver/sign-in/enrol/")
    assert set(newcomer.groups.values_list("name", flat=True)) == {roles.NAVIGATOR}

    # The password alone shows no key.
    person = _password_only()
    refused = person.get("/sign-in/set-up/")
    assert refused.status_code == 403
    assert "You need an enrolment link" in _text(refused)
    assert "app-secret-key" not in refused.content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer).exists()

    # The link: a page that uses nothing, then Continue uses it up and opens the set-up.
    path = link.removeprefix("http://testserver")
    opened = person.get(path)
    assert opened.status_code == 200 and "the link is used up" in _text(opened)
    assert not EnrolmentLink.objects.get(user=newcomer).used_at
    go = person.post(path)
    assert go.url == "/sign-in/set-up/"
    page = person.get("/sign-in/set-up/")
    assert page.status_code == 200 and "app-secret-key" in page.content.decode()
    device = TOTPDevice.objects.get(user=newcomer)
    done = person.post("/sign-in/set-up/", {"code": factories.totp_code(device)})
    assert done.status_code == 302
    assert person.get("/caseload/").status_code == 200
    events = list(
        AccessAuditLog.objects.filter(user=newcomer).order_by("pk").values_list("event", flat=True)
    )
    assert events == [
        AccessEvent.REQUESTED,
        AccessEvent.APPROVED,
        AccessEvent.LINK_ISSUED,
        AccessEvent.LINK_OPENED,
        AccessEvent.AUTHENTICATOR_SET_UP,
    ]

    # Used: refused with a clear message, and nothing changes.
    again = _password_only()
    used = again.get(path)
    assert used.status_code == 403
    assert "This enrolment link has already been used" in _text(used)


def test_an_expired_link_is_refused(alice, bob, newcomer, team):
    link = _approve_in_the_screen(bob, _ask_in_the_screen(alice, newcomer, team))
    EnrolmentLink.objects.filter(user=newcomer).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    person = _password_only()
    refused = person.get(link.removeprefix("http://testserver"))
    assert refused.status_code == 403
    assert "This enrolment link expired on" in _text(refused)
    assert person.post(link.removeprefix("http://testserver")).status_code == 403
    assert person.get("/sign-in/set-up/").status_code == 403


def test_a_link_opened_signed_out_asks_for_the_password_first(alice, bob, newcomer, team):
    link = _approve_in_the_screen(bob, _ask_in_the_screen(alice, newcomer, team))
    path = link.removeprefix("http://testserver")
    response = Client().get(path)
    assert response.status_code == 302 and response.url.startswith("/sign-in/?next=")


def test_a_rejection_changes_nothing(alice, bob, newcomer, team):
    request = _ask_in_the_screen(alice, newcomer, team)
    client = _signed_in(bob)
    url = reverse("access:request", args=[request.pk])
    empty = client.post(url, {"action": "reject", "reason": ""})
    assert "Enter why you are rejecting this request" in _text(empty)
    response = client.post(url, {"action": "reject", "reason": "Not on the staff list"})
    assert response.status_code == 302
    text = _text(client.get(url))
    assert "Request rejected" in text and "Nothing was changed" in text
    assert not newcomer.groups.exists()


def test_the_change_form_keeps_what_was_typed_and_says_what_is_wrong(alice, newcomer, team):
    client = _signed_in(alice)
    response = client.post(
        reverse("access:change", args=[newcomer.pk]),
        {"roles": [roles.NAVIGATOR], "team": str(team.pk), "reason": ""},
    )
    text = _text(response)
    assert "Enter why this change is needed" in text
    assert 'value="Navigator" checked' in response.content.decode()
    nothing = client.post(
        reverse("access:change", args=[newcomer.pk]),
        {"roles": [], "team": "none", "reason": "Tidy"},
    )
    assert "This would not change anything" in _text(nothing)


def test_the_screens_list_requests_and_accounts(alice, bob, newcomer, team):
    request = _ask_in_the_screen(alice, newcomer, team)
    client = _signed_in(bob)
    listed = _text(client.get(reverse("access:list")))
    assert "newcomer" in listed and "Waiting for approval" in listed
    assert "What happens next" in listed
    accounts = _text(client.get(reverse("access:accounts") + "?q=newc"))
    assert "newcomer" in accounts and "Request waiting" in accounts
    # Hostile search text (NUL, which PostgreSQL refuses; very long) is a search, not a 500.
    assert client.get(reverse("access:accounts") + "?q=%00newc" + "x" * 5000).status_code == 200
    assert request.pk


@pytest.mark.parametrize("who", ["navigator", "supervisor", "dm", "analyst"])
def test_other_roles_cannot_use_the_access_screens(who, request, alice, newcomer, team):
    made = _ask_in_the_screen(alice, newcomer, team)
    client = _signed_in(request.getfixturevalue(who))
    for url in (
        reverse("access:list"),
        reverse("access:accounts"),
        reverse("access:change", args=[newcomer.pk]),
        reverse("access:reset", args=[newcomer.pk]),
        reverse("access:request", args=[made.pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"action": "approve", "reason": "x"}).status_code == 403, url
    assert not newcomer.groups.exists()


def test_reset_authenticator_through_the_screens(alice, bob, navigator):
    factories.totp_device(navigator)
    client = _signed_in(alice)
    url = reverse("access:reset", args=[navigator.pk])
    assert "What happens next" in _text(client.get(url))
    client.post(url, {"reason": "Lost phone"})
    made = AccessRequest.objects.get(user=navigator)
    assert TOTPDevice.objects.filter(user=navigator).exists()
    link = _approve_in_the_screen(bob, made)
    assert "/sign-in/enrol/" in link
    assert not TOTPDevice.objects.filter(user=navigator).exists()


# -- The admin no longer lets an Administrator change roles or teams itself -----------------


def test_the_admin_does_not_let_an_administrator_change_roles(alice, navigator):
    client = _signed_in(alice)
    url = reverse("admin:auth_user_change", args=[navigator.pk])
    body = {
        "username": navigator.username,
        "first_name": "Renamed",
        "last_name": navigator.last_name,
        "email": navigator.email,
        "is_active": "on",
        "groups": [
            Group.objects.get(name=roles.NAVIGATOR).pk,
            Group.objects.get(name=roles.SUPERVISOR).pk,
        ],
        "date_joined_0": navigator.date_joined.date().isoformat(),
        "date_joined_1": "09:00:00",
    }
    response = client.post(url, body)
    assert response.status_code == 302
    navigator.refresh_from_db()
    assert navigator.first_name == "Renamed"  # the rest of the account is still theirs
    assert set(navigator.groups.values_list("name", flat=True)) == {roles.NAVIGATOR}


def test_the_admin_does_not_let_an_administrator_move_someone_between_teams(alice, navigator):
    other = factories.TeamFactory(name="Darlington & South")
    profile = StaffProfile.objects.get(user=navigator)
    client = _signed_in(alice)
    url = reverse("admin:checkpoint_staffprofile_change", args=[profile.pk])
    client.post(url, {"user": navigator.pk, "team": other.pk, "job_title": "Navigator"})
    assert StaffProfile.objects.get(pk=profile.pk).team.name == "Durham North"
    new = User.objects.create_user("another")
    client.post(
        reverse("admin:checkpoint_staffprofile_add"),
        {"user": new.pk, "team": other.pk, "job_title": "Navigator"},
    )
    assert not StaffProfile.objects.filter(user=new, team=other).exists()


# -- The Administrator role uses the audit screens -------------------------------------------


def test_the_administrator_role_uses_the_audit_screens(alice, navigator):
    client = _signed_in(alice)
    assert client.get(reverse("audit:logs")).status_code == 200
    assert client.get(reverse("audit:retention")).status_code == 200
    assert _signed_in(navigator).get(reverse("audit:logs")).status_code == 403


# -- Point 8: the admin and a signed-in user who is not staff --------------------------------


def test_a_signed_in_user_who_is_not_staff_gets_the_403_page_at_the_admin(navigator):
    client = _signed_in(navigator)
    first = client.get("/admin/")
    assert first.status_code == 302 and first.url.startswith("/admin/login/")
    seen = [first.url]
    response = client.get(first.url)
    assert response.status_code == 403, response.get("Location")
    text = _text(response)
    assert "You cannot use this page" in text
    assert "for Checkpoint administrators only" in text
    assert seen == ["/admin/login/?next=/admin/"]


def test_the_admin_login_still_sends_a_visitor_to_sign_in(db):
    response = Client().get("/admin/login/?next=/admin/")
    assert response.url == "/sign-in/?next=/admin/"


def test_an_administrator_still_reaches_the_admin(alice):
    assert _signed_in(alice).get("/admin/").status_code == 200
