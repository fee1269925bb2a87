"""A team's working day, in the core: allocation and handover, compliance events that close,
corrections that keep the original, dates that make sense, and re-arrests noticed.

Services are called directly (the screens are their callers; see tests/navigators and
tests/supervisors for the pages). Dates are fixed: the contract starts on Monday 2 March 2026.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from simple_history.utils import get_history_manager_for_model

from checkpoint import roles, services
from checkpoint.actors import SYSTEM
from checkpoint.models import (
    Appointment,
    Case,
    CaseAllocation,
    CaseNote,
    ComplianceEvent,
    HoursLogEntry,
    MatchKind,
    MatchStatus,
    NewOffenceReport,
    Person,
    RearrestMatch,
    ReferralStatus,
)
from checkpoint.services import InvalidInput, NeedsConfirmation, NotPermitted, TransitionBlocked
from notifications.models import Message
from tests import factories

LONDON = factories.LONDON
NOW = factories.NOW  # Monday 2 March 2026, 10:00


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def case(dm, team, navigator):
    return factories.active_case(dm=dm, team=team, navigator=navigator, now=NOW)


@pytest.fixture
def second_navigator(team):
    return factories.make_user(roles.NAVIGATOR, team=team, username="nav2")


# --- allocation and handover ------------------------------------------------------------------
def test_acceptance_with_a_navigator_is_the_first_allocation(case, dm, navigator):
    row = CaseAllocation.objects.get(case=case)
    assert (row.navigator, row.previous_navigator, row.by) == (navigator, None, dm)


def test_a_supervisor_allocates_several_cases_and_each_is_in_the_history(
    dm, team, supervisor, second_navigator
):
    cases = [factories.accepted_case(dm=dm, team=team, navigator=None, now=NOW) for _ in range(3)]
    services.case_allocate(
        case_ids=[c.pk for c in cases], by=supervisor, navigator=second_navigator, now=NOW
    )
    for c in cases:
        assert Case.objects.get(pk=c.pk).navigator == second_navigator
        row = CaseAllocation.objects.get(case=c)
        assert (row.by, row.previous_navigator) == (supervisor, None)


def test_a_navigator_of_another_team_cannot_be_allocated(case, supervisor):
    other = factories.make_user(
        roles.NAVIGATOR, team=factories.TeamFactory(name="Elsewhere"), username="far"
    )
    with pytest.raises(InvalidInput, match="Choose a navigator of the Durham North team"):
        services.case_allocate(case_ids=[case.pk], by=supervisor, navigator=other, now=NOW)


def test_a_navigator_cannot_allocate(case, navigator, second_navigator):
    with pytest.raises(NotPermitted, match="Only a supervisor can allocate"):
        services.case_allocate(case_ids=[case.pk], by=navigator, navigator=second_navigator)


def test_handover_moves_every_open_case_and_names_each_one_left_out(
    case, dm, team, navigator, supervisor, second_navigator
):
    other = factories.active_case(dm=dm, team=team, navigator=navigator, now=NOW)
    with pytest.raises(InvalidInput, match="each of the 2 open cases \\(1 without one\\)"):
        services.caseload_handover(
            by=supervisor,
            from_navigator=navigator,
            assignments={case.pk: second_navigator},
            reason="Leaving the team",
        )
    moved = services.caseload_handover(
        by=supervisor,
        from_navigator=navigator,
        assignments={case.pk: second_navigator, other.pk: second_navigator},
        reason="Leaving the team",
        now=NOW,
    )
    assert moved == 2
    assert not Case.objects.filter(navigator=navigator).exists()
    last = CaseAllocation.objects.filter(case=other).last()
    assert (last.previous_navigator, last.navigator, last.reason) == (
        navigator,
        second_navigator,
        "Leaving the team",
    )


def test_an_unallocated_case_is_alerted_once_after_the_configured_time(
    dm, team, supervisor, settings
):
    settings.UNALLOCATED_ALERT_HOURS = 24
    factories.accepted_case(dm=dm, team=team, navigator=None, now=NOW)
    assert services.unallocated_alerts(by=SYSTEM, now=NOW + timedelta(hours=23)) == 0
    assert services.unallocated_alerts(by=SYSTEM, now=NOW + timedelta(hours=25)) == 1
    services.unallocated_alerts(by=SYSTEM, now=NOW + timedelta(hours=26))
    alerts = Message.objects.filter(template="unallocated_alert")
    assert [m.recipient for m in alerts] == [supervisor.email]  # once, to the supervisor


# --- compliance events have a lifecycle -------------------------------------------------------
def _overdue_outcome(case, navigator) -> Appointment:
    appointment = services.appointment_schedule(
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=at(date(2026, 3, 9)),
        confirm=True,
        now=NOW,
    )
    services.compliance_sweep(by=SYSTEM, now=at(date(2026, 3, 11), 6))
    return appointment


def test_recording_the_outcome_closes_the_overdue_outcome_task(case, navigator):
    appointment = _overdue_outcome(case, navigator)
    task = ComplianceEvent.objects.get(case=case, kind="missed_appointment")
    assert task.is_staff_task and task.status == "open"
    services.appointment_record_outcome(
        appointment_id=appointment.pk,
        by=navigator,
        outcome="unacceptable_absence",
        now=at(date(2026, 3, 11), 9),
    )
    task.refresh_from_db()
    assert (task.status, task.resolved_how, task.resolved_by) == (
        "resolved",
        "outcome_recorded",
        navigator,
    )
    assert task.resolution == "Outcome recorded: Unacceptable absence"
    # The participant's own lapse is what stays open.
    open_events = ComplianceEvent.objects.filter(case=case).open()
    assert [e.kind for e in open_events] == ["unacceptable_absence"]
    assert (
        not ComplianceEvent.objects.filter(case=case)
        .participant()
        .filter(kind="missed_appointment")
    )


def test_an_event_is_resolved_with_how_or_withdrawn_with_why(case, navigator):
    raised = services.compliance_event_raise(
        case_id=case.pk,
        by=navigator,
        kind="other",
        occurred_on=date(2026, 3, 2),
        detail="Did not answer",
        now=NOW,
    )
    services.compliance_event_resolve(
        event_id=raised.pk, by=navigator, explanation="In hospital; letter on file", now=NOW
    )
    raised.refresh_from_db()
    assert (raised.status, raised.resolved_how) == ("resolved", "explained")
    with pytest.raises(TransitionBlocked, match="already resolved"):
        services.compliance_event_withdraw(event_id=raised.pk, by=navigator, reason="x")
    wrong = services.compliance_event_raise(
        case_id=case.pk,
        by=navigator,
        kind="other",
        occurred_on=date(2026, 3, 2),
        detail="Wrong case",
        now=NOW,
    )
    with pytest.raises(InvalidInput, match="Enter why the compliance event is withdrawn"):
        services.compliance_event_withdraw(event_id=wrong.pk, by=navigator, reason=" ")
    services.compliance_event_withdraw(event_id=wrong.pk, by=navigator, reason="Wrong case")
    wrong.refresh_from_db()
    assert (wrong.status, wrong.resolution) == ("withdrawn", "Wrong case")


def test_a_warning_resolves_the_events_it_is_about(case, navigator):
    raised = services.compliance_event_raise(
        case_id=case.pk,
        by=navigator,
        kind="other",
        occurred_on=date(2026, 3, 2),
        detail="Rude to the placement",
        now=NOW,
    )
    services.warning_issue(
        case_id=case.pk, by=navigator, reason="Behaviour", event_ids=[raised.pk], now=NOW
    )
    raised.refresh_from_db()
    assert (raised.status, raised.resolved_how) == ("resolved", "warning_issued")


# --- corrections keep the original -----------------------------------------------------------
def test_an_hours_entry_is_corrected_by_a_new_one_and_the_old_one_kept(case, navigator):
    entry = services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=date(2026, 3, 3),
        hours=Decimal(6),
        activity="Garden",
        verified=True,
        now=at(date(2026, 3, 4)),
    )
    fixed = services.hours_correct(
        entry_id=entry.pk,
        by=navigator,
        reason="Typed 6 for 3",
        worked_on=date(2026, 3, 3),
        hours=Decimal(3),
        activity="Garden",
        now=at(date(2026, 3, 4), 11),
    )
    entry.refresh_from_db()
    assert entry.is_withdrawn and entry.withdrawal_reason == "Typed 6 for 3"
    assert fixed.corrects == entry and fixed.verified_at is not None
    community = case.contract.community_condition
    assert community.fact().hours_verified == Decimal(3)  # the withdrawn entry counts for nothing
    with pytest.raises(TransitionBlocked, match="already withdrawn"):
        services.hours_withdraw(entry_id=entry.pk, by=navigator, reason="again")


def test_a_note_is_withdrawn_with_its_reason_not_deleted(case, navigator):
    note = services.note_add(case_id=case.pk, by=navigator, text="Written on the wrong case")
    services.note_withdraw(note_id=note.pk, by=navigator, reason="Wrong case", now=NOW)
    kept = CaseNote.objects.get(pk=note.pk)
    assert kept.text == "Written on the wrong case" and kept.withdrawal_reason == "Wrong case"
    new = services.note_correct(
        note_id=services.note_add(case_id=case.pk, by=navigator, text="Met at 10").pk,
        by=navigator,
        text="Met at 11",
        reason="Wrong time",
        now=NOW,
    )
    assert new.corrects.text == "Met at 10" and new.corrects.is_withdrawn


def test_contact_details_change_with_history_and_stop_reminders_that_lost_their_address(
    case, navigator
):
    Person.objects.filter(pk=case.person_id).update(
        mobile="07700 900123", sms_reminders=True, given_name="Aoife", family_name="Ní Bhriain"
    )
    person = services.person_contact_update(
        case_id=case.pk,
        by=navigator,
        mobile="",
        email="aoife@example.org",
        address_line_1="4 Quarry Row",
        town="Durham",
        postcode="dh1 5ab",
        reason="Changed phone",
    )
    assert (person.postcode, person.sms_reminders, person.mobile) == ("DH1 5AB", False, "")
    assert person.postal_address == ["4 Quarry Row", "Durham", "DH1 5AB"]
    history = get_history_manager_for_model(Person).filter(id=person.pk).order_by("history_date")
    assert history.last().history_change_reason == "Changed phone"
    with pytest.raises(InvalidInput, match="Enter a real postcode"):
        services.person_contact_update(
            case_id=case.pk, by=navigator, mobile="", email="", postcode="NOT A CODE"
        )
    with pytest.raises(InvalidInput, match="not both"):
        services.person_contact_update(
            case_id=case.pk,
            by=navigator,
            mobile="",
            email="",
            address_line_1="4 Quarry Row",
            no_fixed_abode=True,
        )


def test_a_referral_withdrawn_in_error_is_no_longer_a_condition(case, navigator):
    referral = case.contract.referrals.get()
    services.referral_withdraw(referral_id=referral.pk, by=navigator, reason="Wrong service")
    referral.refresh_from_db()
    assert (referral.status, referral.status_reason) == (ReferralStatus.WITHDRAWN, "Wrong service")
    pathway = next(s for s in case.contract.condition_statuses() if s.name == "Pathway")
    assert pathway.summary == "No referral was made"


def test_a_closed_case_is_corrected_by_a_supervisor_only(dm, team, navigator, supervisor):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=NOW)
    note = services.note_add(case_id=case.pk, by=navigator, text="Met")
    services.case_withdraw(case_id=case.pk, by=navigator, reason="Moved away", now=NOW)
    services.prosecution_refer(case_id=case.pk, by=supervisor, reason="Withdrew", now=NOW)
    # The navigator no longer reaches... unless allocated: they are, so the role decides.
    with pytest.raises(NotPermitted, match="Only a supervisor can correct a record of a closed"):
        services.note_withdraw(note_id=note.pk, by=navigator, reason="Wrong case")
    services.note_withdraw(note_id=note.pk, by=supervisor, reason="Wrong case")


# --- dates that make sense --------------------------------------------------------------------
def test_an_appointment_after_the_contract_or_the_deadline_is_refused(case, navigator):
    with pytest.raises(InvalidInput, match="The contract ends on 2 July 2026"):
        services.appointment_schedule(
            case_id=case.pk, by=navigator, kind="navigator", starts_at=at(date(2026, 7, 3)), now=NOW
        )
    Case.objects.filter(pk=case.pk).update(prosecution_deadline=date(2026, 5, 1))
    with pytest.raises(InvalidInput, match="prosecution deadline is 1 May 2026"):
        services.appointment_schedule(
            case_id=case.pk, by=navigator, kind="navigator", starts_at=at(date(2026, 5, 4)), now=NOW
        )


def test_a_clash_and_a_bank_holiday_are_warnings_to_confirm(case, dm, team, navigator):
    services.appointment_schedule(
        case_id=case.pk, by=navigator, kind="navigator", starts_at=at(date(2026, 3, 10)), now=NOW
    )
    other = factories.active_case(dm=dm, team=team, navigator=navigator, now=NOW)
    with pytest.raises(NeedsConfirmation) as warned:
        services.appointment_schedule(
            case_id=other.pk,
            by=navigator,
            kind="navigator",
            starts_at=at(date(2026, 3, 10), 10, 30),
            now=NOW,
        )
    assert warned.value.warnings == [
        f"It clashes with the navigator's Navigator meeting on Tue 10 Mar 2026 at 10:00 "
        f"({case.reference})."
    ]
    assert not Appointment.objects.filter(case=other).exists()  # nothing saved
    # Good Friday, 3 April 2026.
    with pytest.raises(NeedsConfirmation, match="Check before you save") as holiday:
        services.appointment_schedule(
            case_id=other.pk,
            by=navigator,
            kind="navigator",
            starts_at=at(date(2026, 4, 3)),
            now=NOW,
        )
    assert holiday.value.warnings == ["3 April 2026 is a bank holiday (Good Friday)."]
    services.appointment_schedule(
        case_id=other.pk,
        by=navigator,
        kind="navigator",
        starts_at=at(date(2026, 4, 3)),
        confirm=True,
        now=NOW,
    )


def test_a_cancelled_appointment_is_kept_with_why_and_sends_no_reminders(case, navigator):
    Person.objects.filter(pk=case.person_id).update(mobile="07700 900123", sms_reminders=True)
    appointment = services.appointment_schedule(
        case_id=case.pk, by=navigator, kind="navigator", starts_at=at(date(2026, 3, 10)), now=NOW
    )
    assert Message.objects.filter(appointment=appointment, status="pending").exists()
    services.appointment_cancel(
        appointment_id=appointment.pk, by=navigator, reason="Participant in hospital", now=NOW
    )
    appointment.refresh_from_db()
    assert appointment.cancelled_at is not None
    assert not Message.objects.filter(appointment=appointment, status="pending").exists()
    with pytest.raises(TransitionBlocked, match="cancelled"):
        services.appointment_record_outcome(
            appointment_id=appointment.pk,
            by=navigator,
            outcome="attended",
            now=at(date(2026, 3, 10), 11),
        )


def test_the_contract_starts_within_the_window_its_hint_states(dm, team, navigator):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=NOW)
    factories.build_contract(case, navigator=navigator, now=NOW)
    for starts_on in (date(2026, 3, 1), date(2026, 3, 17)):
        with pytest.raises(InvalidInput, match="today or up to 14 days ahead, between 2 March"):
            services.contract_sign(case_id=case.pk, by=navigator, starts_on=starts_on, now=NOW)
    services.contract_sign(case_id=case.pk, by=navigator, starts_on=date(2026, 3, 16), now=NOW)


def test_consent_is_not_dated_before_the_arrest(dm, team, navigator):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=NOW)
    services.contract_open(case_id=case.pk, by=navigator)
    with pytest.raises(InvalidInput, match="Consent cannot be dated before the arrest on 2 March"):
        services.consent_record(
            case_id=case.pk, by=navigator, method="in_person", given_on=date(2026, 3, 1), now=NOW
        )


def test_an_approach_against_the_victims_wishes_needs_a_reason(dm, team, navigator):
    case = factories.accepted_case(dm=dm, team=team, navigator=navigator, now=NOW)
    services.contract_open(case_id=case.pk, by=navigator)
    services.victim_wishes_record(
        case_id=case.pk,
        by=navigator,
        name="Mr Dáithí O'Shea",
        restorative_preference="letter",
        keep_informed=False,
        now=NOW,
    )
    with pytest.raises(InvalidInput, match="The victim asked for a letter of apology"):
        services.victim_condition_set(case_id=case.pk, by=navigator, approach="face_to_face")
    condition = services.victim_condition_set(
        case_id=case.pk,
        by=navigator,
        approach="face_to_face",
        reason="The victim has since asked to meet (call on 3 March)",
    )
    assert condition.approach_reason.startswith("The victim has since asked")


def test_hours_after_the_contract_ended_do_not_count(case, navigator):
    with pytest.raises(InvalidInput, match="The contract ended on 2 July 2026"):
        services.hours_log(
            case_id=case.pk,
            by=navigator,
            worked_on=date(2026, 7, 3),
            hours=Decimal(2),
            activity="Garden",
            now=at(date(2026, 7, 4)),
        )


def test_a_restorative_outcome_is_not_dated_before_the_contract(case, navigator):
    with pytest.raises(InvalidInput, match="before the contract started on 2 March 2026"):
        services.restorative_outcome_record(
            case_id=case.pk,
            by=navigator,
            outcome="completed",
            recorded_on=date(2026, 3, 1),
            now=at(date(2026, 3, 5)),
        )


# --- re-arrest detection ------------------------------------------------------------------------
def _arrest_again(dm, team, **person) -> Case:
    return factories.open_case(
        dm=dm, team=team, now=at(date(2026, 4, 1)), person=factories.PersonFactory(**person)
    )


def test_the_same_pnc_id_is_a_match_to_confirm(case, dm, team, navigator):
    Person.objects.filter(pk=case.person_id).update(pnc_id="26/123456A")
    again = _arrest_again(dm, team, pnc_id="26/123456a")
    match = RearrestMatch.objects.get(active_case=case)
    assert (match.new_case, match.kind, match.status) == (again, MatchKind.EXACT, "pending")
    assert Message.objects.filter(template="rearrest_alert", user=navigator).exists()
    report = services.rearrest_confirm(match_id=match.pk, by=navigator, now=at(date(2026, 4, 2)))
    assert NewOffenceReport.objects.get(case=case) == report
    assert report.reference == again.arrest.custody_reference
    match.refresh_from_db()
    assert (match.status, match.report) == (MatchStatus.CONFIRMED, report)
    offending = next(s for s in case.contract.condition_statuses() if s.name == "Offending")
    assert not offending.met


def test_the_same_name_and_birth_date_is_a_possible_match(case, dm, team, navigator):
    person = Person.objects.get(pk=case.person_id)
    Person.objects.filter(pk=person.pk).update(given_name="Aoife", family_name="Ní Bhriain")
    Person.objects.get(pk=person.pk).save()  # the search name follows the name
    _arrest_again(
        dm, team, given_name="aoife", family_name="Ni Bhriain", date_of_birth=person.date_of_birth
    )
    match = RearrestMatch.objects.get(active_case=case)
    assert match.kind == MatchKind.POSSIBLE
    services.rearrest_dismiss(match_id=match.pk, by=navigator, reason="Different middle name")
    match.refresh_from_db()
    assert match.status == MatchStatus.DISMISSED
    assert not NewOffenceReport.objects.filter(case=case).exists()


def test_someone_else_is_not_a_match(case, dm, team):
    person = Person.objects.get(pk=case.person_id)
    _arrest_again(
        dm,
        team,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth + timedelta(days=1),
    )
    assert not RearrestMatch.objects.exists()


def test_hours_entries_are_kept_and_listed_in_order(case, navigator):
    """The withdrawn entry keeps its place in the log (shown struck through on the pages)."""
    first = services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=date(2026, 3, 3),
        hours=Decimal(2),
        activity="Garden",
        now=at(date(2026, 3, 4)),
    )
    services.hours_withdraw(entry_id=first.pk, by=navigator, reason="Duplicate")
    assert list(HoursLogEntry.objects.values_list("pk", flat=True)) == [first.pk]
