"""The no-store default (web.caching, issue 17 point 2): what it adds, keeps and leaves alone.
The whole URL configuration is walked in tests/security/test_no_store.py."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from tests import factories
from web.caching import NoStoreMiddleware, has_no_store

pytestmark = pytest.mark.django_db


def _through(user, header: str | None, path: str = "/caseload/") -> HttpResponse:
    request = RequestFactory().get(path)
    request.user = user
    request.resolver_match = resolve(path)

    def view(_request):
        response = HttpResponse("page")
        if header is not None:
            response["Cache-Control"] = header
        return response

    return NoStoreMiddleware(view)(request)


def _directives(response) -> set[str]:
    return {d.strip() for d in response.get("Cache-Control", "").split(",") if d.strip()}


def test_a_signed_in_users_page_gets_no_store(navigator):
    response = _through(navigator, None)
    assert {"no-store", "no-cache", "private", "must-revalidate", "max-age=0"} <= _directives(
        response
    )
    assert response.has_header("Expires")


def test_a_header_that_already_says_no_store_is_kept_as_it_is(navigator):
    # The scan download's own header (tests/navigators/test_consent_upload.py checks it).
    assert _through(navigator, "no-store")["Cache-Control"] == "no-store"
    assert _through(navigator, "private, no-store")["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("asked", ["public, max-age=3600", "private, max-age=60", "no-cache"])
def test_a_weaker_header_on_a_signed_in_page_is_made_strict(navigator, asked):
    directives = _directives(_through(navigator, asked))
    assert "no-store" in directives and "private" in directives
    assert "public" not in directives
    assert "max-age=0" in directives


def test_pages_for_people_signed_out_are_left_as_their_views_set_them():
    assert not _through(AnonymousUser(), None).has_header("Cache-Control")
    assert _through(AnonymousUser(), "max-age=60")["Cache-Control"] == "max-age=60"


def test_the_health_check_and_security_txt_are_unaffected(client):
    for path in ("/healthz", "/.well-known/security.txt"):
        plain = client.get(path)
        assert plain.status_code in (200, 503)
        # never_cache, set by the views themselves: the same header, signed in or not
        assert has_no_store(plain), path


def test_static_files_are_answered_before_the_default():
    order = settings.MIDDLEWARE
    assert order.index("whitenoise.middleware.WhiteNoiseMiddleware") < order.index(
        "web.caching.NoStoreMiddleware"
    )
    assert order.index("django.contrib.auth.middleware.AuthenticationMiddleware") < order.index(
        "web.caching.NoStoreMiddleware"
    )


def test_the_sign_in_pages_say_no_store_to_people_signed_out(password_only_client, navigator):
    navigator.set_password("A-long-enough-password-1")
    navigator.save()
    client = password_only_client
    assert has_no_store(client.get("/sign-in/"))
    # The successful sign-in (signed in only after the view) and the refused one.
    body = {"username": "nav", "password": "A-long-enough-password-1"}
    wrong = urlencode({**body, "password": "not-the-password-1"})
    refused = client.post("/sign-in/", wrong, content_type="application/x-www-form-urlencoded")
    assert refused.status_code == 200 and has_no_store(refused)
    signed_in = client.post(
        "/sign-in/", urlencode(body), content_type="application/x-www-form-urlencoded"
    )
    assert signed_in.status_code == 302 and has_no_store(signed_in)


def test_signing_out_says_no_store(client, navigator):
    client.force_login(navigator)
    response = client.post("/sign-out/")
    assert response.status_code == 302 and has_no_store(response)


def test_a_case_page_says_no_store(client, navigator, dm, team):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator)
    client.force_login(navigator)
    response = client.get(f"/cases/{case.reference}/")
    assert response.status_code == 200
    assert has_no_store(response)
