"""A short fuzz of every form (issue 7 point 6): junk in every field gives a clear error or a
safe success, never a 500, and no stored text comes back as markup.

For each form page, as its proper user on a case in a state where the form shows, the fields are
read from the page's HTML and filled by hypothesis with junk (overlong text, control characters
with NUL, right-to-left marks, emoji, words for numbers, huge and negative numbers, impossible
dates, HTML/JS payloads; for a file input, files with hostile names and contents) mixed with
values the page offered. Each POST must answer 200 with the GOV.UK error summary (or the
contract's check step) or 302; then the case page must not hold the raw payload. Each example
runs in a savepoint rolled back afterwards, so every example starts from the same case. Run on
PostgreSQL too: it refuses NUL in text, SQLite does not.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import data_for_the_module, fresh
from tests.security import world
from tests.security.test_access_matrix import SCREENS
from tests.security.test_csrf import NO_POST_FORM, SCREEN_CASE, _screen_url, _user_for_screen

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
]
RAW_MARKUP = ("<script>alert(1)", "<img src=x onerror=alert(1)>")
JUNK = [
    "",
    " ",
    "abc",
    "0",
    "-1",
    "-99999999999999999999",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "inf",
    "3.14159",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\u200f\u200e",
    "😀🚓" * 10,
    "x" * 5000,
    "\r\n\t",
    "31",
    "02",
    "2026",
    "0",
    "31/02/2026",
    "0/0/0",
    "2026-02-31",
    "9999",
    *PAYLOADS,
]
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),  # surrogates cannot be sent
    max_size=300,
)

FIELD = re.compile(
    r"<(input|select|textarea)\b([^>]*)>(.*?)(?=<(?:input|select|textarea)\b|</form>)", re.S | re.I
)


def _attr(attrs: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', attrs)
    return unescape(found.group(1)) if found else None


def page_fields(html: str) -> dict[str, list[str]]:
    """Field name -> the values the page offers (its value, each option), for POST forms."""
    fields: dict[str, list[str]] = {}
    for form in re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S | re.I):
        if 'action="/sign-out/"' in form[:300]:
            continue
        for tag, attrs, rest in FIELD.findall(form):
            name = _attr(attrs, "name")
            if not name or name == "csrfmiddlewaretoken":
                continue
            offered = fields.setdefault(name, [])
            if tag.lower() == "select":
                offered += [unescape(v) for v in re.findall(r'<option[^>]*value="([^"]*)"', rest)]
            else:
                value = _attr(attrs, "value")
                if value is not None:
                    offered.append(value)
    return fields


def file_fields(html: str) -> set[str]:
    """The names of the file inputs of the page's POST forms."""
    return {
        _attr(attrs, "name")
        for attrs in re.findall(r"<input\b([^>]*\btype=\"file\"[^>]*)>", html, re.I)
    }


# File uploads: hostile names (paths, NUL, right-to-left overrides, markup, overlong) on
# hostile or empty content, and on content that passes (to reach the storing and the lists).
JUNK_NAMES = [
    "consent.pdf",
    "../../../etc/passwd.pdf",
    "C:\\Windows\\system.ini.pdf",
    "a\x00b.pdf",
    "\u202egpj.pdf",
    "x" * 1000 + ".pdf",
    "<img src=x onerror=alert(1)>.pdf",
    "scan.png",
    "scan.jpg",
    "noextension",
    ".pdf",
]
JUNK_CONTENT = [
    b"",
    world.SCAN_PDF,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 13,
    b"\xff\xd8\xff\xe0" + b"\x00" * 20,
    b"<html><script>alert(1)</script></html>",
    b"%PDF-1.4 <script>alert(1)</script>",
    b"\x00" * 64,
]
FILES = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.one_of(st.sampled_from(JUNK_NAMES), TEXT.filter(bool)),
    st.one_of(st.sampled_from(JUNK_CONTENT), st.binary(max_size=300)),
)


