"""Request size (issue 17 point 5): bodies are capped, uploads stop being read as soon as they
pass the limit, and forms for people who are signed out refuse multipart bodies unread.

Large bodies are made on the fly by a generator behind ``wsgi.input`` (as a WSGI server hands
the body over), which counts what the app reads: the tests assert the bytes read, not only
the answer. The bodies claim 50 MB; none is ever built in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from checkpoint import services
from checkpoint.models import CaseNote, ConsentDocument
from tests import factories
from web.request_limits import UploadLimitHandler

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
CLAIMED = 50 * MB
BOUNDARY = "----checkpoint-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
URLENCODED = "application/x-www-form-urlencoded"
CHUNK = 64 * 1024


class CountingBody:
    """A request body from a generator: reads only what is asked, and counts it."""

    def __init__(self, parts: Iterator[bytes]) -> None:
        self._parts = parts
        self._buffer = b""
        self.bytes_read = 0

    def _fill(self, size: int) -> None:
        while size < 0 or len(self._buffer) < size:
            try:
                self._buffer += next(self._parts)
            except StopIteration:
                return

    def read(self, size: int = -1) -> bytes:
        self._fill(size)
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        self.bytes_read += len(out)
        return out

    def readline(self, size: int = -1) -> bytes:
        self._fill(size if size >= 0 else CHUNK)
        end = self._buffer.find(b"\n")
        cut = len(self._buffer) if end < 0 else end + 1
        if size >= 0:
            cut = min(cut, size)
        out, self._buffer = self._buffer[:cut], self._buffer[cut:]
        self.bytes_read += len(out)
        return out


def multipart(fields: dict[str, str], file_field: str | None, file_size: int) -> Iterator[bytes]:
    """The parts of a multipart body: the fields, then (if any) a PDF of ``file_size`` bytes,
    produced 64 KB at a time."""
    for name, value in fields.items():
        yield (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    if file_field:
        yield (
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
            f'name="{file_field}"; filename="consent.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
        ).encode()
        sent = 9
        while sent < file_size:
            part = min(CHUNK, file_size - sent)
            yield b"0" * part
            sent += part
        yield b"\r\n"
    yield f"--{BOUNDARY}--\r\n".encode()


def length_of(parts: Iterator[bytes]) -> int:
    """The exact length of a generated body (made and thrown away 64 KB at a time)."""
    return sum(len(part) for part in parts)


def post_stream(client, url: str, parts: Iterator[bytes], *, content_type: str, length: int):
    """POST a body from a generator, saying it is ``length`` bytes long (its
    ``Content-Length``). Returns the response and the body (for its ``bytes_read``)."""
    body = CountingBody(parts)
    response = client.generic(
        "POST",
        url,
        **{"wsgi.input": body, "CONTENT_LENGTH": str(length), "CONTENT_TYPE": content_type},
    )
    return response, body


def test_the_settings_cap_bodies_and_put_the_upload_limit_first():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2 * MB
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 1000
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES <= 10
    assert settings.FILE_UPLOAD_HANDLERS[0] == "web.request_limits.UploadLimitHandler"
    order = settings.MIDDLEWARE
    assert order.index("web.request_limits.RequestLimitsMiddleware") < order.index(
        "django.middleware.csrf.CsrfViewMiddleware"
    ), "the limits must run before the CSRF check reads the form"


# --- signed out ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/sign-in/", "/sign-in/code/", "/sign-in/set-up/", "/"])
def test_a_multipart_post_while_signed_out_is_refused_unread(password_only_client, url):
    parts = multipart({"username": "nav", "password": "x"}, "scan", CLAIMED)
    response, body = post_stream(
        password_only_client, url, parts, content_type=MULTIPART, length=CLAIMED
    )
    assert response.status_code == 415
    html = response.content.decode()
    assert "This form cannot be sent this way" in html
    assert "Nothing has been read or saved" in html
    assert body.bytes_read == 0


def test_a_large_form_post_while_signed_out_is_refused_unread(password_only_client):
    parts = iter([b"username=nav&password=", b"x" * CHUNK] + [b"x" * CHUNK] * 10)
    response, body = post_stream(
        password_only_client, "/sign-in/", parts, content_type=URLENCODED, length=CLAIMED
    )
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert "at most 1 MB" in response.content.decode()
    assert body.bytes_read == 0


def test_the_sign_in_form_as_a_browser_sends_it_still_works(password_only_client, navigator):
    navigator.set_password("A-long-enough-password-1")
    navigator.save()
    body = urlencode({"username": "nav", "password": "A-long-enough-password-1"})
    response = password_only_client.post("/sign-in/", body, content_type=URLENCODED)
    assert response.status_code == 302


# --- signed in -------------------------------------------------------------------------------


@pytest.fixture
def nav_client(client, navigator):
    client.force_login(navigator)
    return client


@pytest.fixture
def started(dm, team, navigator):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator)
    services.contract_open(case_id=case.pk, by=navigator)
    return case


def _lock_of(page) -> dict[str, str]:
    form = page.context["form"]
    names = ("lock_version", "opened_at", "form_token")
    return {name: str(form[name].value()) for name in names if name in form.fields}


@override_settings(CONSENT_UPLOAD_MAX_BYTES=1 * MB)
def test_an_upload_stops_being_read_as_soon_as_it_passes_the_limit(nav_client, started):
    """A 50 MB scan on the consent page: reading stops a chunk past 1 MB; the page says the
    file is too large, and the rest of what was typed is kept."""
    url = reverse("navigators:contract-consent", args=[started.reference])
    page = nav_client.get(url)
    today = timezone.localdate()
    fields = {
        **_lock_of(page),
        "method": "paper_signed",
        "given_on_day": str(today.day),
        "given_on_month": str(today.month),
        "given_on_year": str(today.year),
    }
    length = length_of(multipart(fields, "scan", CLAIMED))
    response, body = post_stream(
        nav_client, url, multipart(fields, "scan", CLAIMED), content_type=MULTIPART, length=length
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The selected file must be smaller than 1 MB" in html
    assert 'value="paper_signed" checked' in html or 'checked value="paper_signed"' in html
    assert f'value="{today.year}"' in html  # the date typed is kept
    assert not ConsentDocument.objects.exists()
    limit = settings.CONSENT_UPLOAD_MAX_BYTES
    print(f"\nupload of {length:,} bytes: {body.bytes_read:,} read (limit {limit:,})")
    assert limit < body.bytes_read <= limit + 3 * CHUNK, body.bytes_read
    assert body.bytes_read < CLAIMED / 40


@override_settings(CONSENT_UPLOAD_MAX_BYTES=1 * MB)
def test_a_scan_under_the_limit_is_still_read_in_full(nav_client, started):
    """The limit is on the bytes, not on the claim: a scan just under it reaches the form's
    own checks (this one is not a whole PDF: no %%EOF)."""
    url = reverse("navigators:contract-consent", args=[started.reference])
    page = nav_client.get(url)
    size = 1 * MB - 100
    fields = {**_lock_of(page), "method": "paper_signed"}
    length = length_of(multipart(fields, "scan", size))
    parts = multipart(fields, "scan", size)
    response, body = post_stream(nav_client, url, parts, content_type=MULTIPART, length=length)
    assert response.status_code == 200
    html = response.content.decode()
    assert "smaller than" not in html.split("govuk-error-summary", 1)[-1].split("</ul>", 1)[0]
    assert "is not a PDF" in html
    assert body.bytes_read == length


def test_a_file_sent_to_a_page_without_a_file_field_is_refused_at_its_first_bytes(
    nav_client, started
):
    url = reverse("navigators:note-new", args=[started.reference])
    page = nav_client.get(url)
    fields = {**_lock_of(page), "text": "A note sent with a file"}
    length = length_of(multipart(fields, "scan", 900 * 1024))
    parts = multipart(fields, "scan", 900 * 1024)
    response, body = post_stream(nav_client, url, parts, content_type=MULTIPART, length=length)
    assert response.status_code == 413
    assert "This page does not take files" in response.content.decode()
    assert body.bytes_read <= 2 * CHUNK + 2048, body.bytes_read
    assert not CaseNote.objects.filter(text="A note sent with a file").exists()


def test_a_multipart_body_over_the_form_limit_to_a_page_without_files_is_refused_unread(
    nav_client, started
):
    url = reverse("navigators:note-new", args=[started.reference])
    parts = multipart({"text": "x"}, "scan", CLAIMED)
    response, body = post_stream(nav_client, url, parts, content_type=MULTIPART, length=CLAIMED)
    assert response.status_code == 413
    assert body.bytes_read == 0


def test_a_large_form_post_while_signed_in_is_refused_unread(nav_client, started):
    url = reverse("navigators:note-new", args=[started.reference])
    parts = iter([b"text=", b"x" * CHUNK] * 40)
    response, body = post_stream(nav_client, url, parts, content_type=URLENCODED, length=CLAIMED)
    assert response.status_code == 413
    assert body.bytes_read == 0


def test_too_many_fields_is_a_400_not_a_500(nav_client, started):
    url = reverse("navigators:note-new", args=[started.reference])
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 5))
    response = nav_client.post(url, body, content_type=URLENCODED)
    assert response.status_code == 400


def test_the_handler_alone_stops_at_the_limit_without_the_middleware(rf):
    """Wherever a request is parsed (the handler is in FILE_UPLOAD_HANDLERS for every
    request), the scan's limit applies: with no limit set on the request, the setting's."""
    from django.core.files.uploadhandler import StopUpload

    request = rf.post("/")
    handler = UploadLimitHandler(request)
    handler.new_file("scan", "consent.pdf", "application/pdf", None)
    chunk = b"0" * CHUNK
    sent = 0
    with pytest.raises(StopUpload) as stopped:
        while True:
            handler.receive_data_chunk(chunk, sent)
            sent += len(chunk)
    assert stopped.value.connection_reset  # the rest of the body is never read
    assert sent <= settings.CONSENT_UPLOAD_MAX_BYTES
    assert request.upload_overflow.bytes_read > settings.CONSENT_UPLOAD_MAX_BYTES
