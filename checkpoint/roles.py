"""Roles as groups with permissions.

Permissions say what a role may do; ``checkpoint.access`` says to which cases. The groups are
created by a data migration and kept in step by ``sync_roles()`` (run by ``seed_demo``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

DECISION_MAKER = "Decision maker"
NAVIGATOR = "Navigator"
SUPERVISOR = "Supervisor"
ANALYST = "Analyst"
ADMINISTRATOR = "Administrator"

ALL_ROLES = (DECISION_MAKER, NAVIGATOR, SUPERVISOR, ANALYST, ADMINISTRATOR)

# Custom permissions declared on Case.Meta.permissions.
ASSESS = "checkpoint.assess_case"
MANAGE = "checkpoint.manage_case"
SUPERVISE = "checkpoint.supervise_case"
VIEW_REPORTS = "checkpoint.view_reports"
# Declared on AccessRequest.Meta.permissions (four eyes on access; the audit screens).
MANAGE_ACCESS = "checkpoint.manage_access"
AUDIT = "checkpoint.use_audit_screens"

# Roles that reach cases: adding one needs a second administrator's approval.
CASE_ROLES = (DECISION_MAKER, NAVIGATOR, SUPERVISOR, ADMINISTRATOR)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    DECISION_MAKER: (ASSESS,),
    NAVIGATOR: (MANAGE,),
    # Supervisors can do what their navigators do, and take the ending decisions.
    SUPERVISOR: (MANAGE, SUPERVISE, VIEW_REPORTS),
    ANALYST: (VIEW_REPORTS,),
    # Administrators keep the reference data and scheme profiles; case decisions are not theirs.
    ADMINISTRATOR: (
        *(
            f"checkpoint.{verb}_{model}"
            for model in (
                "scheme",
                "schemeversion",
                "excludedcategory",
                "offencetype",
                "pathway",
                "serviceprovider",
                "team",
                "staffprofile",
            )
            for verb in ("view", "add", "change")
        ),
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        MANAGE_ACCESS,
        AUDIT,
    ),
}


def _permissions(dotted: set[str]) -> dict[str, Permission]:
    """The permissions named ``app_label.codename``, read in one query; a name with no
    permission (a typo, a migration not run) raises ``Permission.DoesNotExist``."""
    wanted = Q()
    for name in dotted:
        app_label, codename = name.split(".")
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(wanted).select_related("content_type")
    }
    missing = sorted(dotted - found.keys())
    if missing:
        raise Permission.DoesNotExist(f"no such permission: {', '.join(missing)}")
    return found


def sync_roles() -> dict[str, Group]:
    """Create the role groups and set exactly their permissions. Idempotent."""
    permissions = _permissions({p for perms in ROLE_PERMISSIONS.values() for p in perms})
    groups = {}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([permissions[p] for p in perms])
        groups[role] = group
    return groups


def has_role(user: User | AnonymousUser, role: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_checkpoint_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._checkpoint_roles = cached  # type: ignore[union-attr]  # per-request cache
    return role in cached
