"""Staff accounts and roles in the admin.

The Administrator role manages the accounts of the other roles (roles.ROLE_PERMISSIONS gives it
``auth.add_user``/``auth.change_user``). Django's own UserAdmin would let it tick
"superuser", grant itself any permission or role, or reset a superuser's password: privilege
escalation (ASVS 4.0 V4.1.3 least privilege, V4.2.1). So, for anyone but a superuser:

- the superuser and staff flags and direct permissions are read-only;
- the roles it can hand out are the staff roles below its own (never Administrator);
- an account it could not have built itself (a superuser, an administrator, its own account,
  or one with direct permissions or other groups) is read-only, password included;
- roles (groups) and their permissions are read-only;
- an account's roles are read-only too: adding one takes a request by one administrator and
  an approval by another (four eyes on access, ``checkpoint.services.access_requests``, on the
  Access requests screens at /access/); so is a staff profile's team (``web.admin.reference``).

A superuser (break-glass) keeps Django's full screens.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet

from checkpoint import roles

User = get_user_model()

SUPERUSER_ONLY_FIELDS = ("is_staff", "is_superuser", "user_permissions", "groups")


def assignable_roles(user) -> QuerySet:
    """The groups ``user`` may give to an account."""
    if user.is_superuser:
        return Group.objects.all()
    names = [role for role in roles.ALL_ROLES if role != roles.ADMINISTRATOR]
    return Group.objects.filter(name__in=names)


def may_manage(user, account) -> bool:
    """Whether ``user`` may change ``account``: only accounts holding no more than it may grant."""
    if user.is_superuser:
        return True
    if account.is_superuser or account.user_permissions.exists():
        return False
    allowed = set(assignable_roles(user).values_list("pk", flat=True))
    return set(account.groups.values_list("pk", flat=True)) <= allowed


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += SUPERUSER_ONLY_FIELDS
        return fields

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name == "groups":
            # A role outside this queryset is refused by the form ("Select a valid choice").
            kwargs["queryset"] = assignable_roles(request.user)
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Also guards the password page (UserAdmin.user_change_password asks this).
        if obj is not None and not may_manage(request.user, obj):
            return False
        return super().has_change_permission(request, obj)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    """Roles are defined in checkpoint/roles.py (sync_roles); only a superuser edits them here."""

    def has_add_permission(self, request):
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)
