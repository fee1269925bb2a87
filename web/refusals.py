"""Refusals on record (issue 17 point 4): every 403 and 404 a signed-in user gets on a case
screen is written to the security log (``checkpoint.services.refusals``), whoever refused it:
a service's ``CaseNotFound``/``NotPermitted`` (turned into a page by
``web.errors.DomainRefusalMiddleware``), a view's ``Http404``/``PermissionDenied``, or a 404
for an address under a case screen that does not exist.

Case screens are the addresses that name a case (a ``reference`` in the URL), and the
navigators', custody, team (supervision) and audit screens. Anonymous requests are not
recorded as anyone's: the sign-in page answers them before any case screen runs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from checkpoint.services.refusals import refusal_record

from .client_ip import client_ip

logger = logging.getLogger(__name__)

VIEW_REACHED = "_checkpoint_view_reached"
# The screen apps whose pages show or act on cases (and the audit screens): a refusal there is
# someone asking for what is not theirs.
CASE_NAMESPACES = frozenset({"navigators", "custody", "supervisors", "audit"})
# Address prefixes of those screens, for a path that resolves to nothing (a probe).
CASE_PREFIXES = ("/cases/", "/team/", "/custody/", "/caseload/", "/audit/")


def audit_refusals_path(username: str) -> str:
    """The audit log search showing one user's refusals (linked from the alert email)."""
    return reverse("audit:logs") + "?" + urlencode({"kind": "refusal", "username": username})


def case_screen(request: HttpRequest) -> tuple[str, str] | None:
    """(screen name, case reference) if the request was for a case screen, else None."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    if match is not None:
        reference = str(match.kwargs.get("reference", ""))
        if reference or match.namespace in CASE_NAMESPACES:
            return match.view_name, reference
        return None
    if not request.path_info.startswith(CASE_PREFIXES):
        return None
    parts = request.path_info.strip("/").split("/")
    reference = parts[1] if parts[0] == "cases" and len(parts) > 1 else ""
    return "", reference


class RefusalRecordMiddleware:
    """Records a 403 or 404 answered to a signed-in user on a case screen."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 404 or (
            response.status_code == 403 and getattr(request, VIEW_REACHED, False)
        ):
            self._record(request, response.status_code)
        return response

    def process_view(self, request: HttpRequest, *args: object) -> None:
        # Reached only past the CSRF check: a 403 for a form posted without its token (an
        # expired page, not someone asking for a case) is not a refusal of access.
        setattr(request, VIEW_REACHED, True)

    def _record(self, request: HttpRequest, status: int) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        screen = case_screen(request)
        if screen is None:
            return
        page, reference = screen
        try:
            refusal_record(
                user=user,
                status=status,
                method=request.method or "",
                path=request.path,  # not the query: it may hold a name searched for
                page=page,
                reference=reference,
                ip_address=client_ip(request),
                now=timezone.now(),
            )
        except Exception:
            # The refusal stands (the page says no either way); the failure to record it is
            # itself logged for the operators.
            logger.exception("could not record a refusal for user %s", user.pk)
