"""No input gives a 500 (issue 17 point 3): every URL of the URLconf, queried and posted
with hostile values, answers with a page (200, 3xx, 400, 403, 404, 405, 413, 415, 429), never
a server error.

The URLs are the CSRF test's (``tests/security/test_csrf.py``: every route, each as a user who
may use it, on a case in a state where its form shows), plus every report CSV, the sign-in's
second-factor pages as someone who has given only the password, and the sign-outs with clients
of their own. ``test_every_url_with_hostile_query_and_body`` first asks each URL once (GET and
an empty POST) and records which parameters the code reads (``_names_read``: the ones a view
reads by hand and its forms' fields); each read parameter then gets non-ASCII digits alone
("²", full-width: ``str.isdigit`` takes them, ``int`` does not) and, together, huge and
negative numbers, NUL, invalid UTF-8, a lone surrogate and 100,000 characters; then hypothesis
draws examples over those names, the page's fields and ``QUERY_NAMES``, with ``HOSTILE``
values (very long text, C0/C1 controls, bidirectional overrides, line breaks, invalid UTF-8).
Values are sent percent-encoded as raw bytes, as a script could. The admin's record pages are
Django's own: they get hostile ids in ``test_every_route_with_hostile_path_values``, which puts
hostile values in each path parameter of every route (a real case's reference with a huge
record id, and so on).

Each request runs in a savepoint rolled back afterwards. Run on PostgreSQL too: it refuses NUL
in text, integers past 2**63 and text past a column's length, where SQLite does not.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from urllib.parse import quote_from_bytes

import pytest
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from tests.conftest import StaffClient, data_for_the_module, fresh
from tests.security import world
from tests.security.test_csrf import _targets

# Each hostile value as the bytes sent (percent-encoded in a query string or a form body).
HOSTILE: list[bytes] = [
    "²".encode(),
    "١٢٣".encode(),  # Arabic-Indic digits
    "１２".encode(),  # noqa: RUF001 (full-width digits, on purpose)
    "⁴²".encode(),
    b"99999999999999999999",
    b"-99999999999999999999",
    b"9223372036854775808",  # 2**63: one past PostgreSQL's bigint
    b"2147483648",  # 2**31: one past PostgreSQL's integer
    b"-1",
    b"0",
    b"1e308",
    b"x" * 100_000,
    b"9" * 5_000,
    b"\x00",
    b"1\x00",
    b"CP-\x00",
    "\u202eevil\u202c".encode(),
    "a\u2066b\u2069".encode(),
    "\u200e\u200f".encode(),
    "\x85\x9b".encode(),  # C1 controls
    b"\x07\x1b[31m",
    b"line\r\nbreak",
    b"\xff",  # invalid UTF-8
    b"\xc3\x28",
    b"\xed\xa0\x80",  # a lone surrogate, UTF-8 style
    b"\xf4\x90\x80\x80",  # past U+10FFFF
    b"%",
    b"%%ff",
    b"<script>alert(1)</script>",
    b"' OR 1=1 --",
    b"",
]
# Parameters the code reads from the query string or a form (found by reading the views and
# forms), tried on every URL; each page's own form fields are added to these.
QUERY_NAMES = [
    "page",
    "disclosure",
    "provider",
    "pathway",
    "from",
    "starts_on",
    "case",
    "cases",
    "navigator",
    "team",
    "selected",
    "next",
    "q",
    "kind",
    "week",
    "date",
    "state",
    "user",
    "o",  # the admin's ordering
    "p",  # the admin's page
    "e",
    "_changelist_filters",
    "id__exact",
    "action",
    "index",
    "_selected_action",
    "form_token",
    "lock_version",
    "opened_at",
    "username",
    "password",
    "otp_token",
    "code",
]
# The values each parameter a view reads gets: alone (non-ASCII digits, which str.isdigit
# takes and int refuses), then with the others.
ALONE_VALUES: list[bytes] = ["²".encode()]
SWEEP_VALUES: list[bytes] = [
    "１２".encode(),  # noqa: RUF001 (full-width digits, on purpose)
    b"99999999999999999999",
    b"1\x00",
    b"\xff\xed\xa0\x80",  # invalid UTF-8, and a lone surrogate encoded as UTF-8 would be
    b"x" * 100_000,
]
# Hostile path values, for a route's parameters.
PATH_VALUES: list[bytes] = [
    b"99999999999999999999",
    "²".encode(),
    b"9223372036854775808",
    b"\x00",
    "\u202eCP".encode(),
    b"\xff",
    b"\xed\xa0\x80",
    b"x" * 5_000,
]
# Hypothesis' examples per URL (each a GET and a POST); more for a deeper run.
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "1"))
OK_STATUSES = {200, 301, 302, 303, 400, 403, 404, 405, 410, 413, 415, 429}


def _enc(value: bytes) -> str:
    return quote_from_bytes(value, safe="")


def _query(pairs: list[tuple[str, bytes]]) -> str:
    return "&".join(f"{_enc(name.encode())}={_enc(value)}" for name, value in pairs)


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    with data_for_the_module(django_db_blocker):
        staff = world.make_staff()
        cases = world.form_cases(staff)
        matrix = world.matrix_cases(staff)
        factories.totp_device(staff["dm-other"])  # asked for a code after the password
        yield staff, cases, matrix


@pytest.fixture
def staff(_world, db):
    return fresh(_world[0])


def _targets_all(staff, cases, matrix) -> list[tuple[str, str | None]]:
    """The CSRF test's (url, user) for every route, with: the audit screens as a superuser,
    sign-out (ours and the admin's) as a client of its own, the second-factor pages of someone
    signed in with the password only, and every report page and CSV."""
    targets = []
    for url, user in _targets(cases, matrix):
        if url.startswith("/audit/"):
            user = "superuser"
        if url in (reverse("logout"), reverse("admin:logout")):
            user = f"signout:{user}"  # a client of its own: the sign-out ends its session
        targets.append((url, user))
        if url.startswith(("/sign-in/set-up/", "/sign-in/code/")):
            # dm-other has a device (asked for its code), analyst none (asked to set one up).
            targets.append((url, "password:dm-other" if "code" in url else "password:analyst"))
    analyst = StaffClient()
    analyst.force_login(staff["analyst"])
    for url in _csv_report_urls(analyst):
        targets.append((url, "analyst"))
    return sorted(set(targets), key=lambda t: (t[0], t[1] or ""))


def _csv_report_urls(analyst) -> list[str]:
    from reports.views import BUILDERS

    urls = []
    for slug in BUILDERS:
        page = reverse("reports:report", args=[slug])
        urls.append(page)
        body = analyst.get(page).content.decode()
        urls += sorted(set(re.findall(rf'href="(/reports/{slug}/[\w-]+\.csv)', body)))
    return urls


def _client(staff, clients: dict, user: str | None):
    if user not in clients:
        if user is None:
            clients[user] = Client()
        elif user.startswith("password:"):
            clients[user] = Client()
            clients[user].force_login(staff[user.split(":", 1)[1]])
        else:
            clients[user] = StaffClient()
            clients[user].force_login(staff[user.split(":")[-1]])
    return clients[user]


TARGETS: list[tuple[str, str | None]] = []
STATS = {"urls": 0, "admin_urls": 0, "names_read": 0, "examples": 0, "requests": 0, "path_urls": 0}


def _ask(client, method: str, url: str, query: str = "", body: str = "") -> tuple[int, str]:
    """One request in a savepoint rolled back after it: its status, or the exception."""
    full = f"{url}?{query}" if query else url
    try:
        with transaction.atomic():
            if method == "GET":
                response = client.get(full)
            else:
                response = client.post(full, body, content_type="application/x-www-form-urlencoded")
            transaction.set_rollback(True)
    except Exception as err:  # the test reports every server error
        return 500, f"{type(err).__name__}: {str(err)[:200]}"
    finally:
        STATS["requests"] += 1
    return response.status_code, ""


@pytest.fixture
def targets(_world, db):
    if not TARGETS:
        staff, cases, matrix = _world
        TARGETS.extend(_targets_all(fresh(staff), cases, matrix))
    return TARGETS


@contextmanager
def _names_read():
    """The names the code reads from any QueryDict (``request.GET``, ``request.POST``, their
    copies) while the block runs: the parameters a view reads by hand and its forms' fields."""
    read: set[str] = set()
    methods = ("get", "getlist", "__getitem__")
    originals = {m: getattr(QueryDict, m) for m in methods}
    own = {m: QueryDict.__dict__[m] for m in methods if m in QueryDict.__dict__}

    def recording(method):
        def wrapper(self, key, *args, **kwargs):
            read.add(key)
            return originals[method](self, key, *args, **kwargs)

        return wrapper

    for method in originals:
        setattr(QueryDict, method, recording(method))
    try:
        yield read
    finally:
        for method in methods:  # as it was: QueryDict's own, or MultiValueDict's inherited
            if method in own:
                setattr(QueryDict, method, own[method])
            else:
                delattr(QueryDict, method)


def _discover(client, url: str) -> tuple[set[str], set[str], set[str]]:
    """(names read on GET, names read on POST, fields of the page's forms)."""
    with _names_read() as on_get:
        page = client.get(url)
    with _names_read() as on_post:
        _ask(client, "POST", url)
    fields: set[str] = set()
    if page.status_code == 200 and "html" in page.get("Content-Type", ""):
        html = page.content.decode()
        fields = set(re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', html))
    return on_get, on_post, fields


def _hostile_examples(client, url: str, user, names: list[str], examples: int) -> list:
    """Hypothesis' examples for one URL: a GET with a hostile query string and a POST with a
    hostile body, each naming some of ``names``. Returns the server errors."""
    failures: list[tuple] = []

    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        query=st.lists(
            st.tuples(st.sampled_from(names), st.sampled_from(HOSTILE)), min_size=1, max_size=8
        ),
        body=st.dictionaries(
            st.sampled_from(names), st.sampled_from(HOSTILE), min_size=1, max_size=12
        ),
    )
    def hostile(query, body):
        for method, pairs in (("GET", query), ("POST", list(body.items()))):
            encoded = _query(pairs)
            got, error = _ask(client, method, url, *_placed(method, encoded))
            if got not in OK_STATUSES:
                failures.append((method, url, user, got, error, [(n, v[:20]) for n, v in pairs]))
        STATS["examples"] += 1

    hostile()
    return failures


def _placed(method: str, encoded: str) -> tuple[str, str]:
    """(query string, body) for ``encoded`` parameters sent by ``method`` (a POST sends them
    in both: a POST handler reads the query string too)."""
    return (encoded, "") if method == "GET" else (encoded, encoded)


def _sweep(client, url: str, user, on_get: set[str], on_post: set[str]) -> list:
    """Every value of ``SWEEP_VALUES`` in the parameters the view read: each parameter read on
    GET alone (so that no other parameter's refusal hides it), then all of them together, on
    GET and on POST."""
    failures = []
    asks = [("GET", [name], value) for name in sorted(on_get) for value in ALONE_VALUES]
    asks += [("GET", sorted(on_get), value) for value in SWEEP_VALUES if on_get]
    asks += [("POST", sorted(on_post), value) for value in [*ALONE_VALUES, *SWEEP_VALUES]]
    for method, names, value in asks:
        encoded = _query([(name, value) for name in names])
        got, error = _ask(client, method, url, *_placed(method, encoded))
        if got not in OK_STATUSES:
            failures.append((method, url, user, got, error, names[:5], value[:20]))
    return failures


def _still_signed_in(client, user) -> bool:
    return user is None or user.startswith("signout:") or "_auth_user_id" in client.session


ADMIN_OBJECT_PAGE = re.compile(r"^/admin/\w+/\w+/[^/]+/.+")


def test_every_url_with_hostile_query_and_body(staff, targets):
    """Every URL but the admin's record pages (tried with hostile ids in the path below):
    the parameters its view reads are found by asking it once (``_names_read``), then each gets
    the hostile numbers (``ALONE_VALUES``, ``SWEEP_VALUES``), and hypothesis sends its examples
    over those, the page's fields and ``QUERY_NAMES``."""
    clients: dict = {}
    failures: list[tuple] = []
    for url, user in targets:
        if ADMIN_OBJECT_PAGE.match(url) and not url.endswith("/add/"):
            continue
        client = _client(staff, clients, user)
        if url.startswith("/admin/"):  # Django's own list and add pages: examples only
            failures += _hostile_examples(client, url, user, QUERY_NAMES, EXAMPLES)
        else:
            on_get, on_post, fields = _discover(client, url)
            failures += _sweep(client, url, user, on_get, on_post)
            names = sorted(set(QUERY_NAMES) | on_get | on_post | fields)
            failures += _hostile_examples(client, url, user, names, EXAMPLES)
            STATS["names_read"] += len(on_get | on_post)
        assert _still_signed_in(client, user), (url, user, "the client was signed out")
        STATS["admin_urls" if url.startswith("/admin/") else "urls"] += 1
    print(f"\nhostile query/body: {STATS}, {len(HOSTILE)} hostile values")
    assert not failures, "\n".join(map(repr, failures[:80])) + f"\n({len(failures)} in all)"
    assert STATS["urls"] > 90
    assert STATS["admin_urls"] > 50


def test_every_route_with_hostile_path_values(staff, targets):
    """Each parameter of each route's URL in turn (the others kept: a real case's reference
    with a huge record id) holds each hostile path value (an admin page: a huge id and a
    non-ASCII digit)."""
    clients: dict = {}
    failures = []
    for url, user in targets:
        match = resolve(url)
        if not match.kwargs or "(?P" in match.route:
            continue
        client = _client(staff, clients, user)
        admin = url.startswith("/admin/")
        for name in match.kwargs:
            for value in PATH_VALUES[:2] if admin else PATH_VALUES:

                def part(m, name=name, value=value, kwargs=match.kwargs):
                    key = m.group(1)
                    return _enc(value) if key == name else _enc(str(kwargs[key]).encode())

                hostile = re.sub(r"<(?:\w+:)?(\w+)>", part, "/" + match.route)
                for method in ("GET",) if admin else ("GET", "POST"):
                    got, error = _ask(client, method, hostile, body="text=x")
                    if got not in OK_STATUSES:
                        failures.append((method, hostile[:120], user, got, error, value[:20]))
                STATS["path_urls"] += 1
    print(f"\nhostile paths: {STATS}")
    assert not failures, "\n".join(map(repr, failures[:60])) + f"\n({len(failures)} in all)"
    assert STATS["path_urls"] > 100
