"""How much of a request the app reads: bounded, and refused before it is read where possible.

- **Not signed in**: a ``multipart/form-data`` body is refused (415, a GOV.UK page) before a
  byte of it is read. No page a signed-out person can use takes a file (sign-in, the second
  factor, sign-out), and browsers post those forms url-encoded; only a script sends multipart
  there, and the multipart parser is the part of Django with the most to chew on.
- **Any body that is not multipart** (forms, JSON) larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``:
  413 before it is read, from its ``Content-Length``.
- **Multipart from a signed-in user** to a page without a file field: the same 413 for a
  ``Content-Length`` over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, and a file in it is refused (413) at
  its first bytes.
- **Uploads** (a page whose form has a file field, or a view with ``accepts_uploads = True``):
  ``UploadLimitHandler`` (first in ``FILE_UPLOAD_HANDLERS``) counts the file bytes as they
  arrive and stops reading the request as soon as they pass ``CONSENT_UPLOAD_MAX_BYTES``, the
  limit the form names. The form then gets a stand-in for the file that says how much was
  seen, so it shows its own message ("The selected file must be smaller than 10 MB") with
  everything else that was typed kept; the part of the body after the limit is never read.

Field values in a multipart body stay capped by Django itself (``DATA_UPLOAD_MAX_MEMORY_SIZE``,
``DATA_UPLOAD_MAX_NUMBER_FIELDS``, ``DATA_UPLOAD_MAX_NUMBER_FILES``: a 400).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from checkpoint.uploads import format_limit

BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def upload_limit() -> int:
    """The most file bytes one request may carry (the consent scan's limit)."""
    return int(settings.CONSENT_UPLOAD_MAX_BYTES)


def accepts_uploads(view_func: Callable) -> bool:
    """Whether a view takes files: its ``accepts_uploads``, else whether its form has a file
    field. Function views (the admin among them) take none."""
    view_class = getattr(view_func, "view_class", None)
    if view_class is None:
        return bool(getattr(view_func, "accepts_uploads", False))
    explicit = getattr(view_class, "accepts_uploads", None)
    if explicit is not None:
        return bool(explicit)
    form_class = getattr(view_class, "form_class", None)
    fields = getattr(form_class, "base_fields", {}) or {}
    return any(isinstance(field, forms.FileField) for field in fields.values())


def _content_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _is_multipart(request: HttpRequest) -> bool:
    return request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")


@dataclass(frozen=True)
class UploadOverflow:
    """A file that passed the limit: where it was and how much of it was read."""

    field_name: str
    file_name: str
    content_type: str
    bytes_read: int
    limit: int


class TooLargeUpload(UploadedFile):
    """Stands in for a file that was not read to its end: no content, and the size read so
    far (over the limit), so that the form's own size check refuses it with its message."""

    def __init__(self, overflow: UploadOverflow) -> None:
        super().__init__(
            file=io.BytesIO(b""),
            name=overflow.file_name,
            content_type=overflow.content_type,
            size=overflow.bytes_read,
        )


class UploadLimitHandler(FileUploadHandler):
    """Counts every file byte of the request; past the limit, stops reading the request.

    ``StopUpload(connection_reset=True)``: Django's parser then reads nothing more of the body
    (with ``False`` it would read the rest to throw it away). The limit is the request's
    ``upload_limit_bytes`` (set by ``RequestLimitsMiddleware``: 0 where the page takes no
    file), else ``upload_limit()``.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        limit = getattr(request, "upload_limit_bytes", None)
        self.limit = upload_limit() if limit is None else int(limit)
        self.total = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.total += len(raw_data)
        if self.total > self.limit:
            if self.request is not None:
                self.request.upload_overflow = UploadOverflow(  # type: ignore[attr-defined]
                    field_name=str(self.field_name),
                    file_name=str(self.file_name or ""),
                    content_type=str(self.content_type or ""),
                    bytes_read=self.total,
                    limit=self.limit,
                )
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) builds the file


# (No "Connection: close" here: WSGI forbids an application to set hop-by-hop headers. The
# server decides what to do with a body left unread; gunicorn's sync workers close the
# connection after every response.)


def too_large(request: HttpRequest, *, limit: int, files: bool = False) -> HttpResponse:
    context = {"limit": format_limit(limit), "files": files}
    return render(request, "request_too_large.html", context, status=413)


def multipart_refused(request: HttpRequest) -> HttpResponse:
    return render(request, "multipart_refused.html", status=415)


class RequestLimitsMiddleware:
    """Before ``CsrfViewMiddleware``, whose check reads the form (and so the whole body): these
    checks run on the headers first (``process_view``, after every ``__call__``, so the user
    is known)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method not in BODY_METHODS:
            return None
        length = _content_length(request)
        field_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if not _is_multipart(request):
            if field_limit is not None and length > field_limit:
                return too_large(request, limit=field_limit)
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return multipart_refused(request)
        uploads = accepts_uploads(view_func)
        request.upload_limit_bytes = upload_limit() if uploads else 0  # type: ignore[attr-defined]
        if not uploads and field_limit is not None and length > field_limit:
            return too_large(request, limit=field_limit)
        try:
            request.POST  # noqa: B018  (parse now, with the limit set, before the CSRF check)
        except OSError:
            return None  # an unreadable body: the CSRF check says so, as it would have
        overflow: UploadOverflow | None = getattr(request, "upload_overflow", None)
        if overflow is None:
            return None
        if not uploads:
            return too_large(request, limit=field_limit or 0, files=True)
        request.FILES.appendlist(overflow.field_name, TooLargeUpload(overflow))
        return None
