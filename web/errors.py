"""Refusals from the domain, as pages: a case out of reach is a 404 and a role that may not act
is a 403, whichever view called the service (forms turn them into the same pages through
``GovUKForm.add_service_error``; this middleware catches any a view let through); and a 405 as
a page rather than the browser's bare one."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import get_resolver, get_urlconf

from checkpoint.errors import NotFound, NotPermitted


class DomainRefusalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        error: Exception
        if isinstance(exception, NotFound):
            status, error = 404, Http404(exception.message)
        elif isinstance(exception, NotPermitted):
            status, error = 403, PermissionDenied(exception.message)
        else:
            return None
        handler = get_resolver(get_urlconf()).resolve_error_handler(status)
        # The 403 and 404 handlers take the exception; the stubs type every handler as (request).
        return handler(request, exception=error)  # type: ignore[call-arg]


class MethodNotAllowedPageMiddleware:
    """A POST-only address opened in the browser (a bookmarked or typed form action, or
    Sign out followed as a link) gets a GOV.UK page instead of the browser's bare 405. The
    status and the Allow header stay, so clients and tests still see what Django said."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not isinstance(response, HttpResponseNotAllowed) or response.content:
            return response  # an API's own 405 (it has a body) is left as it is
        page = render(request, "405.html", {"allowed": response["Allow"]}, status=405)
        page["Allow"] = response["Allow"]
        return page
