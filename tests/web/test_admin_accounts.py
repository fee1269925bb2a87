"""Staff accounts in the admin (issue 7, ASVS V4.1/V4.2): the Administrator role manages the
accounts of the other roles, and cannot raise anyone's privileges, its own included, above the
roles it may hand out; superusers and other administrators are changed only by a superuser."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from checkpoint import roles
from tests import factories

User = get_user_model()
NEW_PASSWORD = "Correct-horse-battery-staple-42"


@pytest.fixture
def administrator(db):
    user = factories.make_user(roles.ADMINISTRATOR, username="administrator")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.police.uk", "x" * 16)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def _group(name: str) -> Group:
    return Group.objects.get(name=name)


def _change_body(user, **overrides) -> dict:
    """The user change form as the admin would post it, with ``overrides``."""
    body = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.date().isoformat(),
        "date_joined_1": "09:00:00",
        "_save": "Save",
    }
    if user.is_staff:
        body["is_staff"] = "on"
    if user.is_superuser:
        body["is_superuser"] = "on"
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def _snapshot(user) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.is_superuser,
        user.is_staff,
        user.is_active,
        user.password,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


def _change(user) -> str:
    return reverse("admin:auth_user_change", args=[user.pk])


def _password(user) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def test_an_administrator_cannot_make_itself_a_superuser(admin_client, administrator):
    before = _snapshot(administrator)
    admin_client.post(_change(administrator), _change_body(administrator, is_superuser="on"))
    assert _snapshot(administrator) == before
    assert not User.objects.get(pk=administrator.pk).is_superuser


def test_an_administrator_cannot_give_itself_permissions_or_roles(admin_client, administrator):
    every = list(Permission.objects.values_list("pk", flat=True))
    before = _snapshot(administrator)
    admin_client.post(
        _change(administrator),
        _change_body(
            administrator,
            user_permissions=every,
            groups=[g.pk for g in Group.objects.all()],
        ),
    )
    assert _snapshot(administrator) == before


def test_an_administrator_cannot_make_a_navigator_a_superuser_or_give_it_permissions(
    admin_client, navigator
):
    every = list(Permission.objects.values_list("pk", flat=True))
    before = _snapshot(navigator)
    admin_client.post(
        _change(navigator),
        _change_body(navigator, is_superuser="on", is_staff="on", user_permissions=every),
    )
    assert _snapshot(navigator) == before


def test_an_administrator_cannot_hand_out_the_administrator_role(admin_client, navigator):
    admin_client.post(
        _change(navigator),
        _change_body(navigator, groups=[_group(roles.ADMINISTRATOR).pk]),
    )
    assert _snapshot(navigator)[4] == [roles.NAVIGATOR]


def test_an_administrator_manages_the_other_roles(admin_client, navigator):
    """The legitimate part: change a navigator's details and reset its password. Its roles
    are read-only here: adding one takes a second administrator's approval (issue 17,
    tests/web/test_access_screens.py)."""
    response = admin_client.post(
        _change(navigator),
        _change_body(
            navigator,
            first_name="Renamed",
            groups=[_group(roles.NAVIGATOR).pk, _group(roles.DECISION_MAKER).pk],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    navigator.refresh_from_db()
    assert navigator.first_name == "Renamed"
    assert set(navigator.groups.values_list("name", flat=True)) == {roles.NAVIGATOR}
    assert not navigator.is_superuser
    response = admin_client.post(
        _password(navigator),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=navigator.pk).check_password(NEW_PASSWORD)


@pytest.mark.parametrize("target", ["superuser", "other administrator"])
def test_an_administrator_cannot_change_a_superuser_or_another_administrator(
    admin_client, superuser, target
):
    if target == "superuser":
        victim = superuser
    else:
        victim = factories.make_user(roles.ADMINISTRATOR, username="administrator-2")
        victim.is_staff = True
        victim.save()
    before = _snapshot(victim)
    changed = admin_client.post(
        _change(victim), _change_body(victim, is_active=None, is_staff=None, is_superuser=None)
    )
    reset = admin_client.post(
        _password(victim),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert (changed.status_code, reset.status_code) == (403, 403)
    assert _snapshot(victim) == before


def test_an_administrator_cannot_change_its_own_password_or_flags_through_the_admin(
    admin_client, administrator
):
    """Its own account holds the Administrator role, which only a superuser hands out."""
    before = _snapshot(administrator)
    reset = admin_client.post(
        _password(administrator),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert reset.status_code == 403
    assert _snapshot(administrator) == before


def test_an_administrator_cannot_edit_a_roles_permissions(admin_client):
    group = _group(roles.NAVIGATOR)
    before = sorted(group.permissions.values_list("pk", flat=True))
    every = list(Permission.objects.values_list("pk", flat=True))
    url = reverse("admin:auth_group_change", args=[group.pk])
    response = admin_client.post(url, {"name": group.name, "permissions": every})
    assert response.status_code == 403
    add = admin_client.post(
        reverse("admin:auth_group_add"), {"name": "Everything", "permissions": every}
    )
    assert add.status_code == 403
    assert sorted(group.permissions.values_list("pk", flat=True)) == before
    assert not Group.objects.filter(name="Everything").exists()


def test_a_new_account_made_by_an_administrator_has_no_privileges(admin_client):
    response = admin_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "new-navigator",
            "usable_password": "true",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302
    made = User.objects.get(username="new-navigator")
    assert (made.is_superuser, made.is_staff) == (False, False)


def test_a_superuser_still_manages_every_account(client, superuser, administrator):
    client.force_login(superuser)
    response = client.post(
        _change(administrator),
        _change_body(administrator, groups=[_group(roles.ADMINISTRATOR).pk], is_superuser="on"),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=administrator.pk).is_superuser
