"""Web hardening: security headers, the Content Security Policy, cookies, error pages that
leak nothing, security.txt, and templates free of inline script and style (issue 7, point 5)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
import time_machine
from django.apps import apps
from django.test import Client

from tests import factories
from web import security_txt

PROJECT_APPS = ("checkpoint", "navigators", "notifications", "supervisors", "reports")


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(client):
    response = client.get("/sign-in/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_content_security_policy_allows_nothing_inline(client):
    policy = client.get("/sign-in/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


@pytest.mark.django_db
def test_cookies_are_http_only_and_same_site(client):
    user = factories.make_user("Navigator", username="cookie-nav")
    user.set_password("A-long-enough-password-1")
    user.save()
    client.get("/sign-in/")
    # As the sign-in page's form sends it (the page refuses multipart bodies).
    response = client.post(
        "/sign-in/",
        urlencode({"username": "cookie-nav", "password": "A-long-enough-password-1"}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    for name in ("sessionid", "csrftoken"):
        cookie = client.cookies[name]
        assert cookie["httponly"], name
        assert cookie["samesite"] == "Lax", name


@pytest.mark.django_db
@pytest.mark.urls("tests.web.failing_urls")
def test_a_server_error_shows_the_govuk_page_and_no_traceback(settings):
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get("/fail/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "govuk-template" in body
    for leak in ("Traceback", "RuntimeError", "secret-internal-detail", "hunter2", "settings"):
        assert leak not in body


@pytest.mark.django_db
def test_an_unknown_page_shows_the_govuk_not_found_page(settings, client):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "govuk-template" in body
    assert "Using the URLconf" not in body  # Django's debug 404 lists the URL patterns


@pytest.mark.django_db
@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_security_txt_follows_rfc_9116(client, settings):
    settings.SECURITY_TXT_CONTACT = ["mailto:security@example.police.uk", "https://x.example/vdp"]
    settings.SECURITY_TXT_EXPIRES = "2027-05-01"
    settings.SITE_URL = "https://checkpoint.example.police.uk"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "Contact: mailto:security@example.police.uk",
        "Contact: https://x.example/vdp",
        "Expires: 2027-05-01T00:00:00Z",
        "Preferred-Languages: en",
        "Canonical: https://checkpoint.example.police.uk/.well-known/security.txt",
    ]


@time_machine.travel("2026-11-23 10:00Z", tick=False)
def test_security_txt_check_flags_an_expired_file(settings):
    settings.SECURITY_TXT_CONTACT = ["mailto:security@example.police.uk"]
    settings.SITE_URL = "https://checkpoint.example.police.uk"
    settings.SECURITY_TXT_EXPIRES = "2026-11-01"
    assert [w.id for w in security_txt.check_security_txt(None)] == ["checkpoint.W002"]
    settings.SECURITY_TXT_EXPIRES = "2027-11-01"
    assert security_txt.check_security_txt(None) == []


INLINE = {
    "a style attribute": re.compile(r"\sstyle\s*=", re.I),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "an inline <script>": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "an event-handler attribute": re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def _project_templates() -> list[Path]:
    found = []
    for label in PROJECT_APPS:
        try:
            folder = Path(apps.get_app_config(label).path) / "templates"
        except LookupError:
            continue
        found += sorted(folder.rglob("*.html"))
    return found


def test_no_template_has_inline_script_or_style():
    """CSP allows no inline code: an inline style or script would be blocked in the browser."""
    templates = _project_templates()
    assert len(templates) > 30
    problems = [
        f"{path}: {what}"
        for path in templates
        for what, pattern in INLINE.items()
        if pattern.search(path.read_text())
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("snippet", "what"),
    [
        ('<p style="color: red">', "a style attribute"),
        ("<script>alert(1)</script>", "an inline <script>"),
        ('<a href="#" onclick="go()">', "an event-handler attribute"),
    ],
)
def test_the_template_scan_recognises_inline_code(snippet, what):
    assert INLINE[what].search(snippet)
    assert not INLINE["an inline <script>"].search('<script src="/static/x.js"></script>')
