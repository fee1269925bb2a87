"""Property: a whole caseload under random user actions and scheduled runs keeps its invariants.

A Hypothesis rule-based machine opens several cases and drives them through the real services
(checkpoint.services) with the actions staff take, in any order and on any case, while a
``time_machine`` traveller moves the clock forward by hours, days or weeks and the scheduled
jobs run exactly as Celery runs them (the task functions in checkpoint.tasks and
notifications.tasks, which read the travelled clock). A refusal by the domain (a ``CaseError``)
is an acceptable answer to any action; any other exception fails the test. A refused action
must change nothing.

After every step, over every case in the database:

- each case is in one state, a ``CaseState``, and is closed exactly when that state is terminal;
- its history rows chain from 'assessment' to the current state, each row a transition the
  state machine allows, in time order; every action added exactly one row to the case it
  changed (the sweep one per case it moved, the other scheduled jobs none);
- community hours: the required hours of an unpaid-work condition lie within the scheme
  version's range (the services check it on setting and on a breach variation); each logged
  session is more than 0 and at most 12 hours, dated from the contract start to the day it was
  recorded, and verified hours name who verified them. Totals are not bounded: a participant
  may work more than required;
- a signed contract (an active case and every later stage) has both mandatory conditions,
  Offending and Victim, and its Community condition;
- an end date moved by a breach variation keeps the margin before the s.127 deadline;
- no outbox key is used twice, Fake Notify received each message at most once, exactly the
  sent messages were delivered, and nothing is left half-sent;
- the deadline watch's promise: once a watch has run on a day when an unresolved case's s.127
  deadline was within a threshold (28, 14, 7 days), that case has the alert for that threshold
  (and keeps it); every alert was raised within its threshold, with the case's deadline, and
  its case's team supervisor was emailed.

Budget: ``CHECKPOINT_LONG_PROPERTY=1`` runs a soak (many more and longer walks).
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from hypothesis import HealthCheck, event, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    precondition,
    rule,
    run_state_machine_as_test,
)

from checkpoint import dates, services
from checkpoint import tasks as checkpoint_tasks
from checkpoint.models import (
    TERMINAL_STATES,
    UNRESOLVED_STATES,
    Appointment,
    Case,
    CaseState,
    CaseTransition,
    CommunityCondition,
    CommunityKind,
    ComplianceEvent,
    ConsentMethod,
    Contract,
    DeadlineAlert,
    EligibilityAssessment,
    HoursLogEntry,
    Pathway,
    PathwayReferral,
    RestorativeApproach,
    SweepKind,
    SweepRun,
    SweepStatus,
)
from checkpoint.services import CaseError
from notifications import tasks as notification_tasks
from notifications.gateway import FakeNotifyGateway
from notifications.models import FakeDelivery, Message, Status
from tests import factories

S = CaseState
pytestmark = pytest.mark.django_db

LONG = os.environ.get("CHECKPOINT_LONG_PROPERTY") == "1"
BUDGET = (
    {"max_examples": 300, "stateful_step_count": 120}
    if LONG
    else {"max_examples": 12, "stateful_step_count": 50}
)

# Mostly not excluded; a mix of summary-only (s.127 deadline) and either-way (no deadline)
# offences, with and without a victim; drink driving is an excluded category.
OFFENCE_CODES = ["COMMON-ASSAULT", "PO-S5", "DRUNK-DISORDERLY", "THEFT-SHOP", "POSS-B"]
WITH_VICTIM_CODES = ["COMMON-ASSAULT", "PO-S5", "THEFT-SHOP"]
EXCLUDED_CODE = "DRINK-DRIVE"
# The reason a referral counts as completed here: the service confirms it (attendance at the
# service is not booked in these runs).
CONFIRMED = "The service confirmed in writing that the course was completed."
SIGNED_STATES = {S.ACTIVE, S.BREACH_REVIEW, S.COMPLETION_REVIEW, S.EXITED_NO_CONVICTION}
STATE_FIELD = Case._meta.get_field("state")
# (transition name, from, to) triples the model allows.
ALLOWED = {
    (t.name, t.source, t.target)
    for t in STATE_FIELD.get_all_transitions(Case)
    if t.source != "*" and t.target is not None
}

# How far the clock moves in one step: hours, days or weeks (never backwards).
TIME_STEPS = st.one_of(
    st.integers(1, 23).map(lambda h: timedelta(hours=h)),
    st.integers(1, 6).map(lambda d: timedelta(days=d)),
    st.integers(1, 4).map(lambda w: timedelta(weeks=w)),
)


def history_snapshot() -> dict[int, tuple[str, int]]:
    """Every case's state and number of history rows (two queries)."""
    counts = dict(CaseTransition.objects.values_list("case_id").annotate(n=Count("pk")).order_by())
    return {pk: (state, counts.get(pk, 0)) for pk, state in Case.objects.values_list("pk", "state")}


