"""Nothing personal cached (issue 17 point 2): every response to a signed-in user, and every
sign-in page, carries ``Cache-Control: no-store``, over the whole URL configuration.

Generated from the URLconf (``get_resolver``, through every ``include``): each route is filled
with real ids from a small world (tests/security/world.py: a case in every state, a record of
each kind, every admin table) and opened with GET by signed-in users, the one whose work the
page is first, then the others until one gets the page (2xx). Every response a signed-in user
gets (pages, redirects, refusals, the printed outcome letter and prosecution file, each report
CSV, the scan of a consent form, the admin) must say ``no-store``. A route the test does not
know how to fill is still opened (ids that do not exist) by every role, so a new URL is never
skipped: without the default in ``web.caching`` its responses fail here.

Signed out: the sign-in pages must say ``no-store`` too, and the calendar feed (a file read
by a calendar app with a token, no session) sets its own; the health check and security.txt
hold nothing personal and are only counted.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from navigators import calendar
from tests import factories
from tests.conftest import StaffClient
from tests.factories import disclose
from tests.security import world
from tests.security.test_access_matrix import (
    MISSING_ID,
    Route,
    _admin_object,
    _report_urls,
    _site_urls,
    all_routes,
    classify,
)
from tests.security.test_csrf import _screen_url, _user_for_screen
from web.admin.cases import TRANSITIONS

SIGNED_IN = ["nav", "sup", "dm", "analyst", "administrator", "superuser"]
# Documents that are disclosures (DPA 2018 s.62): a GET shows "Who is it for?" first; the
# document itself opens after the answer. (Any other page that shows that form is followed
# to its document the same way.)
DOCUMENTS = {"supervisors:outcome-letter", "supervisors:prosecution-file", "reports:csv"}
# Pages for people who are not signed in that hold nothing personal: counted, not required.
PUBLIC = {"healthz", "security-txt"}


# Routes the access matrix does not fill yet: an address with a real record.
FILLERS = {
    "access:change": lambda staff: reverse("access:change", args=[staff["nav"].pk]),
    "access:reset": lambda staff: reverse("access:reset", args=[staff["nav"].pk]),
}


def _first_user(route: Route, path: str) -> str:
    if path.startswith("/admin/") or route.name.startswith(("audit:", "access:")):
        return "superuser"
    if route.name.startswith("reports:"):
        return "analyst"
    if route.name.startswith("supervisors:"):
        return "sup"
    if route.name.startswith("custody:"):
        return "dm"
    return "nav"


def _fill(route: Route) -> str:
    """A route's address with ids that do not exist (for a route no table here knows)."""
    path = re.sub(r"<(?:int:)?\w+>|<\w+:\w+>", MISSING_ID, route.route)
    return "/" + path.replace("^", "").replace("$", "").replace("(?P<url>.*)", "no-such-page/")


def _admin_url(label: str, kind: str, matrix) -> str:
    """The admin page of one kind for a real record of the model (as the access matrix)."""
    app, model = label.split(".")
    prefix = f"/admin/{app}/{model}/"
    if kind == "transition":
        return f"{prefix}{matrix['active'].pk}/transition/{next(iter(TRANSITIONS))}/"
    tail = {"bare": "", "password": "password/", "config": "config/", "qrcode": "qrcode/"}
    obj = _admin_object(label)
    return f"{prefix}{obj.pk if obj is not None else MISSING_ID}/{tail.get(kind, kind + '/')}"


class Walk:
    """Opens addresses and keeps what every response said."""

    def __init__(self, staff):
        self.staff = staff
        self.clients: dict[str, Client] = {}
        self.checked: list[tuple[str, str, int, str]] = []  # (url, who, status, Cache-Control)
        self.routes_reached: set[str] = set()  # routes with a 2xx for a signed-in user
        self.routes_tried: set[str] = set()
        self.types: dict[str, str] = {}  # url -> Content-Type of its last response
        # NO_STORE_REPORT=<file>: the routes no signed-in user got a 2xx from, one a line.
        report = os.environ.get("NO_STORE_REPORT")
        self.report_to = Path(report) if report else None

    def client(self, who: str) -> Client:
        if who not in self.clients:
            if who in self.staff:
                client = StaffClient()
                client.force_login(self.staff[who])
            else:
                client = Client()
            self.clients[who] = client
        return self.clients[who]

    def keep(self, url: str, who: str, response) -> None:
        self.checked.append((url, who, response.status_code, response.get("Cache-Control", "")))
        self.types[url] = response.get("Content-Type", "")
        assert response.status_code < 500, (url, who, response.status_code)

    def get(self, route: Route | None, url: str, who: str):
        response = self.client(who).get(url)
        self.keep(url, who, response)
        if route is not None:
            self.routes_tried.add(route.route)
            if 200 <= response.status_code < 300 and who in self.staff:
                self.routes_reached.add(route.route)
        return response

    def get_as_someone(self, route: Route, url: str, first: str):
        """GET as ``first``, then as each other signed-in user until one gets a 2xx."""
        for who in [first, *(u for u in SIGNED_IN if u != first)]:
            response = self.get(route, url, who)
            if 200 <= response.status_code < 300:
                return response, who
        return response, None

    def document(self, route: Route, url: str, who: str) -> None:
        """The justification form, then the document it opens."""
        self.get(route, url, who)
        response = disclose(self.client(who), url)
        self.keep(url + " (document)", who, response)
        assert response.status_code == 200, (url, response.status_code)
        self.routes_reached.add(route.route)


