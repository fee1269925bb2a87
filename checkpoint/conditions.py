"""Whether each of the contract's four conditions is met, and the facts that show it.

Pure: facts in, a status with its evidence out (no ORM, no clock). The one place that decides a
condition's status: the completion review, the sign-off guard, the prosecution file and the
outcome letter all read ``statuses`` (``Contract.condition_statuses`` gathers the facts).

Each condition is ``met`` (the evidence shows it kept), ``not_met`` (the evidence shows it
broken) or ``not_yet`` (the evidence is not there yet). An exit without conviction needs all
four met (DESIGN.md 1.1 stage 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from checkpoint.blockers import Blocker, BlockerCode
from checkpoint.text import format_hours, long_date


class ConditionState(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    NOT_YET = "not_yet"

    @property
    def label(self) -> str:
        return {"met": "Met", "not_met": "Not met", "not_yet": "Not yet met"}[self.value]


# The stored values these rules read (checkpoint.models.contract), kept here as plain strings so
# that the rules stay free of the ORM.
REFERRAL_COMPLETED, REFERRAL_NOT_COMPLETED, REFERRAL_REPLACED = (
    "completed",
    "not_completed",
    "replaced",
)
VICTIM_KEPT = ("completed", "victim_withdrew")
VICTIM_BROKEN = "not_completed"


@dataclass(frozen=True)
class NewOffenceFact:
    reported_on: date
    description: str


@dataclass(frozen=True)
class VictimFact:
    approach: str  # e.g. "Letter of apology"
    nothing_required: bool  # no identifiable victim, or the victim declined
    outcome: str  # pending / completed / victim_withdrew / not_completed
    outcome_label: str


@dataclass(frozen=True)
class ReferralFact:
    service: str  # provider (pathway)
    required_sessions: int
    attended: int
    status: str  # active / completed / not_completed / replaced
    status_label: str
    reason: str = ""  # why it counts as completed without its full attendance


@dataclass(frozen=True)
class CommunityFact:
    kind: str  # "hours" or "gps_tag"
    hours_required: int | None = None
    hours_verified: Decimal = Decimal(0)
    hours_self_reported: Decimal = Decimal(0)
    gps_starts_on: date | None = None
    gps_ends_on: date | None = None
    gps_completed_on: date | None = None


@dataclass(frozen=True)
class ContractFacts:
    new_offences: tuple[NewOffenceFact, ...] = ()
    victim: VictimFact | None = None
    referrals: tuple[ReferralFact, ...] = ()
    pathway_required: bool = True
    community: CommunityFact | None = None
    community_required: bool = True


@dataclass(frozen=True)
class ConditionStatus:
    name: str
    state: ConditionState
    summary: str
    facts: tuple[str, ...] = ()

    @property
    def met(self) -> bool:
        return self.state == ConditionState.MET


def statuses(facts: ContractFacts) -> list[ConditionStatus]:
    """The four conditions in contract order, each with its status and evidence."""
    return [_offending(facts), _victim(facts), _pathway(facts), _community(facts)]


def unmet(found: list[ConditionStatus]) -> list[Blocker]:
    """A blocker for each condition not shown to be met (the sign-off guard)."""
    return [
        Blocker(
            BlockerCode.CONDITION_NOT_MET,
            f"{s.name} condition {s.state.label.lower()}: {s.summary}",
            s.name,
        )
        for s in found
        if not s.met
    ]


def referral_completed(referral: ReferralFact) -> bool:
    """A referral counts as completed only with its required attendance, or a recorded reason
    why it counts without it (e.g. the service closed the course early)."""
    if referral.status == REFERRAL_REPLACED:
        return True
    if referral.status != REFERRAL_COMPLETED:
        return False
    return referral.attended >= referral.required_sessions or bool(referral.reason.strip())


def _offending(facts: ContractFacts) -> ConditionStatus:
    reported = tuple(f"{long_date(o.reported_on)}: {o.description}" for o in facts.new_offences)
    if reported:
        noun = "offence was" if len(reported) == 1 else "offences were"
        return ConditionStatus(
            "Offending", ConditionState.NOT_MET, f"{len(reported)} new {noun} reported", reported
        )
    return ConditionStatus("Offending", ConditionState.MET, "No new offence reported")


def _victim(facts: ContractFacts) -> ConditionStatus:
    victim = facts.victim
    if victim is None:
        return ConditionStatus("Victim", ConditionState.NOT_YET, "Not added to the contract")
    if victim.nothing_required:
        return ConditionStatus("Victim", ConditionState.MET, f"{victim.approach}: nothing required")
    summary = f"{victim.approach}: {victim.outcome_label.lower()}"
    if victim.outcome in VICTIM_KEPT:
        return ConditionStatus("Victim", ConditionState.MET, summary)
    if victim.outcome == VICTIM_BROKEN:
        return ConditionStatus("Victim", ConditionState.NOT_MET, summary)
    return ConditionStatus("Victim", ConditionState.NOT_YET, summary)


def _referral_line(r: ReferralFact) -> str:
    line = f"{r.service}: attended {r.attended} of {r.required_sessions}, {r.status_label.lower()}"
    if r.status == REFERRAL_COMPLETED and r.attended < r.required_sessions:
        line += f" (reason: {r.reason})" if r.reason.strip() else " without the attendance"
    return line


def _pathway(facts: ContractFacts) -> ConditionStatus:
    lines = tuple(_referral_line(r) for r in facts.referrals)
    if not facts.referrals:
        if facts.pathway_required:
            return ConditionStatus("Pathway", ConditionState.NOT_MET, "No referral was made")
        return ConditionStatus("Pathway", ConditionState.MET, "No referral required")
    done = sum(referral_completed(r) for r in facts.referrals)
    total = len(facts.referrals)
    summary = f"{done} of {total} referral{'s' if total != 1 else ''} completed"
    if any(r.status == REFERRAL_NOT_COMPLETED for r in facts.referrals):
        return ConditionStatus("Pathway", ConditionState.NOT_MET, summary, lines)
    state = ConditionState.MET if done == total else ConditionState.NOT_YET
    return ConditionStatus("Pathway", state, summary, lines)


def _community(facts: ContractFacts) -> ConditionStatus:
    community = facts.community
    if community is None:
        state = ConditionState.NOT_YET if facts.community_required else ConditionState.MET
        text = "Not added to the contract" if facts.community_required else "None required"
        return ConditionStatus("Community", state, text)
    if community.kind == "gps_tag":
        period = (
            f"GPS tag {long_date(community.gps_starts_on)} to {long_date(community.gps_ends_on)}"
            if community.gps_starts_on and community.gps_ends_on
            else "GPS tag"
        )
        if community.gps_completed_on:
            return ConditionStatus("Community", ConditionState.MET, f"{period}, completed")
        return ConditionStatus("Community", ConditionState.NOT_YET, f"{period}, not completed")
    required = community.hours_required or 0
    summary = f"{format_hours(community.hours_verified)} of {required} hours verified"
    if community.hours_self_reported:
        summary += (
            f" ({format_hours(community.hours_self_reported)} more self-reported, not yet verified)"
        )
    met = community.hours_verified >= required
    return ConditionStatus(
        "Community", ConditionState.MET if met else ConditionState.NOT_YET, summary
    )
