"""Putting mistakes right through the screens (issue 16 point 2): contact details, appointments
cancelled or moved, hours, notes, referrals and the restorative outcome corrected or withdrawn
with a reason, the original kept and shown struck through on the case page and in its history.

The views call the services with the real clock, so cases are built a few days before now.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from checkpoint import dates, services
from checkpoint.models import (
    Appointment,
    Case,
    CaseNote,
    HoursLogEntry,
    PathwayReferral,
    Person,
    ReferralStatus,
)
from tests import factories
from tests.supervisors.helpers import live_case

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@pytest.fixture
def case(dm, team, navigator):
    person = factories.PersonFactory(given_name="Siobhán", family_name="Ní Bhriain")
    return live_case(dm=dm, team=team, navigator=navigator, person=person)


@pytest.fixture
def nav(client, navigator):
    client.force_login(navigator)
    return client


def url(name: str, case: Case, *args) -> str:
    return reverse(f"navigators:{name}", args=[case.reference, *args])


def form_of(client, page_url: str) -> dict[str, str]:
    """Open the form page and return its hidden fields (the one-time token among them), as
    the browser sends them back."""
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    return dict(HIDDEN.findall(page.content.decode()))


def errors(response) -> str:
    """The GOV.UK error summary's messages (for an assertion's message)."""
    found = re.search(r'govuk-error-summary__list">(.*?)</ul>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1)) if found else "no error summary"


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def date_fields(prefix: str, day) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def case_page(client, case: Case) -> str:
    response = client.get(url("case", case))
    assert response.status_code == 200
    return response.content.decode()


def history_page(client, case: Case) -> str:
    response = client.get(url("case-history", case))
    assert response.status_code == 200
    return response.content.decode()


def hours_entry(case, navigator, hours=3):
    return services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=dates.local_date(timezone.now()) - timedelta(days=1),
        hours=Decimal(hours),
        activity="Litter picking",
        verified=True,
    )


# --- contact details -------------------------------------------------------------------------
def test_contact_details_change_with_history_and_irish_names(nav, case):
    person = Person.objects.get(pk=case.person_id)
    person.mobile = "07700 900123"
    person.save()  # with its history
    page = url("contact-details", case)
    data = {
        **form_of(nav, page),
        "mobile": "07700 900456",
        "email": "siobhan@example.org",
        "address_line_1": "12 O'Shea Terrace",
        "town": "Durham",
        "postcode": "dh1 5ab",
        "reason": "Moved house",
    }
    response = nav.post(page, data)
    assert response.status_code == 302, errors(response)
    assert response.url == url("case", case) + "#person"
    assert "Contact details saved" in said(response)
    assert "earlier details are kept" in said(response)
    person = Person.objects.get(pk=case.person_id)
    assert person.postal_address == ["12 O'Shea Terrace", "Durham", "DH1 5AB"]
    body = case_page(nav, case)
    assert "12 O&#x27;Shea Terrace" in body and "Siobhán Ní Bhriain" in body
    history = history_page(nav, case)
    assert "Updated: Person" in history and "Reason: Moved house" in history
    assert '<del><span class="govuk-visually-hidden">Updated: </span>07700 900123</del>' in history


def test_an_invalid_postcode_is_explained_and_nothing_typed_is_lost(nav, case):
    page = url("contact-details", case)
    data = {
        **form_of(nav, page),
        "address_line_1": "12 O'Shea Terrace",
        "postcode": "NOT A CODE",
    }
    response = nav.post(page, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter a real postcode, like DH1 5AB" in body
    assert 'href="#id_postcode"' in body  # the summary links to the field
    assert 'value="12 O&#x27;Shea Terrace"' in body and 'value="NOT A CODE"' in body
    assert Person.objects.get(pk=case.person_id).address_line_1 == ""


def test_the_reminders_page_links_to_the_contact_details(nav, case):
    body = nav.get(url("reminders", case)).content.decode()
    link = url("contact-details", case) + "?from=reminders"
    assert f'href="{link}"' in body
    data = {**form_of(nav, link), "email": "siobhan@example.org"}
    response = nav.post(link, data)
    assert response.status_code == 302 and response.url == url("reminders", case)
    # Now email reminders can be chosen.
    response = nav.post(url("reminders", case), {"email": "on"})
    assert response.status_code == 302
    assert Person.objects.get(pk=case.person_id).email_reminders


# --- hours -----------------------------------------------------------------------------------
def test_an_hours_entry_is_corrected_the_original_kept_and_struck_through(nav, case, navigator):
    entry = hours_entry(case, navigator, hours=6)
    page = url("hours-correct", case, entry.pk)
    data = {
        **form_of(nav, page),
        **date_fields("worked_on", entry.worked_on),
        "hours": "3",
        "activity": "Litter picking",
        "reason": "Typed 6 for 3",
    }
    response = nav.post(page, data)
    assert response.status_code == 302, errors(response)
    assert response.url.endswith("#hours")
    assert "Hours entry corrected: 3 hours" in said(response)
    assert "original is kept" in said(response)
    entry.refresh_from_db()
    assert entry.is_withdrawn and entry.withdrawal_reason == "Typed 6 for 3"
    new = HoursLogEntry.objects.get(corrects=entry)
    assert new.hours == 3 and new.verified_at is not None
    body = case_page(nav, case)
    assert '<del><span class="govuk-visually-hidden">Corrected: </span>Litter picking' in body
    assert "Reason: Typed 6 for 3" in body
    history = history_page(nav, case)
    assert "Withdrawn: Hours log entry" in history
    assert '<del><span class="govuk-visually-hidden">Withdrawn: </span>6.00</del>' in history


def test_back_and_resubmit_corrects_once(nav, case, navigator):
    entry = hours_entry(case, navigator)
    page = url("hours-correct", case, entry.pk)
    data = {
        **form_of(nav, page),
        **date_fields("worked_on", entry.worked_on),
        "hours": "2",
        "activity": "Litter picking",
        "reason": "Two hours, not three",
    }
    first = nav.post(page, data)
    assert first.status_code == 302, errors(first)
    again = nav.post(page, data)
    assert again.status_code == 302
    assert "Nothing was saved a second time" in said(again)
    assert HoursLogEntry.objects.filter(community_condition__contract__case=case).count() == 2


def test_a_reason_is_required_with_a_clear_message(nav, case, navigator):
    entry = hours_entry(case, navigator)
    page = url("hours-withdraw", case, entry.pk)
    response = nav.post(page, {**form_of(nav, page), "reason": "  "})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Error: Withdraw an hours entry" in body
    assert "Enter why it is being withdrawn" in body
    entry.refresh_from_db()
    assert not entry.is_withdrawn
    response = nav.post(page, {**form_of(nav, page), "reason": "Logged on the wrong case"})
    assert response.status_code == 302
    assert "3 hours on" in said(response) and "no longer count" in said(response)
    body = case_page(nav, case)
    assert '<span class="govuk-visually-hidden">Withdrawn: </span>Litter picking' in body
    # A withdrawn entry offers no correction any more; its screen says so.
    response = nav.get(page)
    assert response.status_code == 302 and "already withdrawn" in said(response)


# --- notes -----------------------------------------------------------------------------------
def test_a_note_is_corrected_then_another_withdrawn(nav, case, navigator):
    note = services.note_add(case_id=case.pk, by=navigator, text="Met at 10 at the hub")
    body = case_page(nav, case)
    assert (
        url("note-correct", case, note.pk) in body and url("note-withdraw", case, note.pk) in body
    )
    page = url("note-correct", case, note.pk)
    data = {**form_of(nav, page), "text": "Met at 11 at the hub", "reason": "Wrong time"}
    response = nav.post(page, data)
    assert response.status_code == 302 and response.url.endswith("#notes")
    assert "Note corrected" in said(response)
    new = CaseNote.objects.get(corrects=note)
    assert new.text == "Met at 11 at the hub"
    other = services.note_add(case_id=case.pk, by=navigator, text="Rang O'Shea's office")
    page = url("note-withdraw", case, other.pk)
    response = nav.post(page, {**form_of(nav, page), "reason": "Wrong case"})
    assert response.status_code == 302 and "Note withdrawn" in said(response)
    body = case_page(nav, case)
    assert '<del><span class="govuk-visually-hidden">Corrected: </span>Met at 10 at the hub' in body
    assert '<del><span class="govuk-visually-hidden">Withdrawn: </span>Rang O&#x27;Shea' in body
    assert "Reason: Wrong time" in body and "Reason: Wrong case" in body
    assert CaseNote.objects.filter(case=case).count() == 3  # nothing deleted
    history = history_page(nav, case)
    assert "Withdrawn: Case note" in history and "Reason: Wrong case" in history


# --- referrals and the restorative outcome ---------------------------------------------------
def test_a_referral_is_corrected_then_withdrawn(nav, case):
    referral = case.contract.referrals.get()
    page = url("referral-correct", case, referral.pk)
    data = {
        **form_of(nav, page),
        "what": referral.what,
        "frequency": "Fortnightly",
        "required_sessions": "3",
        "reason": "As agreed with the provider",
    }
    response = nav.post(page, data)
    assert response.status_code == 302 and response.url.endswith("#contract")
    assert "Fortnightly, 3 sessions required (was" in said(response)
    body = case_page(nav, case)
    was = f"{referral.what}, {referral.frequency}, {referral.required_sessions} sessions required"
    assert f'<del><span class="govuk-visually-hidden">Corrected: </span>{was}</del>' in body
    assert "Reason: As agreed with the provider" in body
    page = url("referral-withdraw", case, referral.pk)
    response = nav.post(page, {**form_of(nav, page), "reason": "Referred to the wrong service"})
    assert response.status_code == 302
    assert PathwayReferral.objects.get(pk=referral.pk).status == ReferralStatus.WITHDRAWN
    body = case_page(nav, case)
    assert '<del><span class="govuk-visually-hidden">Withdrawn: </span>' in body
    assert "Reason: Referred to the wrong service" in body
    assert url("referral-correct", case, referral.pk) not in body
    history = history_page(nav, case)
    assert "Withdrawn: Pathway referral" in history and "Corrected: Pathway referral" in history


def test_the_restorative_outcome_is_corrected(nav, case, navigator):
    assert url("restorative-correct", case) not in case_page(nav, case)  # nothing recorded yet
    services.restorative_outcome_record(case_id=case.pk, by=navigator, outcome="completed")
    page = url("restorative-correct", case)
    assert page in case_page(nav, case)
    data = {
        **form_of(nav, page),
        "outcome": "victim_withdrew",
        **date_fields("recorded_on", dates.local_date(timezone.now())),
        "reason": "The victim withdrew; completed was a slip",
    }
    response = nav.post(page, data)
    assert response.status_code == 302, errors(response)
    assert "Restorative outcome corrected: Victim withdrew" in said(response)
    body = case_page(nav, case)
    assert '<del><span class="govuk-visually-hidden">Corrected: </span>Completed on' in body
    assert "Reason: The victim withdrew; completed was a slip" in body


# --- appointments ----------------------------------------------------------------------------
def _book(case, navigator, days: int, hour: int = 10):
    day = dates.local_date(timezone.now()) + timedelta(days=days)
    return services.appointment_schedule(
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=datetime(day.year, day.month, day.day, hour, tzinfo=dates.LONDON),
        confirm=True,
    )


def test_cancel_then_move_an_appointment_with_a_clash_confirmed(nav, case, navigator):
    first, second = _book(case, navigator, 3), _book(case, navigator, 4)
    page = url("appointment-cancel", case, first.pk)
    assert page in case_page(nav, case)
    response = nav.post(page, {**form_of(nav, page), "reason": ""})
    assert "Enter why the appointment is cancelled" in response.content.decode()
    response = nav.post(page, {**form_of(nav, page), "reason": "Booked on the wrong day"})
    assert response.status_code == 302 and response.url.endswith("#appointments")
    assert "cancelled and its reminders stopped" in said(response)
    first.refresh_from_db()
    assert first.cancel_reason == "Booked on the wrong day"

    # Moving the second onto a time that clashes with another appointment asks first.
    clash = _book(case, navigator, 6, hour=14)
    page = url("appointment-reschedule", case, second.pk)
    data = {
        **form_of(nav, page),
        **date_fields("date", dates.local_date(clash.starts_at)),
        "time": "14:30",
        "reason": "Participant at a job interview",
    }
    warned = nav.post(page, data)
    body = warned.content.decode()
    assert warned.status_code == 200
    assert "It clashes with the participant" in body, errors(warned)
    assert 'name="confirm"' in body
    second.refresh_from_db()
    assert second.outcome == ""
    data = {**dict(HIDDEN.findall(body)), **{k: v for k, v in data.items() if k != "form_token"}}
    data["confirm"] = "on"
    moved = nav.post(page, data)
    assert moved.status_code == 302, errors(moved)
    assert "Appointment moved from" in said(moved)
    second.refresh_from_db()
    assert second.outcome == "rescheduled" and second.rescheduled_to is not None
    assert Appointment.objects.filter(case=case).count() == 4  # nothing deleted
    body = case_page(nav, case)
    assert '<del><span class="govuk-visually-hidden">Cancelled: </span>' in body
    assert '<del><span class="govuk-visually-hidden">Rescheduled: </span>' in body
    history = history_page(nav, case)
    assert "Cancelled: Appointment" in history and "Reason: Booked on the wrong day" in history


# --- who may ---------------------------------------------------------------------------------
def test_links_only_for_those_allowed_and_the_screens_refuse_the_others(
    client, case, navigator, supervisor, dm
):
    entry = hours_entry(case, navigator)
    client.force_login(dm)  # opened the case: sees it, may not correct it
    body = case_page(client, case)
    assert url("hours-correct", case, entry.pk) not in body
    assert url("contact-details", case) not in body
    assert client.get(url("hours-correct", case, entry.pk)).status_code == 403
    assert client.get(url("contact-details", case)).status_code == 403

    # Closed: only a supervisor corrects the record.
    services.case_withdraw(case_id=case.pk, by=navigator, reason="Moved away")
    services.prosecution_refer(case_id=case.pk, by=supervisor, reason="Withdrew")
    client.force_login(navigator)
    body = case_page(client, case)
    assert url("hours-correct", case, entry.pk) not in body
    assert client.get(url("hours-withdraw", case, entry.pk)).status_code == 403
    client.force_login(supervisor)
    assert url("hours-correct", case, entry.pk) in case_page(client, case)
    page = url("hours-withdraw", case, entry.pk)
    response = client.post(page, {**form_of(client, page), "reason": "Logged twice"})
    assert response.status_code == 302
