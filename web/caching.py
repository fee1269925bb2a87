"""Nothing personal is kept by a browser or a proxy: ``Cache-Control: no-store`` by default.

Every response to a signed-in user (HTML pages, printed documents, CSV downloads, scans of
consent forms, redirects alike) and every response of the sign-in pages (password, second
factor, set-up, sign-out) is sent with Django's never-cache headers (``max-age=0, no-cache,
no-store, must-revalidate, private`` and an ``Expires`` in the past), so that a shared or
stolen browser keeps no copy of criminal, health or drug-use data to show from its cache or
history.

A response that already says ``no-store`` keeps its own header (the scan download and the
calendar feed set theirs); one that asked for less (``private, max-age=60``, ``public``) is
made strict. Static files never reach this middleware (WhiteNoise answers them first, and they
hold nothing personal), and pages for people who are not signed in (the health check,
security.txt, error pages) are left as their views set them.

"Signed in" is read both before the view (the sign-out and an idle session's end make the user
anonymous during the request) and after it (the sign-in itself makes them signed in).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

# The sign-in pages (URL names): no-store for everyone, signed in or not.
SIGN_IN_PAGES = frozenset({"login", "logout", "mfa-setup", "mfa-verify"})


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _is_sign_in_page(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in SIGN_IN_PAGES


def has_no_store(response: HttpResponse) -> bool:
    """Whether the response already forbids every cache to keep it."""
    directives = response.get("Cache-Control", "")
    return "no-store" in {d.strip().split("=", 1)[0].lower() for d in directives.split(",")}


class NoStoreMiddleware:
    """After ``AuthenticationMiddleware`` (it reads ``request.user``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        signed_in_before = _signed_in(request)
        response = self.get_response(request)
        personal = signed_in_before or _signed_in(request) or _is_sign_in_page(request)
        if personal and not has_no_store(response):
            add_never_cache_headers(response)
        return response
