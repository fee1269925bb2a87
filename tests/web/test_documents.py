"""The participant's documents (issue 18): the contract and the four letters, rendered with a
case's real data, as HTML and as a PDF made on the server from the same template (its text
read back with pypdf), each opened only after a logged disclosure; the contract also on the
check page before signing.
"""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from checkpoint import dates, services
from checkpoint.models import (
    AppointmentKind,
    Case,
    ComplianceKind,
    DisclosureLog,
    Person,
)
from checkpoint.text import long_date
from tests import factories
from tests.supervisors.helpers import breach_case, live_case, lock, review_case
from web.documents import _static_fetcher, render_pdf

ADDRESS = {
    "address_line_1": "12 O'Shea Terrace",
    "address_line_2": "Framwellgate Moor",
    "town": "Durham",
    "county": "County Durham",
    "postcode": "DH1 5AB",
}
PROVIDER = "Northside Drug & Alcohol Service"
NAV_PATHS = {
    "contract": "navigators:contract-document",
    "warning": "navigators:warning-letter",
}


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split())  # lines broken anywhere by the layout


def addressed(case: Case, **changes) -> Case:
    Person.objects.filter(pk=case.person_id).update(
        given_name="Dáithí", family_name="O'Shea", **{**ADDRESS, **changes}
    )
    return Case.objects.get(pk=case.pk)


def open_document(
    client, path: str, params: dict | None = None, *, keep_as: str = ""
) -> tuple[str, str]:
    """The document's page (HTML) and the text of its PDF, under one disclosure. With
    DOCUMENT_PDF_DIR set, the PDF is kept there as ``keep_as``.pdf (docs/documents/)."""
    page = factories.disclose(client, path, params)
    assert page.status_code == 200
    grant = page.wsgi_request.GET.urlencode()
    pdf = client.get(f"{path}?{grant}&format=pdf")
    if keep_as and os.environ.get("DOCUMENT_PDF_DIR"):
        Path(os.environ["DOCUMENT_PDF_DIR"], f"{keep_as}.pdf").write_bytes(pdf.content)
    return page.content.decode(), pdf_text(pdf)


@pytest.fixture
def nav_client(client, navigator):
    client.force_login(navigator)
    return client


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


@pytest.fixture
def active(dm, team, navigator):
    provider = factories.ServiceProviderFactory(
        name=PROVIDER,
        pathways=["drugs"],
        address="3 Claypath\nDurham\nDH1 1RH",
        phone="0191 498 0456",
    )
    case = live_case(dm=dm, team=team, navigator=navigator, builder=_active_with(provider))
    navigator.first_name, navigator.last_name, navigator.email = (
        "Nadia",
        "Khan",
        "nadia@example.org",
    )
    navigator.save()
    return addressed(case)


def _active_with(provider):
    def build(*, dm, team, navigator, now, **kwargs):
        case = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=now, **kwargs)
        factories.build_contract(case, navigator=navigator, provider=provider, now=now)
        return services.contract_sign(
            case_id=case.pk, by=navigator, starts_on=dates.local_date(now), now=now
        )

    return build


# --- the contract ---------------------------------------------------------------------------
def test_the_contract_states_each_condition_with_its_specifics(nav_client, active):
    contract = active.contract
    html, pdf = open_document(
        nav_client, reverse(NAV_PATHS["contract"], args=[active.reference]), keep_as="contract-en"
    )
    for text in (html, pdf):
        assert "Your Checkpoint contract" in text
        assert "Durham" in text and "DH1 5AB" in text and "County Durham" in text
        assert "write a letter of apology to the victim" in text
        assert "Drug awareness course" in text and "Weekly" in text
        assert "3 Claypath" in text and "0191 498 0456" in text
        assert "24 hours of unpaid work" in text
        assert long_date(contract.starts_on) in text and long_date(contract.ends_on) in text
        assert "Theft from a shop" in text or "theft" in text.lower()
        assert "Nadia Khan" in text and "nadia@example.org" in text and "0191 498 0123" in text
        assert "If you want to stop" in text and "withdraw at any time" in text
        assert "How we use your information" in text and "Information Commissioner" in text
        assert "If you do not keep to a condition" in text
        assert "Crown Prosecution Service" in text
    # Apostrophes and ampersands reach the page escaped once, and the PDF as typed.
    assert "O&#x27;Shea" in html and "&amp;#x27;" not in html
    assert "Dáithí O'Shea" in pdf and PROVIDER in pdf