def body_strategy(fields: dict[str, list[str]], files: set[str] = frozenset()):
    """Each field: a value the page offered, junk, or random text (sometimes left out); each
    file input: a junk file."""
    parts = {}
    for name, offered in fields.items():
        choices = [st.sampled_from(JUNK), TEXT, st.integers(-(10**20), 10**20).map(str)]
        if offered:
            choices = [st.sampled_from(offered)] * 2 + choices
        if name in files:
            choices = [FILES] * 3 + choices
        parts[name] = st.one_of(*choices) | st.none()
    return st.fixed_dictionaries(parts).map(lambda d: {k: v for k, v in d.items() if v is not None})


def _texts(body: dict) -> str:
    """Every string posted, file names included (they are stored and shown)."""
    return "".join(v if isinstance(v, str) else v.name for v in body.values())


FORM_SCREENS = sorted(
    name for name in SCREENS if name not in NO_POST_FORM and name != "navigators:case-history"
)
OTHER_FORMS = ["custody:case-new"]


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """The people, and a case in every state a form needs, built once for the module; each
    test (and each example, in its own savepoint) is rolled back after it."""
    with data_for_the_module(django_db_blocker):
        staff = world.make_staff()
        yield staff, world.form_cases(staff)


@pytest.fixture
def staff(_world, db):
    return fresh(_world[0])


@pytest.fixture
def form_cases(_world, db):
    return fresh(_world[1])


def _check_answer(response, url: str, body: dict) -> None:
    content = response.content.decode()
    where = (url, response.status_code, {k: str(v)[:60] for k, v in body.items()})
    assert response.status_code in (200, 302), where
    if response.status_code == 200:
        assert "govuk-error-summary" in content or "Check the contract before signing" in content, (
            where
        )
    for raw in RAW_MARKUP:
        assert raw not in content, (where, raw)


@pytest.mark.parametrize("screen", FORM_SCREENS + OTHER_FORMS)
def test_junk_in_every_field_gives_an_error_or_a_safe_success(client, staff, form_cases, screen):
    if screen in OTHER_FORMS:
        url, user, case = reverse(screen), "dm", None
    else:
        key = SCREEN_CASE.get(screen, "active")
        case = form_cases[key]
        url, user = _screen_url(screen, {key: case}), _user_for_screen(screen)
    client.force_login(staff[user])
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    fields = page_fields(page.content.decode())
    files = file_fields(page.content.decode())
    # A button-only form (start the contract) has no fields: junk ones are posted instead.
    fields = fields or {"junk": [], "step": []}
    case_page = reverse("navigators:case", args=[case.reference]) if case else None

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=body_strategy(fields, files))
    def post_junk(body):
        with transaction.atomic():
            response = client.post(url, body)
            _check_answer(response, url, body)
            if response.status_code == 302 and case_page and "<" in _texts(body):
                shown = client.get(case_page)
                assert shown.status_code == 200
                for raw in RAW_MARKUP:
                    assert raw not in shown.content.decode(), (url, body, raw)
            transaction.set_rollback(True)

    post_junk()


def test_a_stored_payload_comes_back_escaped(client, staff, form_cases):
    """The positive control: a note holding a script is stored and shown as text."""
    case = form_cases["active"]
    cases = {"active": case}
    client.force_login(staff["nav"])
    form = client.get(_screen_url("navigators:note-new", cases)).content.decode()
    fields = page_fields(form)
    assert set(fields) == {"text", "form_token"}
    body = {"form_token": fields["form_token"][0], "text": PAYLOADS[0] + PAYLOADS[1]}
    assert client.post(_screen_url("navigators:note-new", cases), body).status_code == 302
    shown = client.get(reverse("navigators:case", args=[case.reference])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
    for raw in RAW_MARKUP:
        assert raw not in shown


@pytest.mark.parametrize(
    "reference", ["\x00", "CP-\x00", "%00", "<script>", "\u202e", "x" * 500, "😀", "'"]
)
def test_junk_in_a_case_reference_is_not_found(client, staff, reference):
    """NUL in the reference was a 500 on PostgreSQL (it refuses NUL in a query)."""
    client.force_login(staff["sup"])
    for url in ("/cases/{}/", "/cases/{}/notes/new/", "/team/cases/{}/breach/"):
        assert client.get(url.format(reference)).status_code == 404, url
        assert client.post(url.format(reference), {"text": "x"}).status_code == 404, url
