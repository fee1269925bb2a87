"""Property: any sequence of service calls keeps the case state machine's invariants.

A Hypothesis rule-based machine drives one case through random service calls (each with valid
arguments and the right role) while time passes. The test keeps its own model of the case,
written from DESIGN.md 1.3 and the ``Case`` docstring rather than from the code:

- a call from a state the table does not allow must raise a ``CaseError`` and change nothing;
- an unguarded transition from an allowed state must succeed, and a guarded one must succeed
  exactly when the model says its guard holds (contract complete, end date reached, every
  condition met, hours within range);
- after every step: the state is a ``CaseState`` and matches the model, there is one history
  row per successful transition and the rows chain from 'assessment' to the current state, a
  running contract has its mandatory conditions and 18-36 community hours, and only terminal
  states are closed (with an outcome where the scheme records one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, event, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from checkpoint import services
from checkpoint.actors import SYSTEM, staff_user
from checkpoint.models import (
    BreachReview,
    Case,
    CaseState,
    CaseTransition,
    CommunityCondition,
    CommunityKind,
    ConsentMethod,
    Contract,
    EligibilityAssessment,
    HoursLogEntry,
    NewOffenceReport,
    OffendingCondition,
    Outcome,
    Pathway,
    PathwayReferral,
    VictimCondition,
)
from checkpoint.services import CaseError, CaseNotFound, InvalidInput, TransitionBlocked
from tests import factories

S = CaseState
pytestmark = pytest.mark.django_db

HOURS_MIN, HOURS_MAX, CONTRACT_MONTHS = 18, 36, 4  # Durham Checkpoint v1
TERMINAL = {S.INELIGIBLE, S.EXITED_NO_CONVICTION, S.PROSECUTION_REFERRED}
WITH_OUTCOME = {S.EXITED_NO_CONVICTION, S.PROSECUTION_REFERRED}
RUNNING = {S.ACTIVE, S.BREACH_REVIEW, S.COMPLETION_REVIEW}
CONTRACT_PARTS = {"open", "victim", "referral", "community", "consent"}

# transition -> (states it may be taken from, state it leads to)
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "decide_eligible": ({S.ASSESSMENT}, S.ELIGIBLE),
    "decide_ineligible": ({S.ASSESSMENT}, S.INELIGIBLE),
    "make_offer": ({S.ELIGIBLE}, S.OFFERED),
    "accept_offer": ({S.OFFERED}, S.ACCEPTED),
    "decline_offer": ({S.OFFERED}, S.DECLINED),
    "sign_contract": ({S.ACCEPTED}, S.ACTIVE),
    "withdraw": ({S.ACCEPTED, S.ACTIVE}, S.WITHDRAWN),
    "refer_breach": ({S.ACTIVE}, S.BREACH_REVIEW),
    "continue_contract": ({S.BREACH_REVIEW}, S.ACTIVE),
    "vary_contract": ({S.BREACH_REVIEW}, S.ACTIVE),
    "terminate_breach": ({S.BREACH_REVIEW}, S.TERMINATED),
    "begin_completion_review": ({S.ACTIVE}, S.COMPLETION_REVIEW),
    "sign_off": ({S.COMPLETION_REVIEW}, S.EXITED_NO_CONVICTION),
    "terminate_at_review": ({S.COMPLETION_REVIEW}, S.TERMINATED),
    "refer_for_prosecution": ({S.DECLINED, S.WITHDRAWN, S.TERMINATED}, S.PROSECUTION_REFERRED),
}
# The two terminations are one model transition ('terminate') reached by two services.
HISTORY_NAME = {"terminate_breach": "terminate", "terminate_at_review": "terminate"}
# Writes that do not change the state, and the states they are allowed in.
DATA_WRITES: dict[str, set[str]] = {
    "assess": {S.ASSESSMENT},
    "contract": {S.ACCEPTED},
    "running_contract": RUNNING,
}


@dataclass
class Action:
    """One service call: what it is, who makes it, and what the model expects of it."""

    kind: str  # a TRANSITIONS key, or a DATA_WRITES key
    by: str  # "dm", "nav", "sup" or "system"
    call: Callable[[], object]
    must_succeed: bool  # when taken from an allowed state
    on_success: Callable[[object], None] = lambda result: None


@dataclass
class Facts:
    """What the test knows about the case, tracked independently of the code under test."""

    assessed_eligible: bool | None = None
    parts: set[str] = field(default_factory=set)
    hours_required: int | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    hours_verified: Decimal = Decimal(0)
    evidence_recorded: bool = False
    new_offence: bool = False


def snapshot(case_id: int) -> dict:
    """Everything a refused call could have touched."""
    case = Case.objects.get(pk=case_id)
    contract = Contract.objects.filter(case_id=case_id).first()
    on_contract = {"contract__case_id": case_id}
    return {
        "case": (case.state, case.closed_at, case.navigator_id),
        "transitions": list(
            CaseTransition.objects.filter(case_id=case_id).values_list("pk", flat=True)
        ),
        "assessments": EligibilityAssessment.objects.filter(case_id=case_id).count(),
        "contract": contract
        and (contract.starts_on, contract.ends_on, contract.signed_at, contract.consent_given_on),
        "victim": list(
            VictimCondition.objects.filter(**on_contract).values_list(
                "approach", "due_on", "outcome"
            )
        ),
        "community": list(
            CommunityCondition.objects.filter(**on_contract).values_list("kind", "hours_required")
        ),
        "referrals": list(
            PathwayReferral.objects.filter(**on_contract).values_list("pk", "status")
        ),
        "hours": HoursLogEntry.objects.filter(
            community_condition__contract__case_id=case_id
        ).count(),
        "breach_reviews": list(
            BreachReview.objects.filter(case_id=case_id).values_list("pk", "decision")
        ),
        "outcomes": Outcome.objects.filter(case_id=case_id).count(),
        "new_offences": NewOffenceReport.objects.filter(case_id=case_id).count(),
    }


class CaseMachine(RuleBasedStateMachine):
    def __init__(self, *, dm, navigator, supervisor, team, provider):
        super().__init__()
        self.people = {"dm": dm, "nav": navigator, "sup": supervisor, "system": SYSTEM}
        self.provider = provider
        self.now = factories.NOW
        self.pk = factories.open_case(dm=dm, team=team, now=self.now).pk
        self.state = S.ASSESSMENT
        self.successes = 0
        self.facts = Facts()

    @property
    def today(self):
        return self.now.date()

    # --- the actions ------------------------------------------------------------------------
    def action(self, name: str, data) -> Action:
        return getattr(self, f"_{name}")(data)

    def _assess(self, data):
        # Mostly admitted, so that most walks get past the eligibility decision.
        admission = data.draw(st.sampled_from(["admitted", "admitted", "denied"]))
        facts = {**factories.GOOD_FACTS, "admission": admission}

        def remember(assessment):
            self.facts.assessed_eligible = assessment.is_eligible

        return Action(
            "assess",
            "dm",
            lambda: services.assessment_record(
                case_id=self.pk, by=self.people["dm"], now=self.now, **facts
            ),
            True,
            remember,
        )

    def _decide(self, data):
        eligible = data.draw(st.sampled_from([True, True, False]), label="eligible")
        assessed = self.facts.assessed_eligible
        ok = assessed is not None and (assessed or not eligible)
        return Action(
            "decide_eligible" if eligible else "decide_ineligible",
            "dm",
            lambda: services.assessment_decide(
                case_id=self.pk,
                by=self.people["dm"],
                eligible=eligible,
                reason="Decision maker's judgement",
                now=self.now,
            ),
            ok,
        )

    def _offer(self, data):
        return Action(
            "make_offer",
            "dm",
            lambda: services.case_offer(case_id=self.pk, by=self.people["dm"], now=self.now),
            True,
        )

    def _accept(self, data):
        return Action(
            "accept_offer",
            "dm",
            lambda: services.offer_accept(
                case_id=self.pk, by=self.people["dm"], navigator=self.people["nav"], now=self.now
            ),
            True,
        )

    def _decline(self, data):
        return Action(
            "decline_offer",
            "dm",
            lambda: services.offer_decline(
                case_id=self.pk, by=self.people["dm"], reason="Wants a trial", now=self.now
            ),
            True,
        )

    def _contract_open(self, data):
        return Action(
            "contract",
            "nav",
            lambda: services.contract_open(case_id=self.pk, by=self.people["nav"]),
            True,
            self._part("open"),
        )

    def _victim(self, data):
        approach = data.draw(st.sampled_from(["letter", "face_to_face", "victim_declined"]))
        return Action(
            "contract",
            "nav",
            lambda: services.victim_condition_set(
                case_id=self.pk, by=self.people["nav"], approach=approach
            ),
            "open" in self.facts.parts,
            self._part("victim"),
        )

    def _referral(self, data):
        return Action(
            "contract",
            "nav",
            lambda: services.referral_add(
                case_id=self.pk,
                by=self.people["nav"],
                provider_id=self.provider.pk,
                pathway_id=Pathway.objects.get(code="drugs").pk,
                what="Drug awareness",
                frequency="Weekly",
                required_sessions=4,
            ),
            "open" in self.facts.parts,
            self._part("referral"),
        )

    def _community(self, data):
        hours = data.draw(st.integers(min_value=10, max_value=40), label="hours")

        def remember(result):
            self.facts.parts.add("community")
            self.facts.hours_required = hours

        return Action(
            "contract",
            "nav",
            lambda: services.community_set(
                case_id=self.pk,
                by=self.people["nav"],
                kind=CommunityKind.HOURS,
                hours_required=hours,
            ),
            "open" in self.facts.parts and HOURS_MIN <= hours <= HOURS_MAX,
            remember,
        )

    def _consent(self, data):
        return Action(
            "contract",
            "nav",
            lambda: services.consent_record(
                case_id=self.pk,
                by=self.people["nav"],
                method=ConsentMethod.IN_PERSON,
                given_on=self.today,
                now=self.now,
            ),
            "open" in self.facts.parts,
            self._part("consent"),
        )

    def _whole_contract(self, data):
        def remember(result):
            self.facts.parts |= CONTRACT_PARTS
            self.facts.hours_required = 24

        return Action(
            "contract",
            "nav",
            lambda: factories.build_contract(
                Case(pk=self.pk),
                navigator=self.people["nav"],
                provider=self.provider,
                hours=24,
                now=self.now,
            ),
            True,
            remember,
        )

    def _sign(self, data):
        def remember(result):
            self.facts.starts_on = self.today
            self.facts.ends_on = self.today + relativedelta(months=CONTRACT_MONTHS)

        return Action(
            "sign_contract",
            "nav",
            lambda: services.contract_sign(
                case_id=self.pk, by=self.people["nav"], starts_on=self.today, now=self.now
            ),
            self.facts.parts >= CONTRACT_PARTS,
            remember,
        )

    def _withdraw(self, data):
        return Action(
            "withdraw",
            "nav",
            lambda: services.case_withdraw(
                case_id=self.pk, by=self.people["nav"], reason="Moved away", now=self.now
            ),
            True,
        )

    def _refer_breach(self, data):
        return Action(
            "refer_breach",
            "nav",
            lambda: services.breach_refer(
                case_id=self.pk,
                by=self.people["nav"],
                recommendation="Missed sessions",
                now=self.now,
            ),
            True,
        )

    def _decide_breach(self, data):
        decision = data.draw(st.sampled_from(["continue", "vary", "terminate"]))
        extra = data.draw(st.integers(min_value=0, max_value=15), label="extra_hours")
        kind = {
            "continue": "continue_contract",
            "vary": "vary_contract",
            "terminate": "terminate_breach",
        }[decision]
        hours = self.facts.hours_required or 0
        ok = decision != "vary" or extra == 0 or hours + extra <= HOURS_MAX

        def remember(result):
            if decision == "vary" and extra:
                self.facts.hours_required = hours + extra

        return Action(
            kind,
            "sup",
            lambda: services.breach_decide(
                case_id=self.pk,
                by=self.people["sup"],
                decision=decision,
                reasons="Considered",
                extra_hours=extra if decision == "vary" else None,
                now=self.now,
            ),
            ok,
            remember,
        )

    def _begin_review(self, data):
        reached = self.facts.ends_on is not None and self.today >= self.facts.ends_on
        return Action(
            "begin_completion_review",
            "system",
            lambda: services.completion_review_begin(case_id=self.pk, by=SYSTEM, now=self.now),
            reached,
        )

    def conditions_met(self) -> bool:
        facts = self.facts
        return (
            facts.evidence_recorded
            and not facts.new_offence
            and facts.hours_verified >= (facts.hours_required or 0)
        )

    def _sign_off(self, data):
        return Action(
            "sign_off",
            "sup",
            lambda: services.completion_sign_off(
                case_id=self.pk, by=self.people["sup"], reason="All met", now=self.now
            ),
            self.conditions_met(),
        )

    def _terminate_review(self, data):
        return Action(
            "terminate_at_review",
            "sup",
            lambda: services.completion_terminate(
                case_id=self.pk, by=self.people["sup"], reasons="Not met", now=self.now
            ),
            True,
        )

    def _refer_prosecution(self, data):
        return Action(
            "refer_for_prosecution",
            "sup",
            lambda: services.prosecution_refer(
                case_id=self.pk, by=self.people["sup"], reason="File to the CPS", now=self.now
            ),
            True,
        )

    def _log_hours(self, data):
        hours = Decimal(data.draw(st.integers(min_value=6, max_value=12), label="hours"))

        def remember(result):
            self.facts.hours_verified += hours

        return Action(
            "running_contract",
            "nav",
            lambda: services.hours_log(
                case_id=self.pk,
                by=self.people["nav"],
                worked_on=min(self.today, self.facts.ends_on or self.today),
                hours=hours,
                activity="Gardening",
                verified=True,
                now=self.now,
            ),
            True,
            remember,
        )

    def _new_offence(self, data):
        def remember(result):
            self.facts.new_offence = True

        return Action(
            "running_contract",
            "nav",
            lambda: services.new_offence_report(
                case_id=self.pk,
                by=self.people["nav"],
                occurred_on=self.today,
                description="Arrested for shoplifting",
                now=self.now,
            ),
            True,
            remember,
        )

    def _part(self, name: str):
        return lambda result: self.facts.parts.add(name)

    # --- taking an action and checking it against the model -----------------------------------
    def allowed_from(self, kind: str) -> set[str]:
        return TRANSITIONS[kind][0] if kind in TRANSITIONS else DATA_WRITES[kind]

    def take(self, name: str, data) -> None:
        action = self.action(name, data)
        allowed = self.state in self.allowed_from(action.kind)
        before = snapshot(self.pk)
        note(f"{self.now:%d %b %Y} {self.state}: {name} ({action.kind}) by {action.by}")
        try:
            result = action.call()
        except CaseError as err:
            note(f"  refused: {type(err).__name__} {err.message} {err.problems}")
            assert snapshot(self.pk) == before, f"{name} was refused but changed the case"
            self.check_refusal(name, action, allowed, err)
            return
        assert allowed, f"{name} ({action.kind}) succeeded from '{self.state}'"
        assert action.must_succeed, f"{name} succeeded though its guard does not hold"
        if action.kind in TRANSITIONS:
            self.state = TRANSITIONS[action.kind][1]
            self.successes += 1
            last = CaseTransition.objects.filter(case_id=self.pk).order_by("at", "pk").last()
            assert last.transition == HISTORY_NAME.get(action.kind, action.kind)
            assert last.by == staff_user(self.people[action.by])
            assert last.at == self.now
            event(f"reached {self.state}")
        action.on_success(result)

    def check_refusal(self, name: str, action: Action, allowed: bool, err: CaseError) -> None:
        if not allowed:
            expected = (TransitionBlocked,)
            if action.by == "nav" and Case.objects.get(pk=self.pk).navigator_id is None:
                expected = (CaseNotFound,)  # not yet (or never) allocated: out of reach
            assert isinstance(err, expected), f"{name} from '{self.state}': {err!r}"
            return
        assert not action.must_succeed, f"{name} from '{self.state}' refused: {err.message}"
        assert isinstance(err, TransitionBlocked | InvalidInput), repr(err)

    # --- rules --------------------------------------------------------------------------------
    @initialize(start=st.sampled_from(["assessment", "accepted", "active", "ending"]))
    def start_from(self, start):
        """Begin some walks further on (through the same services) to reach the later states.

        'ending' is an active case on its end date with every condition evidenced.
        """
        if start == "assessment":
            return
        dm, nav = self.people["dm"], self.people["nav"]
        services.assessment_record(case_id=self.pk, by=dm, now=self.now, **factories.GOOD_FACTS)
        services.assessment_decide(case_id=self.pk, by=dm, eligible=True, now=self.now)
        services.case_offer(case_id=self.pk, by=dm, now=self.now)
        services.offer_accept(case_id=self.pk, by=dm, navigator=nav, now=self.now)
        self.state, self.successes = S.ACCEPTED, 3
        self.facts.assessed_eligible = True
        if start == "accepted":
            return
        self.take("whole_contract", None)
        self.take("sign", None)
        assert self.state == S.ACTIVE
        if start == "ending":
            for _ in range(2):
                services.hours_log(
                    case_id=self.pk,
                    by=nav,
                    worked_on=self.today,
                    hours=Decimal(12),
                    activity="Gardening",
                    verified=True,
                    now=self.now,
                )
            self.facts.hours_verified = Decimal(24)
            self.record_restorative_and_pathway_evidence()
            self.now += self.facts.ends_on - self.today

    @rule(data=st.data())
    def advance(self, data):
        """The next step towards an outcome, so that walks reach the later states often."""
        facts, state = self.facts, self.state
        if state in TERMINAL:
            self.take(data.draw(st.sampled_from(ACTIONS), label="action"), data)
            return
        if state == S.ACTIVE and facts.hours_verified >= facts.hours_required:
            if self.today < facts.ends_on:
                self.now += facts.ends_on - self.today  # time passes to the end date
                return
            if not facts.evidence_recorded:
                self.record_restorative_and_pathway_evidence()
                return
        self.take(self.forward_action(data), data)

    def forward_action(self, data) -> str:
        facts = self.facts
        if self.state == S.ASSESSMENT:
            return "decide" if facts.assessed_eligible else "assess"
        if self.state == S.ACCEPTED:
            # Build the contract part by part, trying to sign at any point (the guard must
            # refuse until every part is there).
            if "open" not in facts.parts:
                return "contract_open"
            missing = sorted(CONTRACT_PARTS - facts.parts)
            return data.draw(st.sampled_from(["sign", *missing]), label="contract step")
        if self.state == S.ACTIVE:
            return "log_hours" if facts.hours_verified < facts.hours_required else "begin_review"
        if self.state == S.COMPLETION_REVIEW:
            return "sign_off" if self.conditions_met() else "terminate_review"
        return FORWARD.get(self.state, "refer_prosecution")

    @rule(data=st.data())
    def plausible_action(self, data):
        """An action the table allows from here (keeps random walks moving forward)."""
        names = [
            n
            for n in ACTIONS
            if self.state in self.allowed_from(ACTION_KIND[n])
            for _ in range(WEIGHT.get(n, 3))
        ]
        self.take(data.draw(st.sampled_from(names or ACTIONS), label="action"), data)

    @rule(data=st.data())
    def any_action(self, data):
        self.take(data.draw(st.sampled_from(ACTIONS), label="action"), data)

    @rule(days=st.sampled_from([1, 30, 130]))
    def time_passes(self, days):
        self.now += timedelta(days=days)

    @precondition(
        lambda self: self.facts.starts_on is not None and not self.facts.evidence_recorded
    )
    @rule()
    def record_restorative_and_pathway_evidence(self):
        # The evidence as the record-keeping screens leave it: each referral's sessions
        # attended and completed, and the restorative outcome.
        contract = Contract.objects.get(case_id=self.pk)
        factories.attend_every_session(contract, navigator=self.people["nav"])
        contract.referrals.update(status="completed")
        VictimCondition.objects.filter(contract=contract).update(
            outcome="completed", outcome_recorded_on=self.facts.starts_on
        )
        self.facts.evidence_recorded = True

    # --- invariants ---------------------------------------------------------------------------
    @invariant()
    def state_is_known_and_as_modelled(self):
        state = Case.objects.values_list("state", flat=True).get(pk=self.pk)
        assert state in CaseState.values
        assert state == self.state

    @invariant()
    def history_has_one_chained_row_per_transition(self):
        rows = list(
            CaseTransition.objects.filter(case_id=self.pk)
            .order_by("at", "pk")
            .values_list("from_state", "to_state")
        )
        assert len(rows) == self.successes
        states = [S.ASSESSMENT] + [to for _from, to in rows]
        assert [f for f, _to in rows] == states[:-1]
        assert states[-1] == self.state

    @invariant()
    def a_running_contract_has_its_mandatory_conditions(self):
        if self.state not in RUNNING:
            return
        contract = Contract.objects.get(case_id=self.pk)
        assert OffendingCondition.objects.filter(contract=contract).exists()
        assert VictimCondition.objects.filter(contract=contract).exists()
        community = CommunityCondition.objects.get(contract=contract)
        assert community.kind == CommunityKind.HOURS
        assert HOURS_MIN <= community.hours_required <= HOURS_MAX
        assert community.hours_required == self.facts.hours_required
        assert (contract.starts_on, contract.ends_on) == (self.facts.starts_on, self.facts.ends_on)

    @invariant()
    def only_terminal_states_are_closed(self):
        case = Case.objects.get(pk=self.pk)
        assert (case.closed_at is not None) == (self.state in TERMINAL)
        assert Outcome.objects.filter(case_id=self.pk).exists() == (self.state in WITH_OUTCOME)


# Forward moves first: sampled_from leans towards the start of a list.
ACTIONS = [
    "assess",
    "decide",
    "offer",
    "accept",
    "whole_contract",
    "contract_open",
    "victim",
    "referral",
    "community",
    "consent",
    "sign",
    "log_hours",
    "refer_breach",
    "begin_review",
    "decide_breach",
    "sign_off",
    "refer_prosecution",
    "terminate_review",
    "new_offence",
    "withdraw",
    "decline",
]
FORWARD = {
    S.ELIGIBLE: "offer",
    S.OFFERED: "accept",
    S.BREACH_REVIEW: "decide_breach",
}
# How much more often plausible_action picks a move than the ones that end a walk early.
WEIGHT = {"withdraw": 1, "decline": 1, "new_offence": 1}
# The kind each action has whatever its drawn arguments (for choosing plausible actions).
ACTION_KIND = {
    "assess": "assess",
    "decide": "decide_eligible",
    "offer": "make_offer",
    "accept": "accept_offer",
    "decline": "decline_offer",
    "contract_open": "contract",
    "victim": "contract",
    "referral": "contract",
    "community": "contract",
    "consent": "contract",
    "whole_contract": "contract",
    "sign": "sign_contract",
    "withdraw": "withdraw",
    "refer_breach": "refer_breach",
    "decide_breach": "terminate_breach",
    "begin_review": "begin_completion_review",
    "sign_off": "sign_off",
    "terminate_review": "terminate_at_review",
    "refer_prosecution": "refer_for_prosecution",
    "log_hours": "running_contract",
    "new_offence": "running_contract",
}


def test_random_service_calls_keep_the_state_machine_invariants(dm, navigator, supervisor, team):
    provider = factories.ServiceProviderFactory(pathways=["drugs"])
    run_state_machine_as_test(
        lambda: CaseMachine(
            dm=dm, navigator=navigator, supervisor=supervisor, team=team, provider=provider
        ),
        settings=settings(
            max_examples=40,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
