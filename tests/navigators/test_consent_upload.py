"""Scans of the signed consent form: upload (with consent, or afterwards), what is refused and
why, where the file is kept, the download and its log, and who can reach either."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone

from checkpoint import roles, services, uploads
from checkpoint.actors import SYSTEM
from checkpoint.models import (
    AccessLog,
    ConsentDocument,
    ConsentMethod,
    Contract,
    RetentionReview,
    SchemeVersion,
)
from checkpoint.services import CaseNotFound, NotPermitted, TransitionBlocked
from checkpoint.services.retention import retention_erase
from tests import factories
from tests.supervisors.helpers import live_case

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x01" * 2 + b"\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\xff\xd9"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    root = tmp_path / "private-uploads"
    settings.PRIVATE_MEDIA_ROOT = root
    return root


@pytest.fixture
def started(dm, team, navigator):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator)
    services.contract_open(case_id=case.pk, by=navigator)
    return case


@pytest.fixture
def signed(dm, team, navigator):
    """An active case whose consent was given on a signed paper form, with no scan yet."""
    case = live_case(
        days_ago=0, builder=factories.accepted_case, dm=dm, team=team, navigator=navigator
    )
    factories.build_contract(case, navigator=navigator, now=timezone.now())
    services.consent_record(
        case_id=case.pk,
        by=navigator,
        method=ConsentMethod.PAPER_SIGNED,
        given_on=timezone.localdate(),
    )
    return services.contract_sign(case_id=case.pk, by=navigator, starts_on=timezone.localdate())


@pytest.fixture
def nav_client(client, navigator):
    client.force_login(navigator)
    return client


@pytest.fixture
def stranger(team):
    return factories.make_user(roles.NAVIGATOR, team=team, username="nav-unrelated")


def scan(content: bytes = PDF, name: str = "signed consent.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def lock_of(response) -> dict:
    html = response.content.decode()
    return {
        name: re.search(rf'name="{name}" value="([^"]+)"', html).group(1)
        for name in ("lock_version", "opened_at")
    }


def consent_body(client, case, **extra) -> dict:
    page = client.get(reverse("navigators:contract-consent", args=[case.reference]))
    assert page.status_code == 200
    today = timezone.localdate()
    return {
        "method": ConsentMethod.PAPER_SIGNED,
        "given_on_day": today.day,
        "given_on_month": today.month,
        "given_on_year": today.year,
        **lock_of(page),
        **extra,
    }


def post_consent(client, case, **extra):
    url = reverse("navigators:contract-consent", args=[case.reference])
    return client.post(url, consent_body(client, case, **extra))


def upload_later(client, case, upload):
    url = reverse("navigators:consent-documents", args=[case.reference])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, {"scan": upload, **lock_of(page)})


def assert_refused(response, message: str) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert 'href="#id_scan"' in html
    assert message in html
    assert re.search(r"<title>\s*Error: ", html)
    assert not ConsentDocument.objects.exists()
    return html


# --- upload with consent -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (PDF, "consent.pdf", "application/pdf"),
        (PNG, "form.PNG", "image/png"),
        (JPEG, "form.jpeg", "image/jpeg"),
    ],
)
def test_a_scan_is_stored_privately_under_a_random_name(
    nav_client, started, navigator, private_root, content, name, content_type
):
    response = post_consent(nav_client, started, scan=scan(content, name))
    assert response.status_code == 302
    document = ConsentDocument.objects.get()
    assert document.contract == Contract.objects.get(case=started)
    assert (document.original_filename, document.content_type) == (name, content_type)
    assert document.size == len(content)
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.uploaded_by == navigator
    stored = Path(document.file.path).resolve()
    assert stored.is_relative_to(private_root.resolve())
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.BASE_DIR).resolve())
    assert re.fullmatch(r"consent/[0-9a-f]{32}", document.file.name)
    assert stored.read_bytes() == content
    assert stored.stat().st_mode & 0o077 == 0  # owner-only
    contract = Contract.objects.get(case=started)
    assert contract.consent_method == ConsentMethod.PAPER_SIGNED


def test_a_pdf_name_on_html_content_is_refused_and_the_other_answers_are_kept(nav_client, started):
    response = post_consent(nav_client, started, scan=scan(HTML, "consent.pdf"))
    html = assert_refused(
        response,
        "The selected file&#x27;s name ends in .pdf but it is not a PDF: upload the scan as a "
        "PDF, JPG or PNG",
    )
    today = timezone.localdate()
    assert re.search(r'value="paper_signed" checked', html)
    assert re.search(rf'name="given_on_day"[^>]*value="{today.day}"', html)
    assert re.search(rf'name="given_on_year"[^>]*value="{today.year}"', html)
    assert 'enctype="multipart/form-data"' in html
    assert Contract.objects.get(case=started).consent_given_on is None  # nothing saved


def test_a_png_named_pdf_is_refused_as_mismatched(nav_client, started):
    response = post_consent(nav_client, started, scan=scan(PNG, "consent.pdf"))
    assert_refused(response, "name ends in .pdf but it is a PNG: rename it")


def test_a_type_other_than_pdf_jpg_or_png_is_refused(nav_client, started):
    response = post_consent(nav_client, started, scan=scan(b"GIF89a" + b"\x00" * 20, "x.gif"))
    assert_refused(response, "The selected file must be a PDF, JPG or PNG")


def test_a_pdf_cut_short_is_refused(nav_client, started):
    response = post_consent(nav_client, started, scan=scan(PDF[:40], "consent.pdf"))
    assert_refused(response, "is not a PDF")


def test_an_oversize_file_is_refused_naming_the_limit(nav_client, started, settings):
    settings.CONSENT_UPLOAD_MAX_BYTES = 1024
    big = PDF[:-7] + b"\x00" * 2000 + b"\n%%EOF\n"
    page = nav_client.get(reverse("navigators:contract-consent", args=[started.reference]))
    assert "smaller than 1 KB" in page.content.decode()  # the hint names it too
    response = post_consent(nav_client, started, scan=scan(big, "consent.pdf"))
    assert_refused(response, "The selected file must be smaller than 1 KB")


def test_an_empty_file_is_refused(nav_client, started):
    response = post_consent(nav_client, started, scan=scan(b"", "consent.pdf"))
    assert_refused(response, "The selected file is empty")


def test_a_scan_with_in_person_consent_is_refused(nav_client, started):
    response = post_consent(
        nav_client, started, method=ConsentMethod.IN_PERSON, scan=scan(PDF, "consent.pdf")
    )
    html = assert_refused(
        response, "Only upload a scan if consent was given on a signed paper form"
    )
    assert re.search(r'value="in_person" checked', html)


def test_consent_without_a_scan_is_still_recorded(nav_client, started):
    assert post_consent(nav_client, started).status_code == 302
    assert Contract.objects.get(case=started).consent_method == ConsentMethod.PAPER_SIGNED
    assert not ConsentDocument.objects.exists()


def test_a_hostile_file_name_is_kept_only_as_safe_text(nav_client, started, private_root):
    name = "../../etc/\u202egpj.\x07consent" + "x" * 300 + ".pdf"
    response = post_consent(nav_client, started, scan=scan(PDF, name))
    assert response.status_code == 302
    document = ConsentDocument.objects.get()
    assert "/" not in document.original_filename and "\u202e" not in document.original_filename
    assert "\x07" not in document.original_filename
    assert len(document.original_filename) <= uploads.MAX_NAME_LENGTH
    assert document.original_filename.endswith(".pdf")
    assert Path(document.file.path).resolve().is_relative_to(private_root.resolve())


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("C:\\Users\\nav\\Scan 1.pdf", "Scan 1.pdf"),
        ("../../../etc/passwd", "passwd"),
        ("a\x00b\r\n.pdf", "ab.pdf"),
        ("evil\u202efdp.exe", "evilfdp.exe"),
        ("...", uploads.FALLBACK_NAME),
        ("", uploads.FALLBACK_NAME),
        ("x" * 500 + ".jpeg", "x" * 95 + ".jpeg"),
    ],
)
def test_safe_filename(given, safe):
    assert uploads.safe_filename(given) == safe


def test_format_limit():
    assert [uploads.format_limit(n) for n in (10 * 1024 * 1024, 2048, 1000)] == [
        "10 MB",
        "2 KB",
        "1000 bytes",
    ]


# --- upload afterwards, the lists ----------------------------------------------------------


def test_a_scan_is_uploaded_after_signing_and_listed_on_the_case_page(nav_client, signed):
    response = upload_later(nav_client, signed, scan(PDF, "Signed form.pdf"))
    assert response.status_code == 302
    document = ConsentDocument.objects.get()
    case_page = nav_client.get(reverse("navigators:case", args=[signed.reference]))
    html = case_page.content.decode()
    download = reverse("navigators:consent-document", args=[signed.reference, document.pk])
    assert f'href="{download}"' in html
    assert "Signed form.pdf" in html
    assert filesizeformat(len(PDF)) in html
    listed = nav_client.get(reverse("navigators:consent-documents", args=[signed.reference]))
    assert "Signed form.pdf" in listed.content.decode()
    assert 'enctype="multipart/form-data"' in listed.content.decode()


def test_the_task_list_shows_the_scan(nav_client, started, navigator):
    assert post_consent(nav_client, started, scan=scan(PNG, "form.png")).status_code == 302
    builder = nav_client.get(reverse("navigators:contract", args=[started.reference]))
    html = builder.content.decode()
    assert "Scan: form.png" in html
    assert "uploaded by" in html


def test_upload_later_needs_paper_consent(nav_client, dm, team, navigator):
    case = live_case(dm=dm, team=team, navigator=navigator)
    response = upload_later(nav_client, case, scan())
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Record the participant&#x27;s consent as given on a signed paper form" in html
    assert not ConsentDocument.objects.exists()


def test_upload_later_without_a_file_asks_for_one(nav_client, signed):
    url = reverse("navigators:consent-documents", args=[signed.reference])
    page = nav_client.get(url)
    response = nav_client.post(url, lock_of(page))
    assert_refused(response, "Select the scan of the signed consent form")


def test_a_decision_maker_cannot_upload(dm, signed):
    with pytest.raises(NotPermitted):
        services.consent_document_add(case_id=signed.pk, by=dm, upload=scan())


def test_no_upload_on_a_closed_case(navigator, supervisor, signed):
    services.case_withdraw(case_id=signed.pk, by=navigator, reason="Moved away")
    services.prosecution_refer(case_id=signed.pk, by=supervisor, reason="Withdrew")
    with pytest.raises(TransitionBlocked):
        services.consent_document_add(case_id=signed.pk, by=navigator, upload=scan())


# --- download ------------------------------------------------------------------------------


def _stored(signed, navigator, content: bytes = PDF, name: str = "Signed form.pdf"):
    return services.consent_document_add(
        case_id=signed.pk, by=navigator, upload=scan(content, name)
    )


def test_the_owner_downloads_the_scan_as_an_attachment_and_it_is_logged(
    nav_client, signed, navigator
):
    document = _stored(signed, navigator, PNG, "Signed form.png")
    url = reverse("navigators:consent-document", args=[signed.reference, document.pk])
    before = AccessLog.objects.count()
    response = nav_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG  # (consuming it closes the file)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="Signed form.png"'
    assert response["Cache-Control"] == "no-store"
    assert AccessLog.objects.count() == before + 1
    log = AccessLog.objects.order_by("-pk").first()
    assert (log.user, log.case_id, log.person_id) == (navigator, signed.pk, signed.person_id)
    assert (log.page, log.path) == ("navigators:consent-document", url)


def test_a_supervisor_of_the_team_downloads_too(client, signed, navigator, supervisor):
    document = _stored(signed, navigator)
    client.force_login(supervisor)
    url = reverse("navigators:consent-document", args=[signed.reference, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_an_unrelated_navigator_gets_404_for_upload_and_download(
    client, signed, navigator, stranger
):
    document = _stored(signed, navigator)
    client.force_login(stranger)
    upload_url = reverse("navigators:consent-documents", args=[signed.reference])
    download_url = reverse("navigators:consent-document", args=[signed.reference, document.pk])
    assert client.get(upload_url).status_code == 404
    lock = {"lock_version": signed.lock_version, "opened_at": timezone.now().isoformat()}
    assert client.post(upload_url, {"scan": scan(), **lock}).status_code == 404
    assert client.get(download_url).status_code == 404
    assert ConsentDocument.objects.count() == 1
    assert not AccessLog.objects.filter(user=stranger).exists()
    with pytest.raises(CaseNotFound):  # out of reach: not revealed
        services.consent_document_add(case_id=signed.pk, by=stranger, upload=scan())


def test_a_scan_of_another_case_is_not_found_under_this_reference(
    nav_client, signed, dm, team, navigator
):
    other = factories.accepted_case(dm=dm, team=team, navigator=navigator)
    services.contract_open(case_id=other.pk, by=navigator)
    services.consent_record(
        case_id=other.pk, by=navigator, method="paper_signed", given_on=timezone.localdate()
    )
    theirs = _stored(other, navigator)
    url = reverse("navigators:consent-document", args=[signed.reference, theirs.pk])
    assert nav_client.get(url).status_code == 404


def test_the_file_has_no_public_url(nav_client, signed, navigator, private_root):
    document = _stored(signed, navigator)
    with pytest.raises(ValueError, match="not accessible via a URL"):
        document.file.url  # noqa: B018
    stored = document.file.name
    hex_name = stored.rsplit("/", 1)[-1]
    for url in (
        f"/static/{stored}",
        f"/media/{stored}",
        f"/static/private-uploads/{stored}",
        f"/media/private-uploads/{stored}",
        f"/{stored}",
        f"/private-uploads/{stored}",
        f"/static/{hex_name}",
        f"/media/{hex_name}",
    ):
        response = nav_client.get(url)
        assert response.status_code == 404, url
        assert PDF not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_a_missing_file_is_not_found(nav_client, signed, navigator):
    document = _stored(signed, navigator)
    Path(document.file.path).unlink()
    url = reverse("navigators:consent-document", args=[signed.reference, document.pk])
    assert nav_client.get(url).status_code == 404


# --- signed consent required ----------------------------------------------------------------


def test_a_scheme_needing_signed_consent_needs_the_scan_before_signing(
    nav_client, dm, team, navigator
):
    case = live_case(
        days_ago=0, builder=factories.accepted_case, dm=dm, team=team, navigator=navigator
    )
    SchemeVersion.objects.filter(pk=case.scheme_version_id).update(signed_consent_required=True)
    factories.build_contract(case, navigator=navigator, now=timezone.now())
    services.consent_record(
        case_id=case.pk,
        by=navigator,
        method=ConsentMethod.PAPER_SIGNED,
        given_on=timezone.localdate(),
    )
    contract = Contract.objects.get(case=case)
    assert "Upload the scan of the signed consent form" in [b.message for b in contract.blockers()]
    builder = nav_client.get(reverse("navigators:contract", args=[case.reference]))
    assert "Upload the scan of the signed consent form" in builder.content.decode()
    with pytest.raises(TransitionBlocked):
        services.contract_sign(case_id=case.pk, by=navigator, starts_on=timezone.localdate())
    _stored(case, navigator)
    assert Contract.objects.get(case=case).blockers() == []
    services.contract_sign(case_id=case.pk, by=navigator, starts_on=timezone.localdate())


# --- history and retention ------------------------------------------------------------------


def test_the_upload_is_in_the_case_history(nav_client, signed, navigator):
    _stored(signed, navigator)
    page = nav_client.get(reverse("navigators:case-history", args=[signed.reference]))
    html = page.content.decode()
    assert "Consent document #" in html
    assert "Signed form.pdf" in html


def test_erasure_deletes_the_scan_and_its_name(
    signed, navigator, supervisor, django_capture_on_commit_callbacks
):
    document = _stored(signed, navigator)
    path = Path(document.file.path)
    services.case_withdraw(case_id=signed.pk, by=navigator, reason="Moved away")
    services.prosecution_refer(case_id=signed.pk, by=supervisor, reason="Withdrew")
    RetentionReview.objects.create(case=signed, due_on=timezone.localdate())
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)
    with django_capture_on_commit_callbacks(execute=True):
        retention_erase(case_ids=[signed.pk], by=admin)
    assert not path.exists()
    document.refresh_from_db()
    assert (document.original_filename, document.file.name) == ("[erased]", "")
    assert set(document.history.values_list("original_filename", flat=True)) == {"[erased]"}


def test_a_scan_changed_on_disk_since_upload_is_not_sent(
    nav_client, signed, navigator, private_root, caplog
):
    document = _stored(signed, navigator, PNG, "Signed form.png")
    stored = Path(document.file.path)
    stored.write_bytes(PNG.replace(b"IHDR", b"IHDX"))  # same size, different bytes
    url = reverse("navigators:consent-document", args=[signed.reference, document.pk])
    response = nav_client.get(url)
    assert response.status_code == 500
    assert not response.streaming
    body = response.content.decode()
    assert "This scan cannot be opened" in body
    assert "Signed form.png" in body and signed.reference in body
    assert "no longer matches the file that was uploaded" in body
    assert "IHDX" not in body
    assert f"consent document {document.pk} of case {signed.pk} does not match" in caplog.text
    # The unchanged file is sent again once it is put back.
    stored.write_bytes(PNG)
    response = nav_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG


def test_scan_files_left_by_a_rolled_back_upload_are_deleted_once_a_day_old(
    signed, navigator, private_root
):
    kept = _stored(signed, navigator)
    with pytest.raises(RuntimeError), transaction.atomic():
        orphan = _stored(signed, navigator, PNG, "rolled back.png")
        raise RuntimeError("the request failed after the upload")
    assert not ConsentDocument.objects.filter(pk=orphan.pk).exists()
    orphan_path = Path(orphan.file.path)
    assert orphan_path.exists()  # left behind, unreachable
    now = timezone.now()
    # Not yet: it may be an upload still in progress.
    assert services.consent_orphans_remove(by=SYSTEM, now=now) == 0
    assert orphan_path.exists()
    later = now + timedelta(hours=25)
    out = io.StringIO()
    call_command("review_retention", now=later.isoformat(), stdout=out)
    assert "Consent scan files with no document deleted: 1." in out.getvalue()
    assert not orphan_path.exists()
    assert Path(kept.file.path).exists()
    assert services.consent_orphans_remove(by=SYSTEM, now=later) == 0
