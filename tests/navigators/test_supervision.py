"""The day-to-day supervision screens: appointments, hours, new offences, restorative outcome,
compliance events, warnings, breach referral and withdrawal.

The views call the services with the real clock, so cases here are built a few days before
``timezone.now()`` rather than at the fixed ``factories.NOW``.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from checkpoint import dates, roles, services
from checkpoint.models import (
    Appointment,
    BreachReview,
    Case,
    CaseState,
    ComplianceEvent,
    HoursLogEntry,
    NewOffenceReport,
    OffenceType,
)
from navigators.forms.supervision import london_datetime
from tests import factories

CASE_SCREENS = [
    "note-new",
    "appointment-new",
    "hours-new",
    "new-offence",
    "restorative-outcome",
    "referral-outcome",
    "compliance-new",
    "warning-new",
    "breach-refer",
    "withdraw",
]


def live_case(builder=factories.active_case, *, days_ago: int = 3, **kwargs) -> Case:
    """A case built ``days_ago`` days before the real now, for an offence 10 days before that."""
    start = timezone.now() - timedelta(days=days_ago)
    committed_on = dates.local_date(start) - timedelta(days=10)
    return builder(now=start, offences=[factories.offence(committed_on=committed_on)], **kwargs)


@pytest.fixture
def case(dm, team, navigator):
    return live_case(dm=dm, team=team, navigator=navigator)


@pytest.fixture
def case_to_read(dm, team, navigator):
    """The same case as ``case``, written by the factory, for the tests that only open the
    screens or are refused them."""
    start = timezone.now() - timedelta(days=3)
    return factories.CaseFactory(
        active=True, opened_by=dm, team=team, navigator=navigator, now=start
    )


@pytest.fixture
def nav_client(client, navigator):
    client.force_login(navigator)
    return client


def url(name: str, case: Case, *args) -> str:
    return reverse(f"navigators:{name}", args=[case.reference, *args])


def when(day: dt.date, prefix: str) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def today() -> dt.date:
    return timezone.localdate()


def lock(case: Case) -> dict:
    """The hidden optimistic-locking fields of a form opened now."""
    version = Case.objects.get(pk=case.pk).lock_version
    return {"lock_version": version, "opened_at": timezone.now().isoformat()}


def case_page(client, case: Case) -> str:
    response = client.get(reverse("navigators:case", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


def assert_error_page(response, *messages: str, kept: tuple[str, ...] = ()) -> str:
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert "There is a problem" in body
    for text in (*messages, *kept):
        assert text in body, text
    return body


# Access: every screen, for each kind of user


@pytest.mark.parametrize("name", CASE_SCREENS)
def test_each_screen_renders_for_the_navigator(nav_client, case_to_read, name):
    response = nav_client.get(url(name, case_to_read))
    assert response.status_code == 200
    assert case_to_read.reference in response.content.decode()


@pytest.mark.parametrize("name", CASE_SCREENS)
def test_team_supervisor_can_open_each_screen(client, case_to_read, supervisor, name):
    client.force_login(supervisor)
    assert client.get(url(name, case_to_read)).status_code == 200


@pytest.mark.parametrize("name", CASE_SCREENS)
@pytest.mark.parametrize("who", ["other_navigator", "analyst"])
def test_each_screen_is_404_for_users_who_cannot_see_the_case(
    client, case_to_read, team, name, who
):
    role = roles.NAVIGATOR if who == "other_navigator" else roles.ANALYST
    client.force_login(factories.make_user(role, team=team))
    assert client.get(url(name, case_to_read)).status_code == 404
    assert client.post(url(name, case_to_read), {"text": "x", "reason": "x"}).status_code == 404
    assert Case.objects.get(pk=case_to_read.pk).state == CaseState.ACTIVE


@pytest.mark.parametrize("name", CASE_SCREENS)
def test_decision_maker_who_opened_the_case_is_refused(client, case_to_read, dm, name):
    client.force_login(dm)  # can see the case (opened it) but may not manage it
    response = client.post(
        url(name, case_to_read), {"text": "x", "reason": "x", "recommendation": "x"}
    )
    assert response.status_code == 403
    assert "Only a navigator or supervisor can" in response.content.decode()
    assert Case.objects.get(pk=case_to_read.pk).state == CaseState.ACTIVE
    assert not case_to_read.notes.exists()


# 1. Booking an appointment


def test_booking_an_appointment_creates_it_in_london_time(nav_client, case):
    page = nav_client.get(url("appointment-new", case)).content.decode()
    assert 'class="govuk-input govuk-input--width-5"' in page  # the time box keeps its width
    referral = case.contract.referrals.get()
    tomorrow = today() + timedelta(days=1)
    data = {
        "kind": "service",
        **when(tomorrow, "date"),
        "time": "14:30",
        "duration_minutes": "45",
        "location": "Durham custody suite",
        "referral": referral.pk,
    }
    response = nav_client.post(url("appointment-new", case), data)
    assert response.status_code == 302
    assert response.url == reverse("navigators:case", args=[case.reference])
    appointment = Appointment.objects.get(case=case)
    assert appointment.starts_at == dt.datetime.combine(tomorrow, dt.time(14, 30), dates.LONDON)
    assert (appointment.kind, appointment.duration_minutes) == ("service", 45)
    assert (appointment.referral, appointment.created_by_id) == (referral, case.navigator_id)
    body = case_page(nav_client, case)
    assert "Durham custody suite" in body and "14:30" in body and "Appointment booked" in body


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("", "Enter the time of the appointment"),
        ("2pm", "Enter the time of the appointment in the 24-hour clock, like 09:30 or 14:00"),
        ("25:10", "The time of the appointment must be a real time, like 09:30 or 14:00"),
    ],
)
def test_booking_rejects_a_bad_time_and_keeps_what_was_typed(nav_client, case, time, message):
    tomorrow = today() + timedelta(days=1)
    data = {"kind": "navigator", **when(tomorrow, "date"), "time": time}
    data |= {"duration_minutes": "60", "location": "Room 4"}
    response = nav_client.post(url("appointment-new", case), data)
    body = assert_error_page(response, message, kept=('value="Room 4"', f'value="{tomorrow.year}"'))
    assert 'href="#id_time"' in body
    if time:
        assert f'value="{time}"' in body
    assert not Appointment.objects.exists()


def test_booking_in_the_past_shows_the_service_error_on_the_date(nav_client, case):
    data = {"kind": "navigator", **when(today() - timedelta(days=1), "date"), "time": "09:00"}
    response = nav_client.post(url("appointment-new", case), data | {"duration_minutes": "60"})
    body = assert_error_page(response, "The appointment must be in the future")
    assert 'href="#id_date_0"' in body
    assert not Appointment.objects.exists()


def test_booking_checks_type_and_length(nav_client, case):
    data = {**when(today() + timedelta(days=2), "date"), "time": "10:00", "duration_minutes": "600"}
    response = nav_client.post(url("appointment-new", case), data)
    assert_error_page(
        response,
        "Select the type of appointment",
        "An appointment lasts between 5 minutes and 8 hours",
        kept=('value="600"',),
    )


def test_london_time_follows_the_clock_changes():
    summer = london_datetime(dt.date(2026, 7, 1), dt.time(14, 30))
    assert summer.astimezone(dt.UTC).time() == dt.time(13, 30)
    assert london_datetime(dt.date(2026, 3, 29), dt.time(1, 30)) is None  # clocks go forward


# 2. Appointment outcomes


@pytest.fixture
def past_appointment(case, navigator):
    now = timezone.now()
    return services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=now - timedelta(days=1),
        now=now - timedelta(days=2),
    )


def test_case_page_links_to_the_outcome_form_which_warns_about_absences(
    nav_client, case, past_appointment
):
    outcome_url = url("appointment-outcome", case, past_appointment.pk)
    assert outcome_url in case_page(nav_client, case)
    body = nav_client.get(outcome_url).content.decode()
    assert "Recording an unacceptable absence raises a compliance event" in body


def test_recording_attendance(nav_client, case, past_appointment, navigator):
    data = {"outcome": "attended", "notes": "Engaged well"}
    response = nav_client.post(url("appointment-outcome", case, past_appointment.pk), data)
    assert response.status_code == 302
    past_appointment.refresh_from_db()
    assert past_appointment.outcome == "attended"
    assert past_appointment.outcome_notes == "Engaged well"
    assert past_appointment.outcome_recorded_by == navigator
    assert "Appointment outcome: Attended" in case_page(nav_client, case)


def test_unacceptable_absence_raises_a_compliance_event(nav_client, case, past_appointment):
    data = {"outcome": "unacceptable_absence", "notes": "No contact"}
    nav_client.post(url("appointment-outcome", case, past_appointment.pk), data)
    event = ComplianceEvent.objects.get(case=case)
    assert event.kind == "unacceptable_absence"
    body = case_page(nav_client, case)
    assert "Unacceptable absence" in body and "govuk-tag--red" in body


def test_rescheduling_needs_the_new_date_and_time(nav_client, case, past_appointment):
    data = {"outcome": "rescheduled", "notes": "Participant ill"}
    response = nav_client.post(url("appointment-outcome", case, past_appointment.pk), data)
    assert_error_page(
        response,
        "Enter the new date of the appointment",
        "Enter the new time of the appointment",
        kept=("Participant ill", 'value="rescheduled" checked'),
    )
    past_appointment.refresh_from_db()
    assert past_appointment.outcome == ""


def test_rescheduling_books_the_new_appointment(nav_client, case, past_appointment):
    new_day = today() + timedelta(days=3)
    data = {"outcome": "rescheduled", **when(new_day, "new_date"), "new_time": "11:15"}
    response = nav_client.post(url("appointment-outcome", case, past_appointment.pk), data)
    assert response.status_code == 302
    past_appointment.refresh_from_db()
    new = past_appointment.rescheduled_to
    assert new.starts_at == dt.datetime.combine(new_day, dt.time(11, 15), dates.LONDON)
    assert new.outcome == ""


def test_rescheduling_into_the_past_shows_the_error_on_the_new_date(
    nav_client, case, past_appointment
):
    data = {"outcome": "rescheduled", **when(today() - timedelta(days=1), "new_date")}
    response = nav_client.post(
        url("appointment-outcome", case, past_appointment.pk), data | {"new_time": "09:00"}
    )
    body = assert_error_page(response, "The appointment must be in the future")
    assert 'href="#id_new_date_0"' in body and 'value="09:00"' in body


def test_appointment_of_another_case_is_404(nav_client, case, past_appointment, dm, team):
    other = live_case(dm=dm, team=team, navigator=case.navigator)
    assert nav_client.get(url("appointment-outcome", other, past_appointment.pk)).status_code == 404
    data = {"outcome": "attended"}
    response = nav_client.post(url("appointment-outcome", other, past_appointment.pk), data)
    assert response.status_code == 404
    assert Appointment.objects.get(pk=past_appointment.pk).outcome == ""


def test_outcome_already_recorded_goes_back_to_the_case(nav_client, case, past_appointment):
    outcome_url = url("appointment-outcome", case, past_appointment.pk)
    nav_client.post(outcome_url, {"outcome": "attended"})
    response = nav_client.get(outcome_url, follow=True)
    assert "already been recorded" in response.content.decode()
    response = nav_client.post(outcome_url, {"outcome": "unacceptable_absence"})
    assert_error_page(response, "This appointment&#x27;s outcome has already been recorded")
    assert not ComplianceEvent.objects.exists()


# 3. Community hours


def hours_data(**overrides) -> dict:
    data = {**when(today(), "worked_on"), "hours": "3.5", "activity": "Litter picking"}
    return data | {"placement": "Riverside park", "verification": "verified"} | overrides


def test_logging_verified_hours(nav_client, case, navigator):
    data = hours_data(verifier_name="Jo Bell")
    assert nav_client.post(url("hours-new", case), data).status_code == 302
    entry = HoursLogEntry.objects.get()
    assert entry.hours == Decimal("3.5") and entry.verified_by == navigator
    assert entry.verifier_name == "Jo Bell" and entry.verified_at is not None
    body = case_page(nav_client, case)
    assert "Litter picking" in body and "Verified" in body and "3.5 of 24 hours verified" in body


def test_hours_reported_by_the_participant_stay_self_reported(nav_client, case):
    data = hours_data(verification="self_reported", verifier_name="Ignored")
    assert nav_client.post(url("hours-new", case), data).status_code == 302
    entry = HoursLogEntry.objects.get()
    assert entry.verified_at is None and entry.verifier_name == ""
    body = case_page(nav_client, case)
    assert "Self-reported" in body and "3.5 self-reported awaiting verification" in body


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("", "Enter the hours worked"),
        ("lots", "Hours must be a number, like 3.5"),
        ("0", "Hours must be more than 0 and at most 12"),
        ("12.5", "Hours must be more than 0 and at most 12"),
        ("3.125", "Hours can have up to 2 decimal places, like 3.25"),
    ],
)
def test_logging_hours_rejects_bad_hours_and_keeps_values(nav_client, case, hours, message):
    response = nav_client.post(url("hours-new", case), hours_data(hours=hours))
    body = assert_error_page(
        response, message, kept=('value="Litter picking"', 'value="Riverside park"')
    )
    assert 'href="#id_hours"' in body
    assert not HoursLogEntry.objects.exists()


def test_logging_hours_in_the_future_shows_the_service_error_on_the_date(nav_client, case):
    data = hours_data(**when(today() + timedelta(days=1), "worked_on"), verification="")
    response = nav_client.post(url("hours-new", case), data)
    assert_error_page(response, "Select who confirmed these hours")
    response = nav_client.post(url("hours-new", case), data | {"verification": "verified"})
    body = assert_error_page(response, "The date worked must be today or in the past")
    assert 'href="#id_worked_on_0"' in body


@pytest.fixture
def self_reported(case, navigator):
    return services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=case.contract.starts_on,
        hours=Decimal("2.25"),
        activity="Food bank shift",
        verified=False,
    )


def test_self_reported_hours_are_verified_from_the_log_hours_page(
    nav_client, case, self_reported, navigator
):
    verify_url = url("hours-verify", case, self_reported.pk)
    assert f'action="{verify_url}"' in nav_client.get(url("hours-new", case)).content.decode()
    response = nav_client.post(verify_url, {"verifier_name": "Sam Reed"})
    assert response.status_code == 302
    self_reported.refresh_from_db()
    assert self_reported.verified_by == navigator and self_reported.verifier_name == "Sam Reed"
    body = case_page(nav_client, case)
    assert "Sam Reed" in body and "2.25 of 24 hours verified" in body


def test_verifying_needs_the_placement_supervisors_name(nav_client, case, self_reported):
    verify_url = url("hours-verify", case, self_reported.pk)
    assert nav_client.get(verify_url).status_code == 405  # POST only
    response = nav_client.post(verify_url, {"verifier_name": "  "})
    body = assert_error_page(
        response, "Enter the name of the placement supervisor who confirmed the hours"
    )
    assert "Food bank shift" in body
    assert HoursLogEntry.objects.get().verified_at is None


def test_verifying_hours_of_another_case_is_404(nav_client, case, self_reported, dm, team):
    other = live_case(dm=dm, team=team, navigator=case.navigator)
    response = nav_client.post(url("hours-verify", other, self_reported.pk), {"verifier_name": "X"})
    assert response.status_code == 404
    assert HoursLogEntry.objects.get().verified_at is None


# 4. New offences


def test_reporting_a_new_offence_raises_a_compliance_event(nav_client, case, navigator):
    offence_type = OffenceType.objects.get(code="THEFT-SHOP")
    page = nav_client.get(url("new-offence", case)).content.decode()
    assert "raises a compliance event" in page and "Theft from a shop" in page
    data = {**when(today(), "occurred_on"), "reference": "DU/000777/26"}
    data |= {"offence_type": offence_type.pk, "description": "Arrested for shoplifting"}
    assert nav_client.post(url("new-offence", case), data).status_code == 302
    report = NewOffenceReport.objects.get(case=case)
    assert (report.reference, report.offence_type, report.reported_by) == (
        "DU/000777/26",
        offence_type,
        navigator,
    )
    assert ComplianceEvent.objects.get(case=case).kind == "new_offence"
    assert "1 new offence reported" in case_page(nav_client, case)


def test_new_offence_errors_keep_values(nav_client, case):
    data = {**when(today() + timedelta(days=2), "occurred_on"), "reference": "DU/1/26"}
    response = nav_client.post(url("new-offence", case), data | {"offence_type": "999999"})
    assert_error_page(
        response,
        "Select a type of offence from the list",
        "Describe the new offence",
        kept=('value="DU/1/26"',),
    )
    response = nav_client.post(url("new-offence", case), data | {"description": "Criminal damage"})
    body = assert_error_page(response, "The offence date must be today or in the past")
    assert 'href="#id_occurred_on_0"' in body and "Criminal damage" in body
    assert not NewOffenceReport.objects.exists()


# 5. Restorative outcome


def test_recording_the_restorative_outcome(nav_client, case):
    page = nav_client.get(url("restorative-outcome", case)).content.decode()
    assert 'value="pending"' not in page
    data = {"outcome": "completed", **when(today(), "recorded_on"), "notes": "Letter sent"}
    response = nav_client.post(url("restorative-outcome", case), data | lock(case))
    assert response.status_code == 302
    victim = case.contract.victim_condition
    victim.refresh_from_db()
    assert (victim.outcome, victim.outcome_recorded_on) == ("completed", today())
    assert "Letter of apology: completed" in case_page(nav_client, case)


def test_restorative_outcome_errors_keep_values(nav_client, case):
    data = {"outcome": "pending", **when(today() + timedelta(days=1), "recorded_on")}
    response = nav_client.post(url("restorative-outcome", case), data | lock(case))
    assert_error_page(response, "Select the outcome of the restorative approach")
    data |= {"outcome": "victim_withdrew", "notes": "Victim moved away"}
    response = nav_client.post(url("restorative-outcome", case), data | lock(case))
    body = assert_error_page(response, "The date of the outcome must be today or in the past")
    assert "Victim moved away" in body and 'value="victim_withdrew" checked' in body


def test_restorative_outcome_refuses_a_stale_form(nav_client, case, navigator):
    stale = lock(case)
    services.note_add(case_id=case.pk, by=navigator, text="Meanwhile")
    data = {"outcome": "completed", **when(today(), "recorded_on")}
    response = nav_client.post(url("restorative-outcome", case), data | stale)
    assert_error_page(response, "This case changed since you opened this page")
    assert case.contract.victim_condition.outcome == "pending"


def test_recording_that_a_referral_was_completed(nav_client, case):
    """The Pathway condition needs each referral completed before sign-off (found by the
    browser journey to completion: there was no screen for it)."""
    referral = case.contract.referrals.get()
    page = nav_client.get(url("referral-outcome", case)).content.decode()
    assert "Drug awareness course (attended 0 of 4, active)" in page
    assert 'value="active"' not in page
    # Completed at 0 of 4 sessions with nothing said: refused, with what to do, input kept.
    data = {"referral": referral.pk, "status": "completed"}
    response = nav_client.post(url("referral-outcome", case), data)
    assert_error_page(response, "0 of 4 sessions are recorded as attended")
    referral.refresh_from_db()
    assert referral.status == "active"
    # With the reason the service gave, it counts as completed.
    reason = "The service confirmed the course was completed at its own sessions."
    response = nav_client.post(url("referral-outcome", case), {**data, "reason": reason})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == ("completed", reason)
    pathway = next(s for s in case.contract.condition_statuses() if s.name == "Pathway")
    assert pathway.met, pathway
    assert f"(reason: {reason})" in pathway.facts[0]
    assert "sessions attended (completed)" in case_page(nav_client, case)


def test_referral_outcome_errors_keep_values(nav_client, case, dm, team, navigator):
    other = live_case(dm=dm, team=team, navigator=navigator).contract.referrals.get()
    response = nav_client.post(url("referral-outcome", case), {"status": "not_completed"})
    body = assert_error_page(response, "Select the referral")
    assert 'value="not_completed" checked' in body
    response = nav_client.post(url("referral-outcome", case), {"referral": other.pk})
    assert_error_page(response, "Select the referral", "Select how the referral ended")
    other.refresh_from_db()
    assert other.status == "active"


# 6. Compliance events and warnings


def test_raising_a_compliance_event(nav_client, case, navigator):
    data = {"kind": "other", **when(today(), "occurred_on"), "detail": "Abusive phone call"}
    assert nav_client.post(url("compliance-new", case), data).status_code == 302
    event = ComplianceEvent.objects.get(case=case)
    assert (event.kind, event.raised_by, event.detail) == ("other", navigator, "Abusive phone call")
    assert "Abusive phone call" in case_page(nav_client, case)


def test_compliance_event_errors_keep_values(nav_client, case):
    data = {**when(today() + timedelta(days=1), "occurred_on"), "detail": "Late again"}
    response = nav_client.post(url("compliance-new", case), data)
    assert_error_page(response, "Select the kind of non-compliance", kept=("Late again",))
    response = nav_client.post(url("compliance-new", case), data | {"kind": "hours_behind"})
    body = assert_error_page(response, "The date it happened must be today or in the past")
    assert 'href="#id_occurred_on_0"' in body
    assert not ComplianceEvent.objects.exists()


@pytest.fixture
def open_event(case, navigator):
    return services.compliance_event_raise(
        case_id=case.pk, by=navigator, kind="other", occurred_on=today(), detail="Missed call"
    )


def test_issuing_a_warning_about_open_events(nav_client, case, open_event, navigator):
    page = nav_client.get(url("warning-new", case)).content.decode()
    assert f'value="{open_event.pk}"' in page
    data = {"events": [open_event.pk], "reason": "Second missed contact"}
    assert nav_client.post(url("warning-new", case), data).status_code == 302
    warning = case.warnings.get()
    assert list(warning.events.all()) == [open_event] and warning.issued_by == navigator
    body = case_page(nav_client, case)
    assert "Warning issued" in body and "Second missed contact" in body


def test_warning_needs_events_and_a_reason(nav_client, case, open_event):
    response = nav_client.post(url("warning-new", case), {"reason": "Keep this"})
    assert_error_page(
        response, "Select the compliance events this warning is about", kept=("Keep this",)
    )
    response = nav_client.post(url("warning-new", case), {"events": [open_event.pk]})
    body = assert_error_page(response, "Enter the reason for the warning")
    assert f'value="{open_event.pk}" checked' in body
    assert not case.warnings.exists()


def test_warning_page_without_open_events_points_to_raising_one(nav_client, case):
    body = nav_client.get(url("warning-new", case)).content.decode()
    assert "no open compliance events" in body
    assert url("compliance-new", case) in body


# 7. Breach referral and withdrawal


def test_referring_for_breach_review(nav_client, case, navigator):
    data = {"recommendation": "Terminate: second new offence"}
    assert nav_client.post(url("breach-refer", case), data | lock(case)).status_code == 302
    assert Case.objects.get(pk=case.pk).state == CaseState.BREACH_REVIEW
    review = BreachReview.objects.get(case=case)
    assert (review.referred_by, review.recommendation) == (navigator, data["recommendation"])
    assert "Active → Breach review" in case_page(nav_client, case)


def test_breach_referral_needs_a_recommendation(nav_client, case):
    response = nav_client.post(url("breach-refer", case), {"recommendation": " "} | lock(case))
    assert_error_page(response, "Enter your recommendation to the supervisor")
    assert Case.objects.get(pk=case.pk).state == CaseState.ACTIVE


@pytest.mark.parametrize("builder", [factories.accepted_case, factories.active_case])
def test_recording_withdrawal_from_accepted_and_active(client, dm, team, navigator, builder):
    case = live_case(builder, dm=dm, team=team, navigator=navigator)
    client.force_login(navigator)
    data = {"reason": "Moved out of the area"}
    assert client.post(url("withdraw", case), data | lock(case)).status_code == 302
    assert Case.objects.get(pk=case.pk).state == CaseState.WITHDRAWN
    assert "Moved out of the area" in case_page(client, case)


def test_withdrawal_errors(nav_client, case, navigator):
    response = nav_client.post(url("withdraw", case), {"reason": ""} | lock(case))
    assert_error_page(response, "Enter why the participant withdrew")
    services.case_withdraw(case_id=case.pk, by=navigator, reason="Already")
    response = nav_client.post(url("withdraw", case), {"reason": "Again"} | lock(case))
    assert_error_page(response, "so &#x27;Record withdrawal&#x27; is not possible", kept=("Again",))