def test_the_check_page_before_signing_shows_the_contract_itself(nav_client, dm, team, navigator):
    case = live_case(dm=dm, team=team, navigator=navigator, builder=factories.accepted_case)
    factories.build_contract(
        case,
        navigator=navigator,
        provider=factories.ServiceProviderFactory(name=PROVIDER),
        now=timezone.now(),
    )
    case = addressed(case)
    starts = timezone.localdate() + timedelta(days=1)
    response = nav_client.post(
        reverse("navigators:contract-sign", args=[case.reference]),
        {
            "starts_on_day": starts.day,
            "starts_on_month": starts.month,
            "starts_on_year": starts.year,
            **lock(case),
        },
    )
    page = response.content.decode()
    assert "Check the contract before signing" in page
    assert "Your Checkpoint contract" in page  # the same template as the printed contract
    assert "Drug awareness course" in page and "24 hours of unpaid work" in page
    assert long_date(starts) in page
    assert 'Change<span class="govuk-visually-hidden"> the start date</span>' in page
    assert 'Change<span class="govuk-visually-hidden"> the Community condition</span>' in page
    pdf_link = (
        reverse(NAV_PATHS["contract"], args=[case.reference]) + f"?starts_on={starts:%Y-%m-%d}"
    )
    assert pdf_link in page
    assert not Case.objects.get(pk=case.pk).contract.signed_at  # nothing signed yet
    # The draft prints with the proposed dates, as a disclosure of a draft.
    _html, pdf = open_document(
        nav_client, pdf_link.split("?")[0], {"starts_on": f"{starts:%Y-%m-%d}"}
    )
    assert long_date(starts) in pdf and "Drug awareness course" in pdf
    log = DisclosureLog.objects.get()
    assert (log.kind, log.what) == ("contract", f"contract, draft starting {long_date(starts)}")


def test_a_document_opens_only_after_a_logged_disclosure_and_so_does_its_pdf(nav_client, active):
    path = reverse(NAV_PATHS["contract"], args=[active.reference])
    asked = nav_client.get(f"{path}?format=pdf")
    assert asked["Content-Type"].startswith("text/html")
    assert "Before you print the contract" in asked.content.decode()
    assert not DisclosureLog.objects.exists()
    factories.disclose(nav_client, path, justification="Their own copy to keep")
    log = DisclosureLog.objects.get()
    assert (log.kind, log.case, log.what) == ("contract", active, "contract")
    assert log.justification == "Their own copy to keep"


def test_a_welsh_speakers_documents_are_in_welsh(nav_client, active):
    Person.objects.filter(pk=active.person_id).update(preferred_language="cy")
    path = reverse(NAV_PATHS["contract"], args=[active.reference])
    html, pdf = open_document(nav_client, path, keep_as="contract-cy")
    month = active.contract.starts_on.month
    welsh_month = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
                   "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"][month - 1]  # fmt: skip
    assert '<div lang="cy">' in html and welsh_month in html and welsh_month in pdf
    assert "written in Welsh" in html  # the staff page around it says so, in English
    assert DisclosureLog.objects.get().what == "contract, in Welsh"
    # The English copy is one link away, as a disclosure of its own.
    html, _ = open_document(nav_client, path, {"language": "en"})
    assert '<div lang="en-GB">' in html
    assert list(DisclosureLog.objects.values_list("what", flat=True)) == [
        "contract",
        "contract, in Welsh",
    ]


