"""Pure statistics for the reports: rates, rate ratios and when to show them, summaries and
age bands. Disclosure control (which counts to hide) is in ``reports.suppression``.

No ORM and no clock: counts in, published values out, so every rule here is tested without
the database (tests/reports/test_statistics.py).

A rate or ratio computed from any hidden count is hidden too (``rate``, ``compare``): it would
give the count away. A rate ratio on published counts is still withheld when fewer than k
people reached, or did not reach, the stage in either group (``compare``): with so few people
the log rate-ratio interval is unreliable (with none it collapses: 5 of 5 people gives the
group no variance at all), and a difference on a handful of people should not be read as one
that chance alone is unlikely to explain.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

# z for a two-sided 95% confidence interval.
Z_95 = 1.959963984540054


# --- Rates and ratios ------------------------------------------------------------------------
def rate(numerator: int | None, denominator: int | None) -> float | None:
    """numerator / denominator; None when either is suppressed or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class RateRatio:
    """A relative rate ratio with its 95% confidence interval."""

    estimate: float
    lower: float
    upper: float

    @property
    def significant(self) -> bool:
        """The interval excludes 1 (no difference)."""
        return self.lower > 1 or self.upper < 1


def rate_ratio(
    a: int | None, n1: int | None, b: int | None, n2: int | None, *, z: float = Z_95
) -> RateRatio | None:
    """The ratio of a/n1 (a group) to b/n2 (the reference group), with a confidence interval.

    Log rate-ratio method: SE(ln RR) = sqrt(1/a - 1/n1 + 1/b - 1/n2), interval
    exp(ln RR +/- z * SE). None when any count is suppressed, a denominator is 0, or either
    numerator is 0 (the logarithm is undefined). Whether to publish it is ``compare``'s call.
    """
    if a is None or n1 is None or b is None or n2 is None:
        return None
    if not n1 or not n2 or not a or not b:
        return None
    if a > n1 or b > n2:
        raise ValueError("A numerator cannot exceed its denominator.")
    estimate = (a / n1) / (b / n2)
    se = math.sqrt(max(0.0, 1 / a - 1 / n1 + 1 / b - 1 / n2))
    log_rr = math.log(estimate)
    return RateRatio(estimate, math.exp(log_rr - z * se), math.exp(log_rr + z * se))


Verdict = Literal["shown", "suppressed", "undefined", "too_few"]


@dataclass(frozen=True)
class Comparison:
    """One group's rate against the reference group's, as it may be published.

    ``verdict``: ``shown`` (with ``ratio``); ``suppressed``, a count is hidden and the ratio
    would give it away; ``undefined``, nobody at the earlier stage in a group, so nothing to
    divide; ``too_few``, fewer than k people reached, or did not reach, the stage in a group.
    """

    verdict: Verdict
    ratio: RateRatio | None = None


def compare(a: int | None, n1: int | None, b: int | None, n2: int | None, *, k: int) -> Comparison:
    """Whether the rate ratio of a/n1 to b/n2 may be shown, and if so the ratio.

    Every count in the comparison must reach the publication threshold k: both groups' people
    who reached the stage (a, b) and who did not (n1 - a, n2 - b), so also both denominators.
    Only published counts are looked at, so the verdict itself reveals nothing hidden.
    """
    if a is None or n1 is None or b is None or n2 is None:
        return Comparison("suppressed")
    if not n1 or not n2:
        return Comparison("undefined")
    if a > n1 or b > n2:
        raise ValueError("A numerator cannot exceed its denominator.")
    if min(a, n1 - a, b, n2 - b) < k:
        return Comparison("too_few")
    ratio = rate_ratio(a, n1, b, n2)
    return Comparison("shown", ratio) if ratio else Comparison("undefined")


# --- Summaries from frequency tables ---------------------------------------------------------
@dataclass(frozen=True)
class Summary:
    count: int
    mean: float | None
    median: float | None


def summarise(frequencies: Iterable[tuple[float, int]]) -> Summary:
    """Count, mean and median of values given as (value, how many) pairs.

    The database returns a histogram (GROUP BY value); the median is the middle value, or the
    mean of the two middle values for an even count.
    """
    pairs = sorted((value, n) for value, n in frequencies if n > 0)
    count = sum(n for _, n in pairs)
    if count == 0:
        return Summary(0, None, None)
    mean = sum(value * n for value, n in pairs) / count
    lower = _nth(pairs, (count - 1) // 2)
    upper = _nth(pairs, count // 2)
    return Summary(count, mean, (lower + upper) / 2)


def _nth(pairs: list[tuple[float, int]], index: int) -> float:
    """The value at 0-based ``index`` of the sorted values the pairs stand for."""
    seen = 0
    for value, n in pairs:
        seen += n
        if index < seen:
            return value
    raise IndexError(index)


# --- Age bands -------------------------------------------------------------------------------
# Young adults (18 to 24) are their own band: the Lammy Review and the young adult evidence
# base treat them separately. The lower bound of each band, with its label.
AGE_BANDS: tuple[tuple[str, int, int | None, str], ...] = (
    ("under-18", 0, 17, "Under 18"),
    ("18-24", 18, 24, "18 to 24 (young adults)"),
    ("25-34", 25, 34, "25 to 34"),
    ("35-44", 35, 44, "35 to 44"),
    ("45-54", 45, 54, "45 to 54"),
    ("55-plus", 55, None, "55 and over"),
)


def age_band(age: int) -> str:
    """The code of the band holding ``age`` in whole years."""
    for code, low, high, _label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return code
    raise ValueError(f"No age band for {age}")
