"""Helpers for the fault tests: real HTTP sessions against a live server, form parsing, threads.

The sessions are ``requests`` sessions (a real socket, the real WSGI stack, real cookies and
CSRF tokens). Signing in is done by creating the session in the database (password and second
factor already passed, as ``StaffClient.force_login`` does) and handing its cookie over: the
sign-in screens are tested elsewhere.
"""

from __future__ import annotations

from functools import partial
from html.parser import HTMLParser

import requests
from django.conf import settings

from tests.conftest import StaffClient
from tests.scheduling import helpers

THREAD_TIMEOUT = 60  # seconds; SQLite's busy timeout is 20


def signed_in(base_url: str, user) -> requests.Session:
    """A browser-like HTTP session signed in as ``user`` (second factor passed)."""
    client = StaffClient()
    client.force_login(user)
    session = requests.Session()
    # An IP address, not "localhost": the standard cookie jar files cookies set by "localhost"
    # under "localhost.local", so the server's refreshed cookies would sit beside ours.
    base_url = base_url.replace("://localhost:", "://127.0.0.1:")
    session.cookies.set(
        settings.SESSION_COOKIE_NAME,
        client.cookies[settings.SESSION_COOKIE_NAME].value,
        domain="127.0.0.1",
    )
    session.base_url = base_url  # type: ignore[attr-defined]
    return session


class _Fields(HTMLParser):
    """Every named input, textarea and checked radio of a page: what a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.checked: dict[str, str] = {}
        self.textareas: dict[str, str] = {}
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") in {"radio", "checkbox"}:
                if "checked" in attrs:
                    self.checked[name] = attrs.get("value") or ""
            else:
                self.values[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.textareas[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.textareas[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None


def fields(html: str) -> _Fields:
    parser = _Fields()
    parser.feed(html)
    return parser


def open_form(session: requests.Session, path: str) -> dict[str, str]:
    """GET a form page; return its hidden fields (CSRF token, case version, opened at)."""
    response = session.get(session.base_url + path, timeout=30)  # type: ignore[attr-defined]
    assert response.status_code == 200, response.text[:2000]
    found = fields(response.text)
    hidden = {k: v for k, v in found.values.items() if k in HIDDEN}
    assert "csrfmiddlewaretoken" in hidden
    return hidden


HIDDEN = {"csrfmiddlewaretoken", "lock_version", "opened_at"}


def submit(session: requests.Session, path: str, data: dict) -> requests.Response:
    url = session.base_url + path  # type: ignore[attr-defined]
    return session.post(url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=60)


# Each person's request in its own thread, released together (the threads only wait on HTTP).
run_together = partial(helpers.run_together, timeout=THREAD_TIMEOUT)
