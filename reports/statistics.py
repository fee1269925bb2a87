"""Pure statistics for the reports: disclosure control, rates, rate ratios, summaries.

No ORM and no clock: counts in, published values out, so every rule here is tested without
the database (tests/reports/test_statistics.py).

Disclosure control (issue 6 point 5). A table of counts is published with some of its margins
(row totals, column totals, the grand total). *Primary* suppression hides every count of 1 to
``k - 1`` people, margins included. Zeros are published: a cell counting nobody discloses no
one (ONS practice). *Secondary* suppression then hides further counts until no hidden count
can be worked out from what is shown:

1. the rule of the line: a row or column (with its total) holding exactly one hidden count
   would give it away by subtraction, so the next-smallest count in that line is hidden too;
2. an exact audit: the table's additive rules (each row and column sums to its total) form a
   linear system in the hidden counts; a hidden count is recoverable exactly when that system
   pins it to one value whatever the other hidden counts are (``recoverable``: a bridge in
   the graph of rows, columns and hidden counts). For each such count one more count on its
   row or column is hidden, and the audit runs again.

A rate or ratio computed from any hidden count is hidden too (``rate``, ``rate_ratio``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Position = tuple[int, int]

# z for a two-sided 95% confidence interval.
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Grid:
    """A published table: ``None`` marks a suppressed count.

    ``row_totals``/``col_totals`` are ``None`` when that margin is not part of the table.
    ``total`` is the grand total, published only with both margins.
    """

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...] | None
    col_totals: tuple[int | None, ...] | None
    total: int | None

    @property
    def hidden(self) -> int:
        """How many values are suppressed (cells and margins)."""
        values = [v for row in self.cells for v in row]
        values += list(self.row_totals or ()) + list(self.col_totals or ())
        if self.row_totals is not None and self.col_totals is not None:
            values.append(self.total)
        return sum(v is None for v in values)


class _Table:
    """The counts with their margins as one matrix, and the additive rules between them.

    Interior cells are ``(r, c)`` with ``r < R`` and ``c < C``; row totals sit in column ``C``,
    column totals in row ``R`` and the grand total at ``(R, C)``.
    """

    def __init__(
        self, cells: Sequence[Sequence[int]], *, row_totals: bool, col_totals: bool, width: int
    ):
        self.R = len(cells)
        self.C = len(cells[0]) if cells else width
        self.values: dict[Position, int] = {}
        for r, row in enumerate(cells):
            if len(row) != self.C:
                raise ValueError("Every row must have the same number of cells.")
            for c, value in enumerate(row):
                if value < 0:
                    raise ValueError("Counts cannot be negative.")
                self.values[(r, c)] = int(value)
        self.lines: list[tuple[list[Position], Position]] = []  # (members, their total)
        # Which rows and columns of the matrix (margins included) carry an additive rule.
        self.row_rules: set[int] = set()
        self.col_rules: set[int] = set()
        if row_totals:
            for r in range(self.R):
                self._add_line([(r, c) for c in range(self.C)], (r, self.C))
                self.row_rules.add(r)
        if col_totals:
            for c in range(self.C):
                self._add_line([(r, c) for r in range(self.R)], (self.R, c))
                self.col_rules.add(c)
        if row_totals and col_totals:
            self._add_line([(self.R, c) for c in range(self.C)], (self.R, self.C))
            self.row_rules.add(self.R)
            self.col_rules.add(self.C)  # implied by the others: sum of row totals

    def _add_line(self, members: list[Position], total: Position) -> None:
        self.values[total] = sum(self.values[p] for p in members)
        self.lines.append((members, total))

    def is_margin(self, position: Position) -> bool:
        return position[0] == self.R or position[1] == self.C


def suppress(
    cells: Sequence[Sequence[int]],
    *,
    k: int,
    row_totals: bool = True,
    col_totals: bool = True,
    width: int = 0,
) -> Grid:
    """Publish ``cells`` with the chosen margins, hiding what could identify fewer than k people.

    The margins are computed here from the cells, so they always add up. ``width`` is the
    number of columns when there are no rows.
    """
    table = _Table(cells, row_totals=row_totals, col_totals=col_totals, width=width)
    hidden = {p for p, v in table.values.items() if 0 < v < k}
    while True:
        _complete_lines(table, hidden)
        exposed = sorted(recoverable(table, hidden))
        if not exposed:
            break
        partner = _partner(table, hidden, exposed[0])
        if partner is None:  # everything is hidden already
            break
        hidden.add(partner)
    return _grid(table, hidden, row_totals=row_totals, col_totals=col_totals)


def _complete_lines(table: _Table, hidden: set[Position]) -> None:
    """Rule 1: no line may hold exactly one hidden value."""
    changed = True
    while changed:
        changed = False
        for members, total in table.lines:
            line = [*members, total]
            if sum(p in hidden for p in line) == 1:
                choice = _smallest(table, [p for p in line if p not in hidden])
                if choice is not None:
                    hidden.add(choice)
                    changed = True


def _smallest(table: _Table, candidates: Iterable[Position]) -> Position | None:
    """The smallest count, preferring interior cells to margins (keeps totals visible)."""
    ranked = sorted(candidates, key=lambda p: (table.is_margin(p), table.values[p], p))
    return ranked[0] if ranked else None


def _partner(table: _Table, hidden: set[Position], position: Position) -> Position | None:
    """Another count to hide to protect ``position``: on one of its lines, else anywhere."""
    near: set[Position] = set()
    for members, total in table.lines:
        if position in members or position == total:
            near.update([*members, total])
    choice = _smallest(table, [p for p in near if p not in hidden])
    if choice is None:
        choice = _smallest(table, [p for p in table.values if p not in hidden])
    return choice


def recoverable(table: _Table, hidden: set[Position]) -> set[Position]:
    """Hidden counts that the published values and the additive rules determine exactly.

    Flip the sign of the margins and every line of the table sums to zero, so the rules are
    those of a graph: one node per row and per column that has a rule (rows or columns without
    one merge into a single free node), one edge per hidden count joining its row and column.
    Another table consistent with everything published differs by adding and subtracting
    around a cycle (or a path between free ends), so a hidden count can be worked out exactly
    when its edge lies on no cycle: when it is a bridge. Summing the rules on one side of a
    bridge gives its value.
    """
    free = ("free", -1)
    ends = []
    for r, c in sorted(hidden):
        ends.append(
            (
                ("row", r) if r in table.row_rules else free,
                ("col", c) if c in table.col_rules else free,
            )
        )
    return {sorted(hidden)[i] for i in _bridges(ends)}


def _bridges(edges: list[tuple]) -> set[int]:
    """Indices of the bridges of a multigraph given as (node, node) pairs (Tarjan, iterative)."""
    adjacent: dict = {}
    for i, (u, v) in enumerate(edges):
        adjacent.setdefault(u, []).append((v, i))
        adjacent.setdefault(v, []).append((u, i))
    order: dict = {}
    low: dict = {}
    bridges: set[int] = set()
    for root in adjacent:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, -1, iter(adjacent[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            for other, edge in neighbours:
                if edge == via:
                    continue
                if other in order:
                    low[node] = min(low[node], order[other])
                else:
                    order[other] = low[other] = len(order)
                    stack.append((other, edge, iter(adjacent[other])))
                    break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.add(via)
    return bridges


def _grid(table: _Table, hidden: set[Position], *, row_totals: bool, col_totals: bool) -> Grid:
    def shown(p: Position) -> int | None:
        return None if p in hidden else table.values[p]

    R, C = table.R, table.C
    return Grid(
        cells=tuple(tuple(shown((r, c)) for c in range(C)) for r in range(R)),
        row_totals=tuple(shown((r, C)) for r in range(R)) if row_totals else None,
        col_totals=tuple(shown((R, c)) for c in range(C)) if col_totals else None,
        total=shown((R, C)) if row_totals and col_totals else None,
    )


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
    numerator is 0 (the logarithm is undefined).
    """
    if None in (a, n1, b, n2) or not n1 or not n2 or not a or not b:
        return None
    if a > n1 or b > n2:
        raise ValueError("A numerator cannot exceed its denominator.")
    estimate = (a / n1) / (b / n2)
    se = math.sqrt(max(0.0, 1 / a - 1 / n1 + 1 / b - 1 / n2))
    log_rr = math.log(estimate)
    return RateRatio(estimate, math.exp(log_rr - z * se), math.exp(log_rr + z * se))


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
