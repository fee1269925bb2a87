"""Compliance events close (issue 16 point 4): resolved with an explanation or withdrawn with a
reason, on their own screens; the tasks for staff are shown apart from the participant's
non-compliance and never reach the breach review or the prosecution file; after each step that
starts something the page says what happens next (point 8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from checkpoint import dates, services
from checkpoint.actors import SYSTEM
from checkpoint.models import (
    Appointment,
    Case,
    ComplianceEvent,
    ComplianceKind,
    EventStatus,
    ResolvedHow,
)
from checkpoint.services.compliance import record_event
from tests import factories
from tests.factories import disclose
from tests.supervisors.helpers import breach_case, live_case, lock

WHAT_NEXT = "What happens next"


@pytest.fixture
def case(dm, team, navigator):
    return live_case(dm=dm, team=team, navigator=navigator)


@pytest.fixture
def nav_client(client, navigator):
    client.force_login(navigator)
    return client


@pytest.fixture
def sup_client(client, supervisor):
    client.force_login(supervisor)
    return client


def today():
    return timezone.localdate()


def raise_event(case, navigator, detail="Abusive phone call to the hub") -> ComplianceEvent:
    return services.compliance_event_raise(
        case_id=case.pk, by=navigator, kind="other", occurred_on=today(), detail=detail
    )


def staff_task(case, navigator, *, days_ago: int = 3) -> tuple[ComplianceEvent, object]:
    """An appointment a few days ago with no outcome, and the sweep's task about it."""
    when = timezone.now() - timedelta(days=days_ago)
    appointment = Appointment.objects.create(
        case=case, kind="navigator", starts_at=when, created_by=navigator
    )
    task = record_event(
        case,
        ComplianceKind.MISSED_APPOINTMENT,
        occurred_on=dates.local_date(when),
        detail="No outcome recorded for the appointment",
        by=SYSTEM,
        at=timezone.now(),
        dedupe_key=f"missed:appointment:{appointment.pk}",
    )
    return task, appointment


def page(client, case) -> str:
    response = client.get(reverse("navigators:case", args=[case.reference]))
    assert response.status_code == 200
    return response.content.decode()


def url(name: str, case: Case, *args) -> str:
    return reverse(f"navigators:{name}", args=[case.reference, *args])


# --- resolve and withdraw -----------------------------------------------------------------------


def test_an_open_event_offers_resolve_and_withdraw(nav_client, case, navigator):
    event = raise_event(case, navigator)
    body = page(nav_client, case)
    assert url("compliance-resolve", case, event.pk) in body
    assert url("compliance-withdraw", case, event.pk) in body


def test_resolving_with_an_explanation(nav_client, case, navigator):
    event = raise_event(case, navigator)
    form = nav_client.get(url("compliance-resolve", case, event.pk)).content.decode()
    assert "Abusive phone call to the hub" in form and "How was it resolved?" in form
    explanation = "Siobhán Ní Bhriain's phone was stolen; crime reference on file"
    response = nav_client.post(
        url("compliance-resolve", case, event.pk), {"explanation": explanation}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.resolved_how) == (EventStatus.RESOLVED, ResolvedHow.EXPLAINED)
    assert (event.resolution, event.resolved_by) == (explanation, navigator)
    body = page(nav_client, case)
    assert "Resolved (explained) by" in body and "Ní Bhriain&#x27;s phone was stolen" in body
    assert url("compliance-resolve", case, event.pk) not in body
    assert escape(navigator.get_full_name()) in body


def test_resolving_needs_an_explanation(nav_client, case, navigator):
    event = raise_event(case, navigator)
    response = nav_client.post(url("compliance-resolve", case, event.pk), {"explanation": "  "})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Error: " in body and "Enter how it was resolved" in body
    assert 'href="#id_explanation"' in body
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN


