"""Uploaded scans of signed consent forms: where they are kept and what is accepted.

- Storage: ``PrivateStorage`` writes under ``settings.PRIVATE_MEDIA_ROOT`` (outside the web root
  and STATIC_ROOT), owner-only permissions, and has no base URL: ``url()`` raises, so no page
  can link to a file. Files are read only by the access-checked download view.
- Type: decided by the file's first bytes (PDF, JPEG, PNG), never by its name or the browser's
  content type; a name whose extension says another type is refused too, so a file is never
  stored under a misleading name.
- Names: the stored name is random (``consent/<uuid>``); the name the user gave is kept, made
  safe, for display and the download's ``Content-Disposition`` only.

Pure functions (no ORM): the form uses them for its messages and the service checks again.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
LABELS = {PDF: "PDF", JPEG: "JPG", PNG: "PNG"}
EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}
ALLOWED_LABEL = "a PDF, JPG or PNG"
MAX_NAME_LENGTH = 100
FALLBACK_NAME = "consent-form"


class UploadRefused(ValueError):
    """The file is not accepted; ``message`` says why, GOV.UK-style."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@deconstructible(path="checkpoint.uploads.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read on each use, so tests can move it); no URL."""

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]  # stubs: str; Django allows None
        return None  # FileSystemStorage.url() then raises: "not accessible via a URL"


private_storage = PrivateStorage()


def consent_upload_to(instance, filename: str) -> str:
    """A random stored name: nothing of the user's file name reaches the file system."""
    return f"consent/{uuid.uuid4().hex}"


def format_limit(size: int) -> str:
    """A byte count as the GOV.UK messages write it: '10 MB', '200 KB', '500 bytes'."""
    mb, kb = 1024 * 1024, 1024
    if size >= mb and size % mb == 0:
        return f"{size // mb} MB"
    if size >= kb and size % kb == 0:
        return f"{size // kb} KB"
    return f"{size} bytes"


def safe_filename(name: str | None) -> str:
    """The user's file name made safe to show and to put in a header.

    Keeps the last path segment only (browsers on Windows send ``C:\\...``; an attacker sends
    ``../../``), drops control and format characters (NUL, newlines, right-to-left overrides
    that disguise an extension), trims dots and spaces, and shortens long names keeping the
    extension.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    text = " ".join(text.split()).strip(" .")
    if not text:
        return FALLBACK_NAME
    stem, ext = os.path.splitext(text)
    if len(ext) > 10:
        stem, ext = text, ""
    if len(text) > MAX_NAME_LENGTH:
        text = stem[: MAX_NAME_LENGTH - len(ext)].rstrip(" .") + ext
    return text or FALLBACK_NAME


def sniff(head: bytes, tail: bytes = b"") -> str | None:
    """The content type the bytes show, or None: PDF, JPEG or PNG only.

    ``head`` is the first bytes of the file (16 are enough), ``tail`` its last kilobyte (a PDF
    ends with ``%%EOF``; one without it was cut short).
    """
    if head.startswith(b"%PDF-") and b"%%EOF" in tail:
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return PNG
    return None


@dataclass(frozen=True)
class CheckedUpload:
    filename: str
    content_type: str
    size: int
    sha256: str


def _read(upload) -> tuple[bytes, bytes, str]:
    """The first 16 bytes, the last 1 KB and the SHA-256 of an uploaded file."""
    digest = hashlib.sha256()
    head, tail = b"", b""
    upload.seek(0)
    for chunk in upload.chunks():
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        tail = (tail + chunk)[-1024:]
        digest.update(chunk)
    upload.seek(0)
    return head, tail, digest.hexdigest()


def digest_matches(handle, sha256: str) -> bool:
    """Whether the stored file's bytes still have the SHA-256 recorded at upload; the file is
    read from the start and left at the start again, ready to be sent."""
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(64 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest() == sha256


def check_upload(upload, *, max_bytes: int) -> CheckedUpload:
    """Accept a scan or raise ``UploadRefused`` with a message naming the problem."""
    limit = format_limit(max_bytes)
    if upload is None:
        raise UploadRefused("Select the scan of the signed consent form")
    size = upload.size or 0
    if size == 0:
        raise UploadRefused("The selected file is empty")
    if size > max_bytes:
        raise UploadRefused(f"The selected file must be smaller than {limit}")
    filename = safe_filename(upload.name)
    head, tail, sha256 = _read(upload)
    found = sniff(head, tail)
    ext = os.path.splitext(filename)[1].lower()
    named = EXTENSIONS.get(ext)
    if found is None:
        if named is not None:
            raise UploadRefused(
                f"The selected file's name ends in {ext} but it is not a {LABELS[named]}: "
                f"upload the scan as {ALLOWED_LABEL}"
            )
        raise UploadRefused(f"The selected file must be {ALLOWED_LABEL}")
    if named is None:
        raise UploadRefused(
            f"The selected file is a {LABELS[found]} but its name does not end in "
            f"{', '.join(e for e, t in EXTENSIONS.items() if t == found)}: rename it and "
            "upload it again"
        )
    if named != found:
        raise UploadRefused(
            f"The selected file's name ends in {ext} but it is a {LABELS[found]}: rename it "
            "and upload it again"
        )
    return CheckedUpload(filename=filename, content_type=found, size=size, sha256=sha256)
