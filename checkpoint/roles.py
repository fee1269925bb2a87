"""Roles as groups with permissions.

Permissions say what a role may do; ``checkpoint.access`` says to which cases. The groups are
created by a data migration and kept in step by ``sync_roles()`` (run by ``seed_demo``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission

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


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def sync_roles() -> dict[str, Group]:
    """Create the role groups and set exactly their permissions. Idempotent."""
    groups = {}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([_permission(p) for p in perms])
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