@pytest.fixture
def built(db):
    staff = world.make_staff()
    forms = world.form_cases(staff)
    matrix = world.matrix_cases(staff)
    world.admin_records(staff, matrix["active"])
    # A user signed in with the password only, not yet set up (the set-up page), and one asked
    # for the code (the code page).
    staff["new-starter"] = factories.make_user("Navigator", team=staff["_team"])
    staff["asked-for-code"] = factories.make_user("Navigator", team=staff["_team"])
    factories.totp_device(staff["asked-for-code"])
    feed = calendar.feed_reset(staff["nav"])
    return staff, forms, matrix, feed


def test_every_response_to_a_signed_in_user_says_no_store(built):
    staff, forms, matrix, feed = built
    walk = Walk(staff)
    for who in ("new-starter", "asked-for-code"):  # password only: no second factor yet
        walk.clients[who] = Client()
        walk.clients[who].force_login(staff[who])
    unknown: list[str] = []
    reports = _report_urls(walk.client("analyst"))

    for route in all_routes():
        if route.name in PUBLIC:
            walk.get(route, _fill(route), "anonymous")
            continue
        if route.name in ("login", "mfa-setup", "mfa-verify", "logout", "mfa-enrol"):
            url = _fill(route)
            walk.get(route, url, "anonymous")
            who = {"mfa-setup": "new-starter", "mfa-verify": "asked-for-code"}.get(route.name)
            if walk.get(route, url, who or "nav").status_code == 200 and who:
                walk.routes_reached.add(route.route)
            continue
        if not route.params:
            path = "/" + route.route.replace("^", "").replace("$", "")
            walk.get_as_someone(route, path, _first_user(route, path))
            continue
        found = classify(route)
        kind = found[0] if found else None
        if kind == "screen":
            url = _screen_url(route.name, forms)
            who = _user_for_screen(route.name)
            if route.name in DOCUMENTS:
                walk.document(route, url, who)
                continue
            response, who = walk.get_as_someone(route, url, who)
            if who and not response.streaming and b'name="justification"' in response.content:
                walk.document(route, url, who)  # a document behind "Who is it for?"
        elif kind == "report":
            for url in reports:
                if url.endswith(".csv") and route.name == "reports:csv":
                    walk.document(route, url, "analyst")
                elif not url.endswith(".csv") and route.name == "reports:report":
                    walk.get(route, url, "analyst")
        elif kind == "calendar-feed":
            url = reverse(route.name, args=[feed.token])
            response = walk.get(route, url, "anonymous")  # a calendar app: no session
            assert response.status_code == 200
            walk.routes_reached.add(route.route)
        elif kind == "admin":
            _, label, admin_kind = found
            walk.get(route, _admin_url(label, admin_kind, matrix), "superuser")
        elif kind in ("view-on-site", "app-index"):
            for site_kind, url, _missing in _site_urls():
                if site_kind == kind:
                    walk.get(route, url, "superuser")
        elif route.name in FILLERS:
            walk.get_as_someone(route, FILLERS[route.name](staff), "superuser")
        else:
            # Not known to the access matrix (or the admin's catch-all): opened by every role
            # with ids that do not exist, so its responses are checked all the same.
            if kind != "catch-all":
                unknown.append(route.name)
            for who in SIGNED_IN:
                walk.get(route, _fill(route), who)

    # Every route was opened.
    routes = {r.route for r in all_routes()}
    assert routes <= walk.routes_tried | walk.routes_reached, routes - walk.routes_tried

    signed_in = [c for c in walk.checked if c[1] != "anonymous"]
    missing = sorted(
        (c for c in signed_in if "no-store" not in c[3]), key=lambda c: not 200 <= c[2] < 300
    )
    pages = sum(1 for c in missing if 200 <= c[2] < 300)
    assert not missing, (
        f"{len(missing)} responses to signed-in users without no-store ({pages} of them 2xx "
        f"pages or files), first: {missing[:20]}"
    )

    anonymous = {url: cc for url, who, _status, cc in walk.checked if who == "anonymous"}
    for name in ("login", "mfa-setup", "mfa-verify", "logout"):
        assert "no-store" in anonymous[reverse(name)], (name, anonymous[reverse(name)])
    assert "no-store" in anonymous[reverse("navigators:calendar-feed", args=[feed.token])]

    # The files among them, each opened (200) and checked: the scan of a consent form, both
    # printed documents, every report table's CSV.
    opened = {c[0] for c in signed_in if c[2] == 200}
    scan = _screen_url("navigators:consent-document", forms)
    assert scan in opened and walk.types[scan] == "application/pdf"
    for name in ("supervisors:outcome-letter", "supervisors:prosecution-file"):
        assert _screen_url(name, forms) + " (document)" in opened, name
    csvs = [u + " (document)" for u in reports if u.endswith(".csv")]
    assert len(csvs) >= 10 and set(csvs) <= opened
    assert all(walk.types[u].startswith("text/csv") for u in csvs)

    ok = [c for c in signed_in if 200 <= c[2] < 300]
    print(
        f"\nno-store: {len(routes)} routes, {len(walk.checked)} responses checked "
        f"({len(signed_in)} to signed-in users, {len(ok)} of them 2xx); "
        f"routes reached with a 2xx: {len(walk.routes_reached)}; "
        f"routes only refused or redirected: {len(routes - walk.routes_reached)}; "
        f"routes unknown to the access matrix (ids that do not exist): {unknown}"
    )
    if walk.report_to:
        not_reached = sorted(routes - walk.routes_reached)
        walk.report_to.write_text("\n".join(not_reached) + "\n")
    assert len(ok) >= 200
    assert len(walk.routes_reached) >= 150