def test_someone_who_needs_easy_read_gets_the_easy_read_contract(nav_client, active):
    Person.objects.filter(pk=active.person_id).update(needs_easy_read=True)
    path = reverse(NAV_PATHS["contract"], args=[active.reference])
    html, pdf = open_document(nav_client, path, keep_as="contract-easy-read-en")
    assert "app-easy-read" in html  # documents/easy_read/contract.html
    assert "Drug awareness course" in pdf and long_date(active.contract.ends_on) in pdf
    assert DisclosureLog.objects.get().what == "contract, easy read"
    # The standard version stays one link away.
    html, _ = open_document(nav_client, path, {"version": "standard"})
    assert "app-easy-read" not in html and "Your Checkpoint contract" in html


# --- the letters ----------------------------------------------------------------------------
def test_the_appointment_letter_says_when_where_what_to_bring_and_how_to_rearrange(
    nav_client, active
):
    starts = timezone.now().replace(microsecond=0) + timedelta(days=5)
    appointment = services.appointment_schedule(
        case_id=active.pk,
        by=active.navigator,
        kind=AppointmentKind.COMMUNITY,
        starts_at=starts,
        duration_minutes=90,
        location="Wharton Park, Durham",
        confirm=True,
    )
    path = reverse("navigators:appointment-letter", args=[active.reference, appointment.pk])
    html, pdf = open_document(nav_client, path, keep_as="appointment-letter-en")
    local = timezone.localtime(starts)
    for text in (html, pdf):
        assert "Your Checkpoint appointment" in text
        assert f"{local:%A} {long_date(local.date())}" in text and f"{local:%H:%M}" in text
        assert "90 minutes" in text and "Wharton Park, Durham" in text
        assert "Clothes and shoes you can work in" in text
        assert "If you cannot come" in text and "0191 498 0123" in text
        assert "Framwellgate Moor" in text and "DH1 5AB" in text
    log = DisclosureLog.objects.get()
    assert (log.kind, log.what) == (
        "appointment_letter",
        f"appointment letter, appointment {appointment.pk}",
    )
    # In Welsh, and easy read: the same facts.
    for params, name in (
        ({"language": "cy"}, "appointment-letter-cy"),
        ({"version": "easy_read"}, "appointment-letter-easy-read-en"),
    ):
        _html, pdf = open_document(nav_client, path, params, keep_as=name)
        assert f"{local:%H:%M}" in pdf and "Wharton Park, Durham" in pdf and "DH1 5AB" in pdf


def test_no_letter_for_a_cancelled_appointment_and_none_for_another_cases(
    nav_client, active, dm, team, navigator
):
    appointment = factories.AppointmentFactory(
        case=active, starts_at=timezone.now() + timedelta(days=2)
    )
    services.appointment_cancel(appointment_id=appointment.pk, by=navigator, reason="Ill")
    path = reverse("navigators:appointment-letter", args=[active.reference, appointment.pk])
    response = nav_client.get(path)
    assert response.status_code == 302
    assert "cancelled" in nav_client.get(response["Location"]).content.decode()
    other = live_case(dm=dm, team=team, navigator=navigator)
    theirs = factories.AppointmentFactory(case=other)
    response = nav_client.get(
        reverse("navigators:appointment-letter", args=[active.reference, theirs.pk])
    )
    assert response.status_code == 404
    assert not DisclosureLog.objects.exists()


def test_the_warning_letter_says_what_was_missed_and_what_happens_next(
    nav_client, active, navigator
):
    event = services.compliance_event_raise(
        case_id=active.pk,
        by=navigator,
        kind=ComplianceKind.UNACCEPTABLE_ABSENCE,
        occurred_on=active.contract.starts_on,
        detail="Did not come to the drug service",
    )
    warning = services.warning_issue(
        case_id=active.pk,
        by=navigator,
        reason="Missed the session on Tuesday & did not call",
        event_ids=[event.pk],
    )
    path = reverse(NAV_PATHS["warning"], args=[active.reference])
    html, pdf = open_document(
        nav_client, path, {"warning": warning.pk}, keep_as="warning-letter-en"
    )
    for text in (html, pdf):
        assert "Formal warning about your Checkpoint contract" in text
        assert f"You missed an appointment on {long_date(active.contract.starts_on)}" in text
        assert "What happens next" in text
        assert f"until it ends on {long_date(active.contract.ends_on)}" in text
        assert "County Durham" in text
    assert "Tuesday &amp; did not call" in html and "Tuesday & did not call" in pdf


