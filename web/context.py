"""Template context shared by every page: the organisation and the role-based navigation."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from checkpoint import roles

# (label, url name, who sees it)
NAVIGATION = [
    ("My caseload", "navigators:caseload", (roles.NAVIGATOR, roles.SUPERVISOR)),
    ("Diary", "navigators:diary", (roles.NAVIGATOR, roles.SUPERVISOR)),
    ("Team dashboard", "supervisors:dashboard", (roles.SUPERVISOR,)),
    ("Custody", "custody:list", (roles.DECISION_MAKER,)),
    (
        "Service directory",
        "navigators:directory",
        (roles.NAVIGATOR, roles.SUPERVISOR, roles.DECISION_MAKER),
    ),
    ("Reports", "reports:index", (roles.SUPERVISOR, roles.ANALYST)),
    ("Access requests", "access:list", (roles.ADMINISTRATOR,)),
    ("Audit logs", "audit:logs", (roles.ADMINISTRATOR,)),
]


def navigation(request) -> dict:
    items = []
    user = getattr(request, "user", None)
    # No menu before the second factor: its links would only lead back to the code page.
    verified = getattr(user, "is_verified", None)
    if user is not None and user.is_authenticated and (verified is None or verified()):
        for text, name, who in NAVIGATION:
            if not (user.is_superuser or any(roles.has_role(user, r) for r in who)):
                continue
            href = reverse(name)
            items.append(
                {
                    "text": text,
                    "href": href,
                    "active": request.path.startswith(href)
                    and (href != "/" or request.path == "/"),
                }
            )
        if user.is_staff:
            items.append(
                {"text": "Administration", "href": reverse("admin:index"), "active": False}
            )
    return {"navigation": items, "organisation_name": settings.ORGANISATION_NAME}
