"""The four conditions' status and evidence (checkpoint.conditions): one rule, read by the
completion review, the sign-off guard, the prosecution file and the outcome letter."""

from datetime import date
from decimal import Decimal

import pytest

from checkpoint import conditions
from checkpoint.blockers import BlockerCode
from checkpoint.conditions import (
    CommunityFact,
    ConditionState,
    ContractFacts,
    NewOffenceFact,
    ReferralFact,
    VictimFact,
)

MET, NOT_MET, NOT_YET = ConditionState.MET, ConditionState.NOT_MET, ConditionState.NOT_YET


def referral(**overrides) -> ReferralFact:
    values = {
        "service": "Recovery Steps (Drugs)",
        "required_sessions": 6,
        "attended": 6,
        "status": "completed",
        "status_label": "Completed",
    }
    return ReferralFact(**{**values, **overrides})


def kept(**overrides) -> ContractFacts:
    values = {
        "victim": VictimFact("Letter of apology", False, "completed", "Completed"),
        "referrals": (referral(),),
        "community": CommunityFact("hours", hours_required=24, hours_verified=Decimal(24)),
    }
    return ContractFacts(**{**values, **overrides})


def status(facts: ContractFacts, name: str) -> conditions.ConditionStatus:
    return {s.name: s for s in conditions.statuses(facts)}[name]


def test_a_kept_contract_has_every_condition_met():
    found = conditions.statuses(kept())
    assert [(s.name, s.state) for s in found] == [
        ("Offending", MET),
        ("Victim", MET),
        ("Pathway", MET),
        ("Community", MET),
    ]
    assert conditions.unmet(found) == []


def test_a_referral_completed_without_its_attendance_is_not_met():
    facts = kept(referrals=(referral(attended=0),))
    pathway = status(facts, "Pathway")
    assert pathway.state == NOT_YET
    assert pathway.summary == "0 of 1 referral completed"
    assert pathway.facts == (
        "Recovery Steps (Drugs): attended 0 of 6, completed without the attendance",
    )


def test_a_recorded_reason_lets_a_referral_count_as_completed():
    reason = "The service ran the course at home visits"
    pathway = status(kept(referrals=(referral(attended=2, reason=reason),)), "Pathway")
    assert pathway.state == MET
    assert f"attended 2 of 6, completed (reason: {reason})" in pathway.facts[0]


@pytest.mark.parametrize(
    ("status_", "state"),
    [("active", NOT_YET), ("not_completed", NOT_MET), ("replaced", MET)],
)
def test_each_referral_status(status_, state):
    facts = kept(referrals=(referral(status=status_, status_label=status_, attended=0),))
    assert status(facts, "Pathway").state == state


def test_no_referral_where_one_is_required_is_not_met():
    assert status(kept(referrals=()), "Pathway").state == NOT_MET
    assert status(kept(referrals=(), pathway_required=False), "Pathway").state == MET


def test_a_new_offence_breaks_the_offending_condition_with_its_facts():
    facts = kept(new_offences=(NewOffenceFact(date(2026, 5, 1), "Shoplifting"),))
    offending = status(facts, "Offending")
    assert (offending.state, offending.facts) == (NOT_MET, ("1 May 2026: Shoplifting",))
    blocker = conditions.unmet(conditions.statuses(facts))[0]
    assert blocker.code == BlockerCode.CONDITION_NOT_MET
    assert blocker.message == "Offending condition not met: 1 new offence was reported"


@pytest.mark.parametrize(
    ("outcome", "state"),
    [
        ("pending", NOT_YET),
        ("completed", MET),
        ("victim_withdrew", MET),
        ("not_completed", NOT_MET),
    ],
)
def test_the_restorative_outcome_decides_the_victim_condition(outcome, state):
    victim = VictimFact("Face-to-face conference", False, outcome, outcome.replace("_", " "))
    assert status(kept(victim=victim), "Victim").state == state


def test_nothing_is_required_when_the_victim_declined():
    victim = VictimFact("Victim declined a restorative approach", True, "pending", "Pending")
    assert status(kept(victim=victim), "Victim").state == MET


def test_community_hours_count_only_when_verified():
    community = CommunityFact(
        "hours", hours_required=24, hours_verified=Decimal("20.5"), hours_self_reported=Decimal(4)
    )
    found = status(kept(community=community), "Community")
    assert found.state == NOT_YET
    assert found.summary == ("20.5 of 24 hours verified (4 more self-reported, not yet verified)")


def test_a_gps_tag_is_met_once_recorded_as_completed():
    tag = CommunityFact("gps_tag", gps_starts_on=date(2026, 3, 1), gps_ends_on=date(2026, 4, 1))
    assert status(kept(community=tag), "Community").state == NOT_YET
    done = CommunityFact(
        "gps_tag",
        gps_starts_on=date(2026, 3, 1),
        gps_ends_on=date(2026, 4, 1),
        gps_completed_on=date(2026, 4, 1),
    )
    assert status(kept(community=done), "Community").summary == (
        "GPS tag 1 March 2026 to 1 April 2026, completed"
    )