@pytest.mark.parametrize("decision", ["continue", "terminate"])
def test_the_breach_decision_letter_gives_the_decision_and_what_follows(
    sup_client, supervisor, dm, team, navigator, decision
):
    case = addressed(breach_case(dm=dm, team=team, navigator=navigator))
    services.breach_decide(
        case_id=case.pk, by=supervisor, decision=decision, reasons="Two sessions missed"
    )
    path = reverse("supervisors:breach-letter", args=[case.reference])
    html, pdf = open_document(sup_client, path, keep_as=f"breach-letter-{decision}-en")
    expected = {
        "continue": "Your contract continues as it was",
        "terminate": "Your contract has been ended",
    }[decision]
    for text in (html, pdf):
        assert "Decision about your Checkpoint contract" in text
        assert expected in text and "Two sessions missed" in text
        assert "12 O'Shea Terrace" in text.replace("&#x27;", "'")
    assert DisclosureLog.objects.get().kind == "breach_letter"


def test_the_outcome_letter_uses_the_shared_letter_with_the_full_address(
    sup_client, supervisor, dm, team, navigator
):
    case = addressed(review_case(dm=dm, team=team, navigator=navigator))
    services.completion_sign_off(case_id=case.pk, by=supervisor, reason="All kept")
    html, pdf = open_document(
        sup_client,
        reverse("supervisors:outcome-letter", args=[case.reference]),
        keep_as="outcome-letter-en",
    )
    for text in (html, pdf):
        assert "You have completed your Checkpoint contract" in text
        assert "Framwellgate Moor" in text and "County Durham" in text and "DH1 5AB" in text
        assert "you have no conviction for it" in text
        assert long_date(case.contract.ends_on) in text
    _html, pdf = open_document(
        sup_client,
        reverse("supervisors:outcome-letter", args=[case.reference]),
        {"language": "cy"},
        keep_as="outcome-letter-cy",
    )
    assert "County Durham" in pdf and str(case.contract.ends_on.year) in pdf


def test_a_letter_to_someone_with_no_fixed_abode_says_it_is_handed_over(
    sup_client, supervisor, dm, team, navigator
):
    case = review_case(dm=dm, team=team, navigator=navigator)
    Person.objects.filter(pk=case.person_id).update(no_fixed_abode=True)
    services.completion_sign_off(case_id=case.pk, by=supervisor, reason="All kept")
    html, pdf = open_document(
        sup_client, reverse("supervisors:outcome-letter", args=[case.reference])
    )
    assert "By hand (no fixed abode)" in html and "By hand (no fixed abode)" in pdf


# --- the PDF maker --------------------------------------------------------------------------
def test_a_document_reads_only_the_sites_static_files():
    fetcher = _static_fetcher()
    assert fetcher.fetch("file:///static/documents/document.css")
    for url in (
        "file:///etc/passwd",
        "http://169.254.169.254/latest/",
        "file:///static/../../etc/passwd",
    ):
        with pytest.raises(ValueError, match="only use the site's static files"):
            fetcher.fetch(url)
    # A document naming another file still renders, without it.
    pdf = render_pdf('<img src="file:///etc/passwd" alt="">x', title="t", language="en")
    assert pdf.startswith(b"%PDF")


def test_without_the_pdf_libraries_the_user_is_told_to_print_instead(
    nav_client, active, monkeypatch
):
    def missing(*args, **kwargs):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr("web.documents.render_pdf", missing)
    path = reverse(NAV_PATHS["contract"], args=[active.reference])
    page = factories.disclose(nav_client, path)
    grant = page.wsgi_request.GET.urlencode()
    response = nav_client.get(f"{path}?{grant}&format=pdf")
    assert response.status_code == 302 and response["Location"] == f"{path}?{grant}"
    shown = nav_client.get(response["Location"]).content.decode()
    assert "The PDF could not be made on this server" in shown
    assert "Your Checkpoint contract" in shown  # the page to print is still there
