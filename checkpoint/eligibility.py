"""Eligibility rules: pure functions from a policy and the recorded facts to reasons.

No ORM and no clock: the caller passes the policy (built from a scheme version), the facts and
the assessment date. Each rule returns passed/failed with a reason a decision maker can read
aloud in custody. The decision maker may override a failed rule with a justification, except a
rule the scheme profile fixes (``Policy.fixed_rules``). Some rules are fixed in every profile,
because no deferred prosecution is lawful without them (``ALWAYS_FIXED``): the evidential test,
an offence that is not time-barred, and the minimum age. A profile adds what the law requires
for it (the diversionary caution: an admission, and the DPP's consent for an indictable-only
offence).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from checkpoint import dates


class RuleCode(StrEnum):
    ADULT = "adult"
    EVIDENTIAL_TEST = "evidential_test"
    OFFENCE_ADMITTED = "offence_admitted"
    OFFENCE_RECENT = "offence_recent"
    GRAVITY = "gravity_score"
    EXCLUDED_CATEGORY = "excluded_category"
    PREVIOUS_CONVICTIONS = "previous_convictions"
    CUSTODY_UNLIKELY = "custody_unlikely"
    RISK_BAND = "risk_band"
    DPP_CONSENT = "dpp_consent"
    TIME_LIMIT = "time_limit"


# Why a rule can never be overridden when it is fixed: the decision maker reads this.
WHY_FIXED: dict[str, str] = {
    RuleCode.ADULT: "people under the minimum age are dealt with under the youth justice "
    "system, not this scheme.",
    RuleCode.EVIDENTIAL_TEST: "without a realistic prospect of conviction there is no "
    "prosecution to defer.",
    RuleCode.TIME_LIMIT: "a time-barred offence can no longer be charged (Magistrates' Courts "
    "Act 1980, s.127), so there is no prosecution to defer.",
    RuleCode.OFFENCE_ADMITTED: "this scheme may only be offered to a person who admits the "
    "offence (a requirement of the law for this profile).",
    RuleCode.DPP_CONSENT: "the law requires the Director of Public Prosecutions' consent for "
    "an indictable-only offence.",
}
# Fixed in every scheme profile, whatever it declares: the law for any deferred prosecution.
# The DPP's consent is asked for only by a profile that the law requires it of (the policy's
# ``indictable_only_needs_dpp_consent``), so wherever it applies it is fixed too.
ALWAYS_FIXED: frozenset[str] = frozenset(
    {RuleCode.ADULT, RuleCode.EVIDENTIAL_TEST, RuleCode.TIME_LIMIT, RuleCode.DPP_CONSENT}
)
# What a profile may declare as fixed (the rules a law can make a condition of a scheme).
FIXABLE: frozenset[str] = frozenset(WHY_FIXED)


class Admission(StrEnum):
    ADMITTED = "admitted"
    NO_COMMENT = "no_comment"
    DENIED = "denied"


SUMMARY_ONLY = "summary_only"
EITHER_WAY = "either_way"
INDICTABLE_ONLY = "indictable_only"


@dataclass(frozen=True)
class Policy:
    """The eligibility part of a scheme version. ``None`` switches a limit-type rule off."""

    min_age: int | None = None
    require_evidential_test: bool = True
    require_admission: bool = True
    accept_no_comment_interview: bool = False
    offence_within_months: int | None = None
    max_gravity_score: int | None = None
    excluded_categories: frozenset[str] = frozenset()
    max_previous_convictions: int | None = None
    require_custody_unlikely: bool = True
    allowed_risk_bands: frozenset[str] | None = None
    indictable_only_needs_dpp_consent: bool = False
    # Rules no override may lift, as the scheme profile declares them (ALWAYS_FIXED is added).
    fixed_rules: frozenset[str] = frozenset()

    def is_fixed(self, code: str) -> bool:
        return code in ALWAYS_FIXED or code in self.fixed_rules

    def why_fixed(self, code: str) -> str:
        """Why a rule cannot be overridden under this policy, or "" when it can."""
        if not self.is_fixed(code):
            return ""
        return WHY_FIXED.get(code, "the scheme profile fixes this rule.")


@dataclass(frozen=True)
class OffenceFacts:
    title: str
    offence_class: str
    committed_on: date
    gravity_score: int
    excluded_category: str | None = None
    excluded_category_name: str = ""


@dataclass(frozen=True)
class Facts:
    offences: tuple[OffenceFacts, ...]
    evidential_test_met: bool
    admission: str
    previous_convictions: int
    custodial_sentence_likely: bool
    risk_band: str
    dpp_consent: bool | None = None
    age_years: int | None = None  # at arrest


@dataclass(frozen=True)
class RuleResult:
    code: RuleCode
    label: str
    passed: bool
    reason: str
    overridable: bool = True


@dataclass(frozen=True)
class _Rule:
    code: RuleCode
    label: Callable[[Policy], str]
    applies: Callable[[Policy, Facts], bool]
    check: Callable[[Policy, Facts, date], tuple[bool, str]]


def _adult(policy: Policy, facts: Facts, today: date) -> tuple[bool, str]:
    if facts.age_years is None:
        return False, "The person's age at arrest is not known."
    if facts.age_years >= (policy.min_age or 0):
        return True, f"Aged {facts.age_years} at arrest."
    return (
        False,
        f"Aged {facts.age_years} at arrest; the scheme is for people aged "
        f"{policy.min_age} or over.",
    )


def _evidential(policy: Policy, facts: Facts, today: date) -> tuple[bool, str]:
    if facts.evidential_test_met:
        return True, "There is sufficient evidence to charge."
    return False, "The evidential test is not met: without enough evidence to charge, " + (
        "prosecution cannot be deferred."
    )


def _admission(policy: Policy, facts: Facts, today: date) -> tuple[bool, str]:
    if facts.admission == Admission.ADMITTED:
        return True, "The person admitted the offence."
    if facts.admission == Admission.NO_COMMENT and policy.accept_no_comment_interview:
        return True, "No-comment interview, which this scheme accepts when the evidence is met."
    if facts.admission == Admission.NO_COMMENT:
        return False, "The person gave a no-comment interview; this scheme requires an admission."
    return False, "The person denies the offence; this scheme requires an admission."


def _recent(policy: Policy, facts: Facts, today: date) -> tuple[bool, str]:
    months = policy.offence_within_months
    if months is None:
        return True, "No time limit on the offence date."
    if any(o.committed_on > today for o in facts.offences):
        return False, "An offence date is in the future."
    oldest = min(o.committed_on for o in facts.offences)
    if dates.within_months(oldest, today, months):
        return True, f"Committed on {_long(oldest)}, within {months} months."
    return False, f"Committed on {_long(oldest)}, more than {months} months ago."


def _gravity(policy: Policy, facts: Facts, today: date) -> tuple[bool, str]:
    limit = policy.max_gravity_score
    worst = max(o.gravity_score for o in facts.offences)
    if limit is None or worst <= limit:
        return True, f"Gravity score {worst} is within the limit of {limit}."
    return False, f"Gravity score {worst} is above the limit of {limit}."


def _excluded(policy: Policy, facts: Facts, today: date) -> tuple[bool, str]:
    hits = [o for o in facts.offences if o.excluded_category in policy.excluded_categories]
    if not hits:
        return True, "No offence is in an excluded category."
    names = ", ".join(sorted({f"{o.title} ({o.excluded_category_name})" for o in hits}))
    return False, f"Excluded offence category: {names}."


def _previous(policy: Policy, facts: Facts, today: date) -> tuple[bool, str]:
    limit = policy.max_previous_convictions
    n = facts.previous_convictions
    noun = "conviction" if n == 1 else "convictions"
    if limit is None or n <= limit:
        return True, f"{n} previous {noun}, within the limit of {limit}."
    return False, f"{n} previous {noun}, above the limit of {limit}."


def _custody(policy: Policy, facts: Facts, today: date) -> tuple[bool, str]:
    if not facts.custodial_sentence_likely:
        return True, "A custodial sentence is unlikely."
    return False, "A custodial sentence is likely on conviction."


def _risk(policy: Policy, facts: Facts, today: date) -> tuple[bool, str]:
    allowed = policy.allowed_risk_bands or frozenset()
    shown = ", ".join(b for b in ("low", "moderate", "high") if b in allowed) or "none"
    if facts.risk_band in allowed:
        return True, f"Risk of reoffending '{facts.risk_band}' is allowed ({shown})."
    return False, f"Risk of reoffending '{facts.risk_band}' is not allowed (allowed: {shown})."


def _dpp(policy: Policy, facts: Facts, today: date) -> tuple[bool, str]:
    if facts.dpp_consent:
        return True, "The DPP has consented for the indictable-only offence."
    return False, "An indictable-only offence needs the DPP's consent, which is not recorded."


def _time_limit(policy: Policy, facts: Facts, today: date) -> tuple[bool, str]:
    deadlines = {
        o: dates.prosecution_deadline(
            summary_only=o.offence_class == SUMMARY_ONLY, committed_on=o.committed_on
        )
        for o in facts.offences
    }
    barred = [(o, d) for o, d in deadlines.items() if d is not None and d < today]
    if barred:
        offence, deadline = min(barred, key=lambda pair: pair[1])
        return False, (
            f"{offence.title} was committed on {_long(offence.committed_on)}: the time limit "
            f"for charging it passed on {_long(deadline)} (Magistrates' Courts Act 1980, s.127)."
        )
    earliest = dates.earliest_deadline(list(deadlines.values()))
    if earliest is None:
        return True, "No statutory time limit applies (no summary-only offence)."
    return True, f"Can be charged until {_long(earliest)} (Magistrates' Courts Act 1980, s.127)."


def _long(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _has_indictable_only(facts: Facts) -> bool:
    return any(o.offence_class == INDICTABLE_ONLY for o in facts.offences)


RULES: tuple[_Rule, ...] = (
    _Rule(
        RuleCode.ADULT,
        lambda p: f"Aged {p.min_age} or over",
        lambda p, f: p.min_age is not None,
        _adult,
    ),
    _Rule(
        RuleCode.EVIDENTIAL_TEST,
        lambda p: "Evidential test met",
        lambda p, f: p.require_evidential_test,
        _evidential,
    ),
    _Rule(
        RuleCode.TIME_LIMIT,
        lambda p: "Offence not time-barred",
        lambda p, f: True,
        _time_limit,
    ),
    _Rule(
        RuleCode.OFFENCE_ADMITTED,
        lambda p: "Offence admitted",
        lambda p, f: p.require_admission,
        _admission,
    ),
    _Rule(
        RuleCode.OFFENCE_RECENT,
        lambda p: f"Offence committed within {p.offence_within_months} months",
        lambda p, f: p.offence_within_months is not None,
        _recent,
    ),
    _Rule(
        RuleCode.GRAVITY,
        lambda p: f"Gravity score at most {p.max_gravity_score}",
        lambda p, f: p.max_gravity_score is not None,
        _gravity,
    ),
    _Rule(
        RuleCode.EXCLUDED_CATEGORY,
        lambda p: "No excluded offence category",
        lambda p, f: bool(p.excluded_categories),
        _excluded,
    ),
    _Rule(
        RuleCode.PREVIOUS_CONVICTIONS,
        lambda p: f"At most {p.max_previous_convictions} previous convictions",
        lambda p, f: p.max_previous_convictions is not None,
        _previous,
    ),
    _Rule(
        RuleCode.CUSTODY_UNLIKELY,
        lambda p: "Custodial sentence unlikely",
        lambda p, f: p.require_custody_unlikely,
        _custody,
    ),
    _Rule(
        RuleCode.RISK_BAND,
        lambda p: "Risk of reoffending band allowed",
        lambda p, f: p.allowed_risk_bands is not None,
        _risk,
    ),
    _Rule(
        RuleCode.DPP_CONSENT,
        lambda p: "DPP consent for an indictable-only offence",
        lambda p, f: p.indictable_only_needs_dpp_consent and _has_indictable_only(f),
        _dpp,
    ),
)

RULE_LABELS: dict[str, str] = {
    RuleCode.ADULT: "Aged 18 or over (the configured minimum age)",
    RuleCode.EVIDENTIAL_TEST: "Evidential test met",
    RuleCode.OFFENCE_ADMITTED: "Offence admitted",
    RuleCode.OFFENCE_RECENT: "Offence committed within the configured period",
    RuleCode.GRAVITY: "Gravity score within limit",
    RuleCode.EXCLUDED_CATEGORY: "No excluded offence category",
    RuleCode.PREVIOUS_CONVICTIONS: "Previous convictions within limit",
    RuleCode.CUSTODY_UNLIKELY: "Custodial sentence unlikely",
    RuleCode.RISK_BAND: "Risk of reoffending band allowed",
    RuleCode.DPP_CONSENT: "DPP consent for an indictable-only offence",
    RuleCode.TIME_LIMIT: "Offence not time-barred",
}


@dataclass(frozen=True)
class Decision:
    """The overall result once overrides are applied."""

    eligible: bool
    failed: tuple[RuleCode, ...] = field(default_factory=tuple)


def evaluate(policy: Policy, facts: Facts, today: date) -> list[RuleResult]:
    """Apply every rule the policy switches on, in a stable order, with a reason for each."""
    if not facts.offences:
        raise ValueError("An eligibility assessment needs at least one offence.")
    results = []
    for rule in RULES:
        if not rule.applies(policy, facts):
            continue
        passed, reason = rule.check(policy, facts, today)
        overridable = not policy.is_fixed(rule.code)
        results.append(RuleResult(rule.code, rule.label(policy), passed, reason, overridable))
    return results


def decide(results: list[RuleResult], overridden: set[str]) -> Decision:
    """Eligible when every rule passed or was (legitimately) overridden."""
    failed = tuple(
        r.code for r in results if not r.passed and not (r.overridable and r.code in overridden)
    )
    return Decision(eligible=not failed, failed=failed)
