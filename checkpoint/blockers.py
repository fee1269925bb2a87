"""Why an action is not possible yet, as a code other code routes on and a message a person
reads. Code decides by ``code``; only people read ``message``, so rewording a message never
changes behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class BlockerCode(StrEnum):
    """Every reason a guarded action can be refused for."""

    # Signing the contract (DESIGN.md 1.1 stage 4)
    OFFENDING_CONDITION_MISSING = "offending_condition_missing"
    VICTIM_CONDITION_MISSING = "victim_condition_missing"
    PATHWAY_REFERRAL_MISSING = "pathway_referral_missing"
    COMMUNITY_CONDITION_MISSING = "community_condition_missing"
    COMMUNITY_HOURS_OUT_OF_RANGE = "community_hours_out_of_range"
    CONSENT_MISSING = "consent_missing"
    CONSENT_NOT_ON_SIGNED_FORM = "consent_not_on_signed_form"
    CONSENT_SCAN_MISSING = "consent_scan_missing"
    # Completion (DESIGN.md 1.1 stage 6)
    NO_CONTRACT = "no_contract"
    CONTRACT_STILL_RUNNING = "contract_still_running"
    CONDITION_NOT_MET = "condition_not_met"
    # The eligibility decision
    ASSESSMENT_MISSING = "assessment_missing"
    RULE_FAILED = "rule_failed"


@dataclass(frozen=True)
class Blocker:
    """One reason an action is not possible yet."""

    code: BlockerCode
    message: str
    subject: str = ""  # what it is about, e.g. the condition or rule, for grouping on screens


def has(blockers: list[Blocker], *codes: BlockerCode) -> bool:
    """Whether any of ``blockers`` has one of ``codes``."""
    return any(b.code in codes for b in blockers)
