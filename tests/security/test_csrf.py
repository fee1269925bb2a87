"""CSRF (issue 7 point 6): every URL refuses a POST without the token, and every form page
carries it.

Generated from the URL configuration: each route is POSTed, with a client that enforces CSRF
checks and is signed in with both factors as a user who may use the page, and without a token.
Each answers 403 with Django's CSRF refusal and nothing changes. A view marked
``csrf_exempt`` would fail here. The same POST with the token is not refused for CSRF, which
shows the refusal came from the missing token.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.security import world
from tests.security.test_access_matrix import (
    ASSESS,
    PK_RECORDS,
    SCREENS,
    SUPERVISE,
    all_routes,
    classify,
)

CSRF_REFUSAL = b"CSRF verification failed"
URLENCODED = "application/x-www-form-urlencoded"

# Which form case suits each case screen (its form shows in that state).
SCREEN_CASE = {
    "custody:assessment": "assessment",
    "custody:assessment-result": "assessed",
    "custody:offer": "eligible",
    "navigators:contract": "accepted-new",
    "navigators:contract-victim": "accepted",
    "navigators:contract-referral": "accepted",
    "navigators:contract-community": "accepted",
    "navigators:contract-consent": "accepted",
    "navigators:contract-sign": "ready",
    "navigators:victim-wishes": "accepted",
    "navigators:needs": "accepted",
    "supervisors:breach": "breach",
    "navigators:rearrest": "rearrested",
    "navigators:restorative-correct": "restorative-done",
    "supervisors:completion": "review",
    "supervisors:prosecution-refer": "withdrawn",
    "supervisors:outcome-letter": "exited",
    "supervisors:prosecution-file": "referred",
}
# Pages without a form (documents, lists) or whose form is a GET filter.
NO_POST_FORM = {
    "navigators:case",
    "navigators:case-history",
    "supervisors:outcome-letter",
    "supervisors:prosecution-file",
    "navigators:hours-verify",  # POST only: its forms are on the log-hours page
    "navigators:consent-document",  # a download
    # The participant's documents: a disclosure form, then the document (test_documents.py)
    "navigators:contract-document",
    "navigators:appointment-letter",
    "navigators:warning-letter",
    "supervisors:breach-letter",
}


class CsrfStaffClient(Client):
    """A client that enforces CSRF checks, signed in with both factors."""

    def __init__(self):
        super().__init__(enforce_csrf_checks=True)

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        factories.verify_session(self, user)


def _user_for_screen(name: str) -> str:
    need = SCREENS[name]
    return {ASSESS: "dm", SUPERVISE: "sup"}.get(need, "nav")


def _screen_url(name: str, cases) -> str:
    case = cases[SCREEN_CASE.get(name, "active")]
    kwargs = {"reference": case.reference}
    if name in PK_RECORDS:
        kwargs["pk"] = case.record_pks[PK_RECORDS[name]]
    return reverse(name, kwargs=kwargs)


def _targets(cases, matrix) -> list[tuple[str, str | None]]:
    """(url, user key or None for signed out) for every route of the URLconf."""
    targets = []
    for route in all_routes():
        if not route.params:
            path = "/" + route.route.replace("^", "").replace("$", "")
            user = "nav"
            if route.name in ("login", "mfa-setup", "mfa-verify", "healthz", "security-txt"):
                user = None
            elif route.name.startswith("reports:"):
                user = "analyst"
            elif route.name.startswith("supervisors:"):
                user = "sup"
            elif route.name in ("custody:list", "custody:case-new"):
                user = "dm"
            elif path.startswith("/admin/"):
                user = "superuser"
            targets.append((path, user))
            continue
        found = classify(route)
        assert found is not None, route
        if found[0] == "screen":
            targets.append((_screen_url(route.name, cases), _user_for_screen(route.name)))
        elif found[0] == "report":
            targets.append(("/reports/outcomes/", "analyst"))
        elif found[0] == "admin":
            _, label, kind = found
            app, model = label.split(".")
            case = matrix["active"]
            record = {"checkpoint.case": case.pk, "auth.user": 1}.get(label, 1)
            tail = {"bare": "", "transition": "transition/withdraw/"}.get(kind, f"{kind}/")
            targets.append((f"/admin/{app}/{model}/{record}/{tail}", "superuser"))
    return sorted(set(targets))


@pytest.fixture
def staff(db):
    return world.make_staff()


def test_every_url_refuses_a_post_without_the_token(staff):
    cases = world.form_cases(staff)
    matrix = world.matrix_cases(staff)
    targets = _targets(cases, matrix)
    clients = {}
    for key in {user for _, user in targets}:
        clients[key] = CsrfStaffClient()
        if key is not None:
            clients[key].force_login(staff[key])
    before = world.fingerprint()
    for url, user in targets:
        body = {"text": "CSRF note", "reason": "CSRF", "username": "nav", "password": "x"}
        if user is None:  # signed out, as a browser's form sends it (multipart is refused)
            response = clients[user].post(url, urlencode(body), content_type=URLENCODED)
        else:
            response = clients[user].post(url, body)
        assert response.status_code == 403, (url, user, response.status_code)
        assert CSRF_REFUSAL in response.content, (url, "refused, but not for CSRF")
    after = world.fingerprint()
    assert after == before, world.changed(before, after)
    assert len(targets) > 100

    # With the token the same POST reaches the view (whatever the view then says).
    nav = clients["nav"]
    page = nav.get(_screen_url("navigators:note-new", cases))
    token = page.cookies["csrftoken"].value
    response = nav.post(
        _screen_url("navigators:note-new", cases),
        {"text": "CSRF note", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302  # the note was added
    assert world.changed(after, world.fingerprint()).startswith("checkpoint_casenote")


FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)


def _post_forms(html: str) -> list[str]:
    return [f for f in FORM.findall(html) if re.search(r'method="post"', f[:200], re.I)]


def test_every_form_page_carries_the_token(staff):
    """Every case screen with a form, as its user on a case in a suitable state, and the
    screens without an id: each POST form on the page holds the csrfmiddlewaretoken."""
    cases = world.form_cases(staff)
    clients = {}
    checked = []
    pages = [
        (_screen_url(name, cases), _user_for_screen(name))
        for name in SCREENS
        if name not in NO_POST_FORM and name in {r.name for r in all_routes()}
    ]
    pages += [
        (reverse("custody:case-new"), "dm"),
        (reverse("login"), None),
        (reverse("mfa-verify"), "nav-mfa"),
        (reverse("admin:checkpoint_team_add"), "superuser"),
        (reverse("admin:checkpoint_case_change", args=[cases["active"].pk]), "superuser"),
    ]
    for url, user in pages:
        if user not in clients:
            clients[user] = Client()
            if user == "nav-mfa":  # signed in with the password, asked for the code
                clients[user].force_login(staff["nav"])
                factories.totp_device(staff["nav"])
            elif user is not None:
                clients[user] = CsrfStaffClient()
                clients[user].force_login(staff[user])
        response = clients[user].get(url)
        assert response.status_code == 200, (url, response.status_code)
        forms = _post_forms(response.content.decode())
        # The header's sign-out form is a POST form too; a page needs one more of its own.
        own = [f for f in forms if 'action="/sign-out/"' not in f]
        assert own, f"{url}: no POST form"
        for form in forms:
            assert 'name="csrfmiddlewaretoken"' in form, f"{url}: a form without the token"
        checked.append(url)
    assert len(checked) >= 30