def test_withdrawing_needs_a_reason_and_keeps_the_event(nav_client, case, navigator):
    event = raise_event(case, navigator)
    response = nav_client.post(url("compliance-withdraw", case, event.pk), {"reason": ""})
    assert response.status_code == 200
    assert "Enter why the compliance event is withdrawn" in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.OPEN
    response = nav_client.post(
        url("compliance-withdraw", case, event.pk), {"reason": "Raised on the wrong case"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.status, event.resolution) == (EventStatus.WITHDRAWN, "Raised on the wrong case")
    body = page(nav_client, case)
    assert "Withdrawn by" in body and "Raised on the wrong case" in body
    assert "Abusive phone call to the hub" in body  # kept, shown as withdrawn


def test_a_closed_event_cannot_be_closed_again(nav_client, case, navigator):
    event = raise_event(case, navigator)
    services.compliance_event_withdraw(event_id=event.pk, by=navigator, reason="Wrong case")
    response = nav_client.get(url("compliance-resolve", case, event.pk), follow=True)
    assert "This compliance event is already withdrawn" in response.content.decode()
    response = nav_client.post(url("compliance-resolve", case, event.pk), {"explanation": "x"})
    assert response.status_code == 200
    assert "already withdrawn" in response.content.decode()
    event.refresh_from_db()
    assert event.status == EventStatus.WITHDRAWN


def test_another_cases_event_is_not_found(nav_client, case, navigator, dm, team):
    other = live_case(dm=dm, team=team, navigator=navigator)
    event = raise_event(other, navigator)
    assert nav_client.get(url("compliance-resolve", case, event.pk)).status_code == 404


# --- tasks for staff ------------------------------------------------------------------------------


def test_a_staff_task_is_shown_apart_with_the_link_that_does_it(nav_client, case, navigator):
    task, appointment = staff_task(case, navigator)
    body = page(nav_client, case)
    compliance, tasks = body.split('id="staff-tasks"')
    assert "Appointment outcome overdue" not in compliance.split('id="compliance"')[1]
    assert "Appointment outcome overdue" in tasks
    assert url("appointment-outcome", case, appointment.pk) in tasks
    assert url("compliance-resolve", case, task.pk) not in body  # done by doing the task


def test_recording_the_outcome_closes_the_task(nav_client, case, navigator):
    task, appointment = staff_task(case, navigator)
    data = {"outcome": "attended", "notes": ""}
    response = nav_client.post(url("appointment-outcome", case, appointment.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    task.refresh_from_db()
    assert (task.status, task.resolved_how) == (EventStatus.RESOLVED, ResolvedHow.OUTCOME_RECORDED)
    tasks = page(nav_client, case).split('id="staff-tasks"')[1]
    assert "No tasks to do." in tasks and "Done tasks" in tasks


def test_staff_tasks_are_not_in_the_breach_review(sup_client, dm, team, navigator):
    case = live_case(dm=dm, team=team, navigator=navigator)
    raise_event(case, navigator, detail="Threatened the placement supervisor")
    staff_task(case, navigator)
    services.breach_refer(case_id=case.pk, by=navigator, recommendation="Serious incident")
    body = sup_client.get(reverse("supervisors:breach", args=[case.reference])).content.decode()
    assert "Threatened the placement supervisor" in body
    assert "Outcome: open, not yet resolved" in body
    assert "Appointment outcome overdue" not in body
    assert "No outcome recorded for the appointment" not in body


def test_future_appointments_are_not_listed_as_without_an_outcome(sup_client, dm, team, navigator):
    case = live_case(dm=dm, team=team, navigator=navigator)
    services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=timezone.now() + timedelta(days=2),
    )
    services.breach_refer(case_id=case.pk, by=navigator, recommendation="Missed sessions")
    body = sup_client.get(reverse("supervisors:breach", args=[case.reference])).content.decode()
    appointments = body.split(">Appointments<")[1].split("The navigator&#x27;s recommendation")[0]
    assert "Booked" in appointments
    assert "no outcome recorded" not in appointments.lower()
    assert "outcome not yet recorded" not in appointments
    assert "No appointments so far." in appointments


def test_staff_tasks_are_not_in_the_prosecution_file(sup_client, dm, team, navigator, supervisor):
    case = live_case(dm=dm, team=team, navigator=navigator)
    raise_event(case, navigator, detail="Did not attend the placement")
    staff_task(case, navigator)
    services.case_withdraw(case_id=case.pk, by=navigator, reason="Moved away")
    refer = sup_client.get(reverse("supervisors:prosecution-refer", args=[case.reference]))
    for body in (refer.content.decode(),):
        assert "Did not attend the placement" in body
        assert "Appointment outcome overdue" not in body
    services.prosecution_refer(case_id=case.pk, by=supervisor, reason="Withdrew")
    file = disclose(sup_client, reverse("supervisors:prosecution-file", args=[case.reference]))
    body = file.content.decode()
    assert "Did not attend the placement" in body
    assert "Outcome: open, not yet resolved" in body
    assert "Appointment outcome overdue" not in body
    assert "No outcome recorded for the appointment" not in body


# --- what happens next ----------------------------------------------------------------------------


def test_raising_an_event_says_what_happens_next(nav_client, case):
    data = {
        "kind": "other",
        "occurred_on_day": today().day,
        "occurred_on_month": today().month,
        "occurred_on_year": today().year,
        "detail": "Abusive phone call",
    }
    response = nav_client.post(url("compliance-new", case), data, follow=True)
    body = response.content.decode()
    assert "Compliance event raised" in body and WHAT_NEXT in body
    assert url("warning-new", case) in body


def test_a_breach_decision_says_what_happens_next(sup_client, dm, team, navigator):
    case = breach_case(navigator=navigator, dm=dm, team=team)
    data = {**lock(case), "decision": "continue", "reasons": "First lapse"}
    response = sup_client.post(
        reverse("supervisors:breach", args=[case.reference]), data, follow=True
    )
    body = response.content.decode()
    assert WHAT_NEXT in body and "The contract continues" in body


def test_terminating_says_to_refer_for_prosecution(sup_client, dm, team, navigator):
    case = breach_case(navigator=navigator, dm=dm, team=team)
    data = {**lock(case), "decision": "terminate", "reasons": "Repeated absences"}
    response = sup_client.post(
        reverse("supervisors:breach", args=[case.reference]), data, follow=True
    )
    body = response.content.decode()
    assert WHAT_NEXT in body and "Refer the case for prosecution on this page" in body


def test_a_needs_assessment_says_what_happens_next(nav_client, dm, team, navigator):
    case = live_case(
        days_ago=0, builder=factories.accepted_case, dm=dm, team=team, navigator=navigator
    )
    response = nav_client.post(url("needs", case), {"level_drugs": "high"}, follow=True)
    body = response.content.decode()
    assert WHAT_NEXT in body and url("contract", case) in body


def test_acceptance_says_what_happens_next(client, dm, team, navigator):
    case = live_case(days_ago=0, builder=factories.eligible_case, dm=dm, team=team)
    case = services.case_offer(case_id=case.pk, by=dm)
    client.force_login(dm)
    data = {"step": "answer", "answer": "accepted", "navigator": navigator.pk, **lock(case)}
    response = client.post(reverse("custody:offer", args=[case.reference]), data, follow=True)
    body = response.content.decode()
    assert WHAT_NEXT in body
    assert f"{escape(navigator.get_full_name())}, the navigator, builds the contract" in body


def test_a_second_submission_shows_no_next_step(nav_client, case, navigator):
    """Back and resubmit: nothing saved, and no "what happens next" for a step not taken."""
    form = nav_client.get(url("compliance-new", case)).content.decode()
    token = form.split('name="form_token" value="')[1].split('"')[0]
    data = {
        "kind": "other",
        "occurred_on_day": today().day,
        "occurred_on_month": today().month,
        "occurred_on_year": today().year,
        "detail": "Abusive phone call",
        "form_token": token,
    }
    nav_client.post(url("compliance-new", case), data, follow=True)
    again = nav_client.post(url("compliance-new", case), data, follow=True).content.decode()
    assert "Nothing was saved a second time" in again and WHAT_NEXT not in again
    assert ComplianceEvent.objects.filter(case=case).count() == 1
