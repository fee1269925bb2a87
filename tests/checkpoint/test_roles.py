"""The role groups: ``sync_roles`` sets exactly each role's permissions, in a few queries."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checkpoint import roles


def _held(group: Group) -> set[str]:
    return {
        f"{app}.{code}"
        for app, code in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.django_db
def test_each_role_gets_exactly_its_permissions_again():
    navigator = Group.objects.get(name=roles.NAVIGATOR)
    navigator.permissions.add(Permission.objects.get(codename="view_reports"))
    Group.objects.get(name=roles.ANALYST).permissions.clear()
    Group.objects.filter(name=roles.ADMINISTRATOR).delete()

    groups = roles.sync_roles()

    assert set(groups) == set(roles.ALL_ROLES)
    for role, expected in roles.ROLE_PERMISSIONS.items():
        assert _held(Group.objects.get(name=role)) == set(expected), role


@pytest.mark.django_db
def test_in_step_it_reads_the_permissions_once():
    roles.sync_roles()
    with CaptureQueriesContext(connection) as queries:
        roles.sync_roles()
    # One query for every permission named, then per role: the group, its current permissions.
    assert len(queries) == 1 + 2 * len(roles.ROLE_PERMISSIONS)


@pytest.mark.django_db
def test_a_permission_that_does_not_exist_is_named(monkeypatch):
    monkeypatch.setitem(
        roles.ROLE_PERMISSIONS, roles.ANALYST, (roles.VIEW_REPORTS, "checkpoint.view_everything")
    )
    with pytest.raises(Permission.DoesNotExist, match=r"checkpoint\.view_everything"):
        roles.sync_roles()