class CaseLifecycleMachine(RuleBasedStateMachine):
    cases = Bundle("cases")
    appointments = Bundle("appointments")
    hours_entries = Bundle("hours_entries")

    def __init__(self, *, dm, navigator, supervisor, team, provider):
        super().__init__()
        self.dm, self.nav, self.sup, self.team = dm, navigator, supervisor, team
        self.provider = provider
        self.pathway_id = Pathway.objects.get(code="drugs").pk
        # Everything an example writes is rolled back when it ends (teardown), so each example
        # starts from the test's fixtures only. Services' own atomic blocks nest as savepoints.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self._travel = time_machine.travel(factories.NOW, tick=False)
        self.clock = self._travel.start()
        FakeNotifyGateway.reset()
        self.last_now = timezone.now()
        # (case, threshold) alerts the deadline watch has promised by now.
        self.promised_alerts: set[tuple[int, int]] = set()
        self.outcomes: Counter = Counter()

    def teardown(self):
        FakeNotifyGateway.reset()
        note(f"outcomes: {dict(self.outcomes)}")
        self._travel.stop()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers ---------------------------------------------------------------------------------
    @property
    def now(self) -> datetime:
        return timezone.now()

    @property
    def today(self) -> date:
        return dates.local_date(self.now)

    def aim(self, data, case_id: int, states, *, often: bool = True) -> int:
        """Mostly act on a case in ``states`` (so that walks get somewhere); otherwise, or when
        there is none, on the case the bundle gave (usually a refusal). Actions that end a
        walk early (withdrawal, refusal, termination) aim only ``often=False``: one time in
        four."""
        odds = [True, True, True, False] if often else [True, False, False, False]
        if not data.draw(st.sampled_from(odds), label="aimed"):
            return case_id
        candidates = sorted(
            Case.objects.filter(state__in=list(states)).values_list("pk", flat=True)
        )
        if not candidates:
            return case_id
        return data.draw(st.sampled_from(candidates), label="case")

    def attempt(self, label: str, call, *, case_id: int | None = None, transition: str = ""):
        """Run one user action. A ``CaseError`` is a refusal and must change nothing; on success
        exactly the named transition (or none) is recorded, on ``case_id`` only."""
        before = history_snapshot()
        messages = Message.objects.count()
        state = before.get(case_id, ("-",))[0]
        try:
            result = call()
        except CaseError as err:
            note(f"{self.now:%d %b %H:%M} {label} #{case_id} ({state}): refused, {err.message}")
            self.outcomes[f"{label} refused"] += 1
            event(f"{label}: refused ({type(err).__name__})")
            assert history_snapshot() == before, f"refused {label} changed a case"
            assert Message.objects.count() == messages, f"refused {label} queued a message"
            return None
        note(f"{self.now:%d %b %H:%M} {label} #{case_id} ({state}): done")
        self.outcomes[f"{label} done"] += 1
        event(f"{label}: done")
        after = history_snapshot()
        for pk, (old_state, old_rows) in before.items():
            new_state, new_rows = after[pk]
            if pk == case_id and transition:
                assert new_rows == old_rows + 1, f"{label} wrote {new_rows - old_rows} rows"
                last = CaseTransition.objects.filter(case_id=pk).order_by("at", "pk").last()
                assert (last.transition, last.from_state, last.to_state) == (
                    transition,
                    old_state,
                    new_state,
                )
                assert last.at == self.now
            else:
                assert (new_state, new_rows) == (old_state, old_rows), (
                    f"{label} changed case {pk}: {old_state} -> {new_state}"
                )
        return result

    # --- opening cases ---------------------------------------------------------------------------
    @rule(
        target=cases,
        code=st.sampled_from([*OFFENCE_CODES, EXCLUDED_CODE]),
        days_ago=st.integers(1, 100),
        contact=st.sampled_from(["none", "sms", "email", "both"]),
    )
    def open_case(self, code, days_ago, contact):
        """A decision maker opens a case in custody (offence 1 to 100 days ago)."""
        person = factories.PersonFactory(
            mobile="07700 900982" if contact in {"sms", "both"} else "",
            email="participant@example.org" if contact in {"email", "both"} else "",
        )
        case = self.attempt(
            "open",
            lambda: factories.open_case(
                dm=self.dm,
                team=self.team,
                person=person,
                now=self.now,
                offences=[factories.offence(code, committed_on=self.today - timedelta(days_ago))],
            ),
        )
        return multiple() if case is None else case.pk

    @initialize(
        target=cases,
        code=st.sampled_from(WITH_VICTIM_CODES),
        days_ago=st.integers(40, 85),
        hours=st.integers(18, 36),
    )
    def caseload_at_start(self, code, days_ago, hours):
        """Every walk starts with one running contract (and opens more cases as it goes), for
        an offence weeks old: a summary-only offence's s.127 deadline then falls within the
        four months (DESIGN.md 1.2: little slack), so the deadline watch has work to do."""
        return self.open_active_case(code, days_ago, hours)

    @rule(
        target=cases,
        code=st.sampled_from(WITH_VICTIM_CODES),
        days_ago=st.integers(1, 80),
        hours=st.integers(18, 36),
    )
    def open_active_case(self, code, days_ago, hours):
        """A shortcut through the journey builders (tests/factories.py): a case opened,
        assessed, offered, accepted, its contract built and signed now, each step through the
        services. (The builders' letter of apology needs an offence with a victim.)"""
        offences = [factories.offence(code, committed_on=self.today - timedelta(days_ago))]
        case = factories.accepted_case(
            dm=self.dm, team=self.team, navigator=self.nav, now=self.now, offences=offences
        )
        factories.build_contract(
            case, navigator=self.nav, provider=self.provider, hours=hours, now=self.now
        )
        case = services.contract_sign(case_id=case.pk, by=self.nav, starts_on=self.today)
        rows = list(CaseTransition.objects.filter(case=case).values_list("to_state", flat=True))
        assert rows == [S.ELIGIBLE, S.OFFERED, S.ACCEPTED, S.ACTIVE]
        event("open_active_case: done")
        return case.pk

    # Hypothesis draws a rule uniformly among those that apply, and there are some forty; the
    # journey's next step gets several rules so that walks reach the later states often.
    @rule(case=cases, data=st.data())
    def next_step(self, case, data):
        self.take_next_step(case, data)

    @rule(case=cases, data=st.data())
    def next_step_b(self, case, data):
        self.take_next_step(case, data)

    @rule(case=cases, data=st.data())
    def next_step_c(self, case, data):
        self.take_next_step(case, data)

    @rule(case=cases, data=st.data())
    def next_step_d(self, case, data):
        self.take_next_step(case, data)

    @rule(case=cases, data=st.data())
    def next_step_e(self, case, data):
        self.take_next_step(case, data)

    def take_next_step(self, case, data):
        """The next step of a case's journey, as its staff would take it (the single-action
        rules below add every detour)."""
        case = self.aim(data, case, UNRESOLVED_STATES)
        state = Case.objects.values_list("state", flat=True).get(pk=case)
        nav, sup, dm = self.nav, self.sup, self.dm
        if state == S.ASSESSMENT and not EligibilityAssessment.objects.filter(case_id=case):
            facts = factories.GOOD_FACTS
            call = partial(services.assessment_record, case_id=case, by=dm, **facts)
            self.attempt("next: assess", call, case_id=case)
        elif state == S.ASSESSMENT:
            eligible = EligibilityAssessment.objects.filter(case_id=case).latest("pk").is_eligible
            call = partial(services.assessment_decide, case_id=case, by=dm, eligible=eligible)
            transition = "decide_eligible" if eligible else "decide_ineligible"
            self.attempt("next: decide", call, case_id=case, transition=transition)
        elif state == S.ELIGIBLE:
            call = partial(services.case_offer, case_id=case, by=dm)
            self.attempt("next: offer", call, case_id=case, transition="make_offer")
        elif state == S.OFFERED:
            call = partial(services.offer_accept, case_id=case, by=dm, navigator=nav)
            self.attempt("next: accept", call, case_id=case, transition="accept_offer")
        elif state == S.ACCEPTED and not Contract.objects.filter(case_id=case).exists():
            call = partial(self.build_contract_for, case, data.draw(st.integers(18, 36)))
            self.attempt("next: build contract", call, case_id=case)
        elif state == S.ACCEPTED:
            call = partial(services.contract_sign, case_id=case, by=nav, starts_on=self.today)
            self.attempt("next: sign", call, case_id=case, transition="sign_contract")
        elif state == S.ACTIVE:
            self.work_towards_completion(case)
        elif state == S.BREACH_REVIEW:
            call = partial(
                services.breach_decide, case_id=case, by=sup, decision="continue", reasons="Fine"
            )
            self.attempt("next: continue", call, case_id=case, transition="continue_contract")
        elif state == S.COMPLETION_REVIEW:
            call = partial(services.completion_sign_off, case_id=case, by=sup, reason="Met")
            self.attempt("next: sign off", call, case_id=case, transition="sign_off")
        else:  # declined, withdrawn, terminated
            call = partial(services.prosecution_refer, case_id=case, by=sup, reason="To CPS")
            self.attempt("next: prosecute", call, case_id=case, transition="refer_for_prosecution")

    def build_contract_for(self, case_id: int, hours: int) -> None:
        """Every condition and consent, with the restorative approach the offence allows."""
        has_victim = Case.objects.get(pk=case_id).arrest.offences.filter(has_victim=True).exists()
        if has_victim:
            factories.build_contract(
                Case(pk=case_id), navigator=self.nav, provider=self.provider, hours=hours
            )
            return
        services.contract_open(case_id=case_id, by=self.nav)
        services.victim_condition_set(
            case_id=case_id, by=self.nav, approach=RestorativeApproach.NO_VICTIM
        )
        services.referral_add(
            case_id=case_id,
            by=self.nav,
            provider_id=self.provider.pk,
            pathway_id=self.pathway_id,
            what="Alcohol awareness",
            frequency="Weekly",
            required_sessions=4,
        )
        services.community_set(
            case_id=case_id, by=self.nav, kind=CommunityKind.HOURS, hours_required=hours
        )
        services.consent_record(
            case_id=case_id, by=self.nav, method=ConsentMethod.IN_PERSON, given_on=self.today
        )

    def work_towards_completion(self, case_id: int) -> None:
        """A session of community work (verified), or else the conditions evidenced, or the
        review begun once the end date has come."""
        contract = Contract.objects.select_related("community_condition").get(case_id=case_id)
        community = contract.community_condition
        verified = community.fact().hours_verified
        if community.kind == CommunityKind.HOURS and verified < community.hours_required:
            hours = min(Decimal(12), community.hours_required - verified)
            worked_on = max(contract.starts_on, self.today - timedelta(days=1))
            call = partial(
                services.hours_log,
                case_id=case_id,
                by=self.nav,
                worked_on=min(worked_on, self.today),
                hours=hours,
                activity="Gardening",
                verified=True,
            )
            self.attempt("next: log hours", call, case_id=case_id)
        elif not all(status.met for status in contract.condition_statuses()):
            self.evidence(case_id)
        elif self.today < contract.ends_on:
            # Nothing left to do but wait: time passes to the end date, and the morning's
            # sweep moves the case to completion review.
            self.advance(dates.start_of_local_day(contract.ends_on) + timedelta(hours=5) - self.now)
            self.run_jobs()
        else:
            call = partial(services.completion_review_begin, case_id=case_id, by=self.nav)
            self.attempt(
                "next: begin review", call, case_id=case_id, transition="begin_completion_review"
            )

    # --- assessment, offer --------------------------------------------------------------------
    @rule(case=cases, data=st.data(), admission=st.sampled_from(["admitted"] * 3 + ["denied"]))
    def assess(self, case, data, admission):
        case = self.aim(data, case, {S.ASSESSMENT})
        facts = {**factories.GOOD_FACTS, "admission": admission}
        self.attempt(
            "assess",
            lambda: services.assessment_record(case_id=case, by=self.dm, **facts),
            case_id=case,
        )

    @rule(case=cases, data=st.data(), eligible=st.sampled_from([True, True, False]))
    def decide(self, case, data, eligible):
        case = self.aim(data, case, {S.ASSESSMENT})
        self.attempt(
            "decide",
            lambda: services.assessment_decide(
                case_id=case, by=self.dm, eligible=eligible, reason="Decision maker's view"
            ),
            case_id=case,
            transition="decide_eligible" if eligible else "decide_ineligible",
        )

    @rule(case=cases, data=st.data())
    def offer(self, case, data):
        case = self.aim(data, case, {S.ELIGIBLE})
        self.attempt(
            "offer",
            lambda: services.case_offer(case_id=case, by=self.dm),
            case_id=case,
            transition="make_offer",
        )

    @rule(case=cases, data=st.data(), allocate=st.sampled_from([True] * 5 + [False]))
    def accept(self, case, data, allocate):
        case = self.aim(data, case, {S.OFFERED})
        navigator = self.nav if allocate else None
        self.attempt(
            "accept",
            lambda: services.offer_accept(case_id=case, by=self.dm, navigator=navigator),
            case_id=case,
            transition="accept_offer",
        )

    @rule(case=cases, data=st.data())
    def decline(self, case, data):
        case = self.aim(data, case, {S.OFFERED}, often=False)
        self.attempt(
            "decline",
            lambda: services.offer_decline(case_id=case, by=self.dm, reason="Wants a trial"),
            case_id=case,
            transition="decline_offer",
        )

    @rule(
        case=cases,
        data=st.data(),
        preference=st.sampled_from(["no_contact", "letter", "face_to_face", "kept_informed"]),
        informed=st.booleans(),
    )
    def victim_wishes(self, case, data, preference, informed):
        case = self.aim(data, case, {S.ACCEPTED, S.OFFERED, S.ELIGIBLE})
        self.attempt(
            "victim_wishes",
            lambda: services.victim_wishes_record(
                case_id=case,
                by=self.nav,
                name="A Victim",
                restorative_preference=preference,
                keep_informed=informed,
                email="victim@example.org" if informed else "",
            ),
            case_id=case,
        )

    # --- building and signing the contract ---------------------------------------------------
    @rule(case=cases, data=st.data())
    def contract_open(self, case, data):
        case = self.aim(data, case, {S.ACCEPTED})
        self.attempt(
            "contract_open",
            lambda: services.contract_open(case_id=case, by=self.nav),
            case_id=case,
        )

    @rule(case=cases, data=st.data(), approach=st.sampled_from(RestorativeApproach.values))
    def victim_condition(self, case, data, approach):
        case = self.aim(data, case, {S.ACCEPTED})
        self.attempt(
            "victim_condition",
            lambda: services.victim_condition_set(case_id=case, by=self.nav, approach=approach),
            case_id=case,
        )

    @rule(case=cases, data=st.data(), sessions=st.integers(0, 12))
    def referral(self, case, data, sessions):
        case = self.aim(data, case, {S.ACCEPTED})
        self.attempt(
            "referral",
            lambda: services.referral_add(
                case_id=case,
                by=self.nav,
                provider_id=self.provider.pk,
                pathway_id=self.pathway_id,
                what="Drug awareness",
                frequency="Weekly",
                required_sessions=sessions,
            ),
            case_id=case,
        )

    @rule(
        case=cases,
        data=st.data(),
        hours=st.integers(10, 40),
        gps_days=st.one_of(st.none(), st.integers(-5, 130)),
    )
    def community(self, case, data, hours, gps_days):
        """Unpaid work hours (some outside the 18-36 range) or a GPS tag period."""
        case = self.aim(data, case, {S.ACCEPTED})
        if gps_days is None:
            kwargs = {"kind": CommunityKind.HOURS, "hours_required": hours}
        else:
            kwargs = {
                "kind": CommunityKind.GPS_TAG,
                "gps_starts_on": self.today,
                "gps_ends_on": self.today + timedelta(gps_days),
            }
        self.attempt(
            "community",
            lambda: services.community_set(case_id=case, by=self.nav, **kwargs),
            case_id=case,
        )

    @rule(case=cases, data=st.data(), days_ago=st.integers(-1, 3))
    def consent(self, case, data, days_ago):
        case = self.aim(data, case, {S.ACCEPTED})
        self.attempt(
            "consent",
            lambda: services.consent_record(
                case_id=case,
                by=self.nav,
                method=ConsentMethod.IN_PERSON,
                given_on=self.today - timedelta(days_ago),
            ),
            case_id=case,
        )

    @rule(case=cases, data=st.data(), hours=st.integers(18, 36))
    def build_whole_contract(self, case, data, hours):
        """Every condition and consent in one go (the journey builder, through the services)."""
        case = self.aim(data, case, {S.ACCEPTED})
        self.attempt(
            "build_contract",
            lambda: factories.build_contract(
                Case(pk=case), navigator=self.nav, provider=self.provider, hours=hours, now=self.now
            ),
            case_id=case,
        )

    @rule(case=cases, data=st.data(), days_ahead=st.sampled_from([0, 0, 0, 1, 7, 20]))
    def sign(self, case, data, days_ahead):
        case = self.aim(data, case, {S.ACCEPTED})
        self.attempt(
            "sign",
            lambda: services.contract_sign(
                case_id=case, by=self.nav, starts_on=self.today + timedelta(days_ahead)
            ),
            case_id=case,
            transition="sign_contract",
        )

    # --- supervision -------------------------------------------------------------------------
    @rule(
        target=appointments,
        case=cases,
        data=st.data(),
        hours_ahead=st.sampled_from([-1, 1, 3, 24, 50, 72, 24 * 7]),
        kind=st.sampled_from(["navigator", "community", "service"]),
    )
    def book_appointment(self, case, data, hours_ahead, kind):
        case = self.aim(data, case, {S.ACCEPTED, S.ACTIVE, S.BREACH_REVIEW})
        appointment = self.attempt(
            "book_appointment",
            lambda: services.appointment_schedule(
                confirm=True,
                case_id=case,
                by=self.nav,
                kind=kind,
                starts_at=self.now + timedelta(hours=hours_ahead),
                location="Navigator hub",
            ),
            case_id=case,
        )
        return multiple() if appointment is None else appointment.pk

    @rule(
        appointment=appointments,
        outcome=st.sampled_from(
            ["attended", "attended", "acceptable_absence", "unacceptable_absence", "rescheduled"]
        ),
        hours_ahead=st.integers(-2, 100),
    )
    def record_appointment_outcome(self, appointment, outcome, hours_ahead):
        self.attempt(
            "appointment_outcome",
            lambda: services.appointment_record_outcome(
                appointment_id=appointment,
                by=self.nav,
                outcome=outcome,
                rescheduled_to=self.now + timedelta(hours=hours_ahead),
            ),
            case_id=Appointment.objects.get(pk=appointment).case_id,
        )

    @rule(case=cases, data=st.data(), sms=st.booleans(), email=st.booleans())
    def reminders(self, case, data, sms, email):
        """The participant opts in to (or out of) reminders by SMS and email."""
        case = self.aim(data, case, {S.ACCEPTED, S.ACTIVE, S.BREACH_REVIEW})
        self.attempt(
            "reminders",
            lambda: services.reminders_set(case_id=case, by=self.nav, sms=sms, email=email),
            case_id=case,
        )

    @rule(
        target=hours_entries,
        case=cases,
        data=st.data(),
        hours=st.sampled_from(["0", "2.5", "6", "8", "12", "13"]),
        days_ago=st.integers(-1, 20),
        verified=st.booleans(),
    )
    def log_hours(self, case, data, hours, days_ago, verified):
        case = self.aim(data, case, {S.ACTIVE, S.BREACH_REVIEW, S.COMPLETION_REVIEW})
        entry = self.attempt(
            "log_hours",
            lambda: services.hours_log(
                case_id=case,
                by=self.nav,
                worked_on=self.today - timedelta(days_ago),
                hours=Decimal(hours),
                activity="Gardening",
                verified=verified,
            ),
            case_id=case,
        )
        return multiple() if entry is None else entry.pk

    @rule(entry=hours_entries)
    def verify_hours(self, entry):
        case_id = HoursLogEntry.objects.filter(pk=entry).values_list(
            "community_condition__contract__case_id", flat=True
        )[0]
        self.attempt(
            "verify_hours",
            lambda: services.hours_verify(entry_id=entry, by=self.nav, verifier_name="Site lead"),
            case_id=case_id,
        )

    @rule(case=cases, data=st.data(), days_ago=st.integers(-1, 30))
    def new_offence(self, case, data, days_ago):
        case = self.aim(data, case, {S.ACTIVE, S.BREACH_REVIEW})
        self.attempt(
            "new_offence",
            lambda: services.new_offence_report(
                case_id=case,
                by=self.nav,
                occurred_on=self.today - timedelta(days_ago),
                description="Arrested for shoplifting",
            ),
            case_id=case,
        )

    @rule(case=cases, data=st.data(), kind=st.sampled_from(["other", "unacceptable_absence"]))
    def compliance_event(self, case, data, kind):
        case = self.aim(data, case, {S.ACTIVE, S.BREACH_REVIEW})
        self.attempt(
            "compliance_event",
            lambda: services.compliance_event_raise(
                case_id=case, by=self.nav, kind=kind, occurred_on=self.today, detail="Late again"
            ),
            case_id=case,
        )

    @rule(case=cases, data=st.data())
    def warning(self, case, data):
        case = self.aim(data, case, {S.ACTIVE, S.BREACH_REVIEW})
        events = list(
            ComplianceEvent.objects.filter(case_id=case, resolved_at__isnull=True).values_list(
                "pk", flat=True
            )[:2]
        )
        self.attempt(
            "warning",
            lambda: services.warning_issue(
                case_id=case, by=self.nav, reason="Formal warning", event_ids=events
            ),
            case_id=case,
        )

    @rule(case=cases, data=st.data())
    def evidence_conditions(self, case, data):
        """The restorative outcome and every referral recorded as completed; a GPS tag as
        worn (each through its service)."""
        self.evidence(self.aim(data, case, {S.ACTIVE, S.BREACH_REVIEW, S.COMPLETION_REVIEW}))

    def evidence(self, case: int) -> None:
        self.attempt(
            "restorative_outcome",
            lambda: services.restorative_outcome_record(
                case_id=case, by=self.nav, outcome="completed"
            ),
            case_id=case,
        )
        for referral in PathwayReferral.objects.filter(contract__case_id=case):
            self.attempt(
                "referral_completed",
                lambda referral=referral: services.referral_status_set(
                    referral_id=referral.pk, by=self.nav, status="completed", reason=CONFIRMED
                ),
                case_id=case,
            )
        community = CommunityCondition.objects.filter(contract__case_id=case).first()
        if community is not None and community.kind == CommunityKind.GPS_TAG:
            self.attempt(
                "gps_complete",
                lambda: services.gps_tag_complete(
                    case_id=case, by=self.nav, completed_on=self.today
                ),
                case_id=case,
            )

    # --- decisions ---------------------------------------------------------------------------
    @rule(case=cases, data=st.data())
    def refer_breach(self, case, data):
        case = self.aim(data, case, {S.ACTIVE})
        self.attempt(
            "refer_breach",
            lambda: services.breach_refer(
                case_id=case, by=self.nav, recommendation="Missed sessions"
            ),
            case_id=case,
            transition="refer_breach",
        )

    @rule(
        case=cases,
        data=st.data(),
        decision=st.sampled_from(["continue", "vary", "vary", "terminate"]),
        extra_hours=st.integers(-2, 20),
        extend_days=st.sampled_from([None, None, 14]),
    )
    def decide_breach(self, case, data, decision, extra_hours, extend_days):
        case = self.aim(data, case, {S.BREACH_REVIEW})
        transition = {"continue": "continue_contract", "vary": "vary_contract"}.get(
            decision, "terminate"
        )
        self.attempt(
            "decide_breach",
            lambda: services.breach_decide(
                case_id=case,
                by=self.sup,
                decision=decision,
                reasons="Considered the navigator's recommendation",
                extra_hours=extra_hours if decision == "vary" else None,
                extend_days=extend_days if decision == "vary" else None,
            ),
            case_id=case,
            transition=transition,
        )

    @rule(case=cases, data=st.data())
    def withdraw(self, case, data):
        case = self.aim(data, case, {S.ACCEPTED, S.ACTIVE}, often=False)
        self.attempt(
            "withdraw",
            lambda: services.case_withdraw(case_id=case, by=self.nav, reason="Moved away"),
            case_id=case,
            transition="withdraw",
        )

    @rule(case=cases, data=st.data())
    def begin_completion_review(self, case, data):
        """A navigator starts the review by hand (normally the sweep does)."""
        case = self.aim(data, case, {S.ACTIVE})
        self.attempt(
            "begin_review",
            lambda: services.completion_review_begin(case_id=case, by=self.nav),
            case_id=case,
            transition="begin_completion_review",
        )

    @rule(case=cases, data=st.data(), by=st.sampled_from(["sup", "sup", "sup", "nav"]))
    def sign_off(self, case, data, by):
        case = self.aim(data, case, {S.COMPLETION_REVIEW})
        self.attempt(
            "sign_off",
            lambda: services.completion_sign_off(
                case_id=case, by=getattr(self, by), reason="Every condition met"
            ),
            case_id=case,
            transition="sign_off",
        )

    @rule(case=cases, data=st.data())
    def terminate_at_review(self, case, data):
        case = self.aim(data, case, {S.COMPLETION_REVIEW}, often=False)
        self.attempt(
            "terminate_at_review",
            lambda: services.completion_terminate(case_id=case, by=self.sup, reasons="Not met"),
            case_id=case,
            transition="terminate",
        )

    @rule(case=cases, data=st.data())
    def refer_for_prosecution(self, case, data):
        case = self.aim(data, case, {S.DECLINED, S.WITHDRAWN, S.TERMINATED})
        self.attempt(
            "prosecution_refer",
            lambda: services.prosecution_refer(case_id=case, by=self.sup, reason="File to CPS"),
            case_id=case,
            transition="refer_for_prosecution",
        )

    # --- time and the scheduled work ----------------------------------------------------------
    def advance(self, step: timedelta) -> None:
        self.clock.shift(step)
        assert self.now > self.last_now, "the clock moved backwards"
        self.last_now = self.now
        note(f"--- time passes by {step}: now {self.now:%a %d %b %Y %H:%M}")

    @rule(step=TIME_STEPS)
    def time_passes(self, step):
        """Time passes with no scheduled work (the workers are down, or between runs)."""
        self.advance(step)

    @rule(step=TIME_STEPS)
    def time_passes_and_jobs_run(self, step):
        """Time passes, then beat fires the jobs in turn, as in production."""
        self.advance(step)
        self.run_jobs()

    @rule(days=st.integers(2, 10))
    def days_pass_with_daily_jobs(self, days):
        """Day after day, the jobs run early each morning (the invariants checked each day)."""
        for _day in range(days):
            self.advance(timedelta(days=1))
            self.run_jobs()
            self.check_invariants_now()

    @rule(weeks=st.integers(1, 8))
    def weeks_pass_then_jobs_run(self, weeks):
        """The workers were down for weeks; then the jobs run once."""
        self.advance(timedelta(weeks=weeks))
        self.run_jobs()

    def run_jobs(self) -> None:
        self.run_sweep()
        self.run_deadline_watch()
        self.run_digest()
        self.deliver_outbox()

    @rule()
    def run_sweep(self):
        """The daily compliance sweep (checkpoint.tasks.compliance_sweep_task)."""
        before = history_snapshot()
        result = checkpoint_tasks.compliance_sweep_task()
        assert result is not None, "another sweep was left running"
        after = history_snapshot()
        for pk, (old_state, old_rows) in before.items():
            new_state, new_rows = after[pk]
            if new_state == old_state:
                assert new_rows == old_rows, f"the sweep wrote history for case {pk}"
                continue
            assert (old_state, new_state, new_rows) == (
                S.ACTIVE,
                S.COMPLETION_REVIEW,
                old_rows + 1,
            )
            last = CaseTransition.objects.filter(case_id=pk).order_by("at", "pk").last()
            assert last.transition == "begin_completion_review" and last.by is None
            event("sweep moved a case to completion review")
        # The sweep's promise: no case is still active past its contract's end date.
        overdue = Case.objects.filter(state=S.ACTIVE, contract__ends_on__lte=self.today)
        assert not overdue.exists(), "an active contract past its end date after the sweep"

    @rule()
    def run_deadline_watch(self):
        """The prosecution-deadline watch (checkpoint.tasks.deadline_watch_task)."""
        today = self.today
        for pk, deadline in Case.objects.filter(
            state__in=list(UNRESOLVED_STATES), prosecution_deadline__isnull=False
        ).values_list("pk", "prosecution_deadline"):
            days_left = dates.days_until(deadline, today)
            for threshold in django_settings.DEADLINE_ALERT_DAYS:
                if days_left <= threshold:
                    self.promised_alerts.add((pk, threshold))
        before = history_snapshot()
        assert checkpoint_tasks.deadline_watch_task() is not None
        assert history_snapshot() == before, "the deadline watch changed a case"

    @rule()
    def run_digest(self):
        before = history_snapshot()
        assert checkpoint_tasks.staff_digest_task() is not None
        assert history_snapshot() == before, "the digest changed a case"

    @rule()
    def deliver_outbox(self):
        """The outbox worker (notifications.tasks.deliver_outbox_task)."""
        notification_tasks.deliver_outbox_task()
        notification_tasks.reconcile_outbox_task()
        due = Message.objects.filter(status=Status.PENDING, next_attempt_at__lte=self.now)
        assert not due.exists(), "a due message was left pending after delivery"

    @precondition(lambda self: not FakeNotifyGateway._failures)
    @rule(times=st.integers(1, 3), permanent=st.booleans())
    def notify_fails(self, times, permanent):
        """GOV.UK Notify has an outage (or refuses): the next sends fail."""
        FakeNotifyGateway.fail_next(times, permanent=permanent)

    # --- invariants, over every case in the database -------------------------------------------
    def check_invariants_now(self) -> None:
        """All the invariants, for rules that take several steps in one (daily jobs)."""
        self.states_and_history()
        self.community_hours_within_range()
        self.signed_contracts_have_the_mandatory_conditions()
        self.no_message_sent_twice()
        self.deadline_watch_keeps_its_promise()

    @invariant()
    def states_and_history(self):
        """One valid state per case, closed exactly when terminal, and a history that chains
        from 'assessment' to that state through transitions the state machine allows."""
        rows = defaultdict(list)
        for row in CaseTransition.objects.order_by("case_id", "at", "pk").values_list(
            "case_id", "transition", "from_state", "to_state", "by_id", "at"
        ):
            rows[row[0]].append(row[1:])
        now = self.now
        for pk, state, closed_at in Case.objects.values_list("pk", "state", "closed_at"):
            assert state in CaseState.values, f"case {pk} in unknown state {state!r}"
            assert (closed_at is not None) == (state in TERMINAL_STATES), (pk, state, closed_at)
            current, previous_at = S.ASSESSMENT, None
            for name, from_state, to_state, by_id, at in rows.get(pk, []):
                assert from_state == current, f"case {pk}: {name} from {from_state}, not {current}"
                assert (name, from_state, to_state) in ALLOWED, (pk, name, from_state, to_state)
                assert by_id is not None or name == "begin_completion_review", (pk, name)
                assert previous_at is None or previous_at <= at <= now
                current, previous_at = to_state, at
            assert current == state, f"case {pk} is '{state}' but its history ends at '{current}'"

    @invariant()
    def community_hours_within_range(self):
        """Required hours within the scheme's range; each session 0-12 hours, dated within the
        contract up to the day it was logged; verified hours say who verified them."""
        for hours, low, high in CommunityCondition.objects.filter(
            kind=CommunityKind.HOURS
        ).values_list(
            "hours_required",
            "contract__case__scheme_version__hours_min",
            "contract__case__scheme_version__hours_max",
        ):
            assert low <= hours <= high, f"{hours} community hours outside {low}-{high}"
        for (
            hours,
            worked_on,
            created_at,
            starts_on,
            verified_at,
            verified_by,
        ) in HoursLogEntry.objects.values_list(
            "hours",
            "worked_on",
            "created_at",
            "community_condition__contract__starts_on",
            "verified_at",
            "verified_by",
        ):
            assert Decimal(0) < hours <= 12, hours
            assert starts_on <= worked_on <= dates.local_date(created_at)
            assert verified_at is None or verified_by is not None

    @invariant()
    def signed_contracts_have_the_mandatory_conditions(self):
        """A signed contract (every active case and later stage) has the Offending and Victim
        conditions and, as the Durham profile requires, a Community condition; an end date
        moved by a breach variation keeps the margin before the s.127 deadline."""
        margin = timedelta(days=django_settings.EXTENSION_DEADLINE_MARGIN_DAYS)
        for (
            pk,
            state,
            signed_at,
            starts_on,
            ends_on,
            months,
            deadline,
            *conditions,
        ) in Case.objects.filter(
            state__in=list(SIGNED_STATES | {S.TERMINATED, S.WITHDRAWN})
        ).values_list(
            "pk",
            "state",
            "contract__signed_at",
            "contract__starts_on",
            "contract__ends_on",
            "scheme_version__contract_months",
            "prosecution_deadline",
            "contract__offending_condition",
            "contract__victim_condition",
            "contract__community_condition",
        ):
            if signed_at is None:
                assert state == S.WITHDRAWN, f"case {pk} is '{state}' with no signed contract"
                continue
            assert all(conditions), f"case {pk}'s signed contract lacks a condition"
            if ends_on != dates.contract_end(starts_on, months) and deadline is not None:
                assert ends_on <= deadline - margin, f"case {pk} extended too close to s.127"

    @invariant()
    def no_message_sent_twice(self):
        """One outbox row per key, each delivered at most once, exactly the sent ones, and
        nothing left half-sent."""
        rows = list(Message.objects.values_list("pk", "dedupe_key", "status"))
        keys = Counter(key for _pk, key, _status in rows)
        assert not [k for k, n in keys.items() if n > 1], "an outbox key used twice"
        deliveries = Counter(FakeDelivery.objects.values_list("reference", flat=True))
        twice = [reference for reference, n in deliveries.items() if n > 1]
        assert not twice, f"delivered more than once: {twice}"
        sent = {f"checkpoint-message-{pk}" for pk, _key, status in rows if status == Status.SENT}
        assert set(deliveries) == sent, "deliveries and sent messages differ"
        assert Status.SENDING not in {status for _pk, _key, status in rows}, "left half-sent"

    @invariant()
    def deadline_watch_keeps_its_promise(self):
        """Every alert the watch promised exists; each was raised within its threshold with the
        case's deadline, and the team's supervisor was emailed."""
        alerts = {
            (case_id, threshold): (days_left, deadline, case_deadline)
            for case_id, threshold, days_left, deadline, case_deadline in (
                DeadlineAlert.objects.values_list(
                    "case_id",
                    "threshold_days",
                    "days_left",
                    "deadline",
                    "case__prosecution_deadline",
                )
            )
        }
        missing = self.promised_alerts - set(alerts)
        assert not missing, f"deadline alerts the watch did not raise: {sorted(missing)}"
        if alerts:
            emailed = set(
                Message.objects.filter(template="deadline_alert", user=self.sup).values_list(
                    "case_id", flat=True
                )
            )
        for (case_id, threshold), (days_left, deadline, case_deadline) in alerts.items():
            assert days_left <= threshold and deadline == case_deadline, (case_id, threshold)
            assert case_id in emailed, f"no deadline email to the supervisor for case {case_id}"
        self.no_unresolved_case_past_its_deadline_without_an_alert(alerts)

    def no_unresolved_case_past_its_deadline_without_an_alert(self, alerts) -> None:
        """The same promise read from the watch's own run records, for the cases that matter
        most: an unresolved case past its deadline, opened before the latest watch run, which
        ran on or after the day the tightest threshold was crossed, has that alert."""
        overdue = list(
            Case.objects.filter(
                state__in=list(UNRESOLVED_STATES), prosecution_deadline__lt=self.today
            ).values_list("pk", "prosecution_deadline", "created_at")
        )
        last_run = (
            SweepRun.objects.filter(kind=SweepKind.DEADLINES, status=SweepStatus.SUCCEEDED)
            .order_by("-started_at")
            .first()
            if overdue
            else None
        )
        if last_run is None:
            return
        tightest = min(django_settings.DEADLINE_ALERT_DAYS)
        for pk, deadline, created_at in overdue:
            crossed = dates.days_until(deadline, last_run.for_date) <= tightest
            if crossed and created_at <= last_run.started_at:
                assert (pk, tightest) in alerts, f"case {pk} past its deadline with no alert"


def test_random_caseloads_and_scheduled_runs_keep_the_invariants(dm, navigator, supervisor, team):
    provider = factories.ServiceProviderFactory(pathways=["drugs"])
    # The supervisor is emailed about deadlines (the fixture's user has an address).
    assert get_user_model().objects.get(pk=supervisor.pk).email
    run_state_machine_as_test(
        lambda: CaseLifecycleMachine(
            dm=dm, navigator=navigator, supervisor=supervisor, team=team, provider=provider
        ),
        settings=settings(
            **BUDGET,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
