"""The start page: each role goes to where its work starts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from checkpoint import roles

# The first role a user holds, in this order, decides their start page.
START_PAGES = (
    (roles.SUPERVISOR, "supervisors:dashboard"),
    (roles.NAVIGATOR, "navigators:caseload"),
    (roles.DECISION_MAKER, "custody:list"),
    (roles.ANALYST, "reports:index"),
)


def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work starts."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    for role, url_name in START_PAGES:
        if roles.has_role(user, role):
            return redirect(url_name)
    if user.is_staff:
        return redirect("admin:index")
    return render(request, "start.html")
