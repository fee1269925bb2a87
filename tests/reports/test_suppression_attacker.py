"""An attacker who knows how a table is built tries to undo its suppression.

Written without reference to ``reports.suppression``: the attacker writes the table's rules
down from what they mean (every published value holds; each row and column adds up to its
total; nobody is counted negatively; in a funnel nobody reaches a stage without the stage
before) and asks scipy's HiGHS solver, as an integer program, for the smallest and largest
value each hidden count could take. Suppression must leave no hidden count pinned to one
value, and every count the threshold hid (1 to k - 1 people) with an interval that holds at
least k whole numbers (hi - lo >= k - 1): the definition in the ``reports.suppression``
docstring.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from reports.suppression import suppress

T = "T"  # the attacker's name for a margin: (r, T) row total, (T, c) column total


# --- The attacker -----------------------------------------------------------------------------
class Attacker:
    """Everything a reader of the published table knows, as linear rules over its values."""

    def __init__(self, cells, *, row_totals: bool, col_totals: bool, funnel: bool):
        R, C = len(cells), len(cells[0])
        self.truth = {(r, c): cells[r][c] for r in range(R) for c in range(C)}
        if row_totals:
            self.truth |= {(r, T): sum(cells[r]) for r in range(R)}
        if col_totals:
            self.truth |= {(T, c): sum(row[c] for row in cells) for c in range(C)}
        if row_totals and col_totals:
            self.truth[T, T] = sum(map(sum, cells))
        self.names = list(self.truth)
        self.index = {p: i for i, p in enumerate(self.names)}
        self.equal: list[tuple[dict, int]] = []  # ({position: coefficient}, right-hand side)
        self.at_most: list[dict] = []  # {position: coefficient} <= 0
        if row_totals:
            self.equal += [({**{(r, c): 1 for c in range(C)}, (r, T): -1}, 0) for r in range(R)]
        if col_totals:
            self.equal += [({**{(r, c): 1 for r in range(R)}, (T, c): -1}, 0) for c in range(C)]
        if row_totals and col_totals:
            self.equal.append(({**{(T, c): 1 for c in range(C)}, (T, T): -1}, 0))
            self.equal.append(({**{(r, T): 1 for r in range(R)}, (T, T): -1}, 0))
        if funnel:  # a stage never counts more people than the stage before
            lines = [*range(R), *([T] if col_totals else [])]
            self.at_most += [{(r, c): 1, (r, c - 1): -1} for r in lines for c in range(1, C)]

    def publish(self, grid) -> dict:
        """Position -> published value, None where suppressed."""
        shown = {(r, c): v for r, row in enumerate(grid.cells) for c, v in enumerate(row)}
        shown |= {(r, T): v for r, v in enumerate(grid.row_totals or ())}
        shown |= {(T, c): v for c, v in enumerate(grid.col_totals or ())}
        if (T, T) in self.truth:
            shown[T, T] = grid.total
        return shown

    def _matrix(self, rules):
        matrix = np.zeros((len(rules), len(self.names)))
        for i, rule in enumerate(rules):
            for p, coefficient in rule.items():
                matrix[i, self.index[p]] = coefficient
        return matrix

    def bounds(self, shown: dict) -> dict:
        """For each hidden position, (smallest, largest) whole number it could be, consistent
        with everything shown. A bound of ``cap`` means not bounded above."""
        rules = self.equal + [({p: 1}, v) for p, v in shown.items() if v is not None]
        problem = {
            "A_eq": self._matrix([rule for rule, _ in rules]),
            "b_eq": np.array([rhs for _, rhs in rules], dtype=float),
            "A_ub": self._matrix(self.at_most) if self.at_most else None,
            "b_ub": np.zeros(len(self.at_most)) if self.at_most else None,
            "bounds": (0, 10 * (sum(self.truth.values()) + 10)),
            "options": {"presolve": False},
        }
        hidden = [p for p, v in shown.items() if v is None]
        return {p: (self._extreme(p, 1, problem), self._extreme(p, -1, problem)) for p in hidden}

    def _extreme(self, p, sign: int, problem: dict) -> int:
        """The smallest (sign 1) or largest (sign -1) whole-number value of ``p``.

        The linear relaxation first (dual simplex, so the answer is a vertex): when the whole
        optimal table is in whole numbers, the relaxation's bound is attained by a real table.
        Otherwise an integer program, within the relaxation's bound. Presolve is off: with it,
        HiGHS returns wrong optima on some of these tables (its known MIP presolve defects,
        e.g. ERGO-Code/HiGHS#3073).
        """
        objective = np.zeros(len(self.names))
        objective[self.index[p]] = sign
        relaxed = linprog(objective, **problem, method="highs-ds")
        assert relaxed.status == 0, relaxed.message  # the true table is always feasible
        if np.allclose(relaxed.x, np.round(relaxed.x), atol=1e-9):
            return round(relaxed.x[self.index[p]])
        whole = linprog(objective, **problem, method="highs", integrality=np.ones(len(self.names)))
        assert whole.status == 0, whole.message
        assert whole.fun >= relaxed.fun - 1e-6  # no better than the relaxation
        return round(whole.x[self.index[p]])

    def true_table_is_feasible(self, shown: dict) -> bool:
        x = self.truth
        published = all(v is None or v == x[p] for p, v in shown.items())
        equal = all(sum(a * x[p] for p, a in rule.items()) == rhs for rule, rhs in self.equal)
        at_most = all(sum(a * x[p] for p, a in rule.items()) <= 0 for rule in self.at_most)
        return published and equal and at_most and min(x.values()) >= 0


def weaknesses(cells, k, *, row_totals, col_totals, funnel, grid) -> list[str]:
    """What the attacker learns that it should not, in words (empty: nothing)."""
    attacker = Attacker(cells, row_totals=row_totals, col_totals=col_totals, funnel=funnel)
    shown = attacker.publish(grid)
    assert attacker.true_table_is_feasible(shown)
    found = []
    for p, (lo, hi) in attacker.bounds(shown).items():
        true = attacker.truth[p]
        assert lo <= true <= hi, (p, lo, true, hi)
        if lo == hi:
            found.append(f"{p} is pinned to {lo}")
        elif 0 < true < k and hi - lo < k - 1:
            found.append(f"{p} = {true} is narrowed to {lo}..{hi}")
    for p, v in shown.items():
        if v is not None:
            assert v == attacker.truth[p], p  # everything shown is true
        assert not (0 < attacker.truth[p] < k and v is not None), p  # small counts are hidden
    return found


def funnel_grid(cells, k, col_totals=True):
    """Suppress a funnel the way the equality report does (groups by stages, totals below)."""
    return suppress(cells, k=k, row_totals=False, col_totals=col_totals, funnel=True)


# --- Random tables ----------------------------------------------------------------------------
@st.composite
def funnels(draw):
    """k, and a funnel table: many small groups, each stage at most the stage before."""
    k = draw(st.sampled_from([2, 3, 5, 10]))
    stages = draw(st.integers(1, 5))
    table = []
    for _ in range(draw(st.integers(1, 6))):
        row = [draw(st.one_of(st.integers(0, 2 * k), st.integers(0, 8 * k)))]
        for _ in range(stages - 1):
            last = row[-1]
            row.append(
                draw(
                    st.one_of(
                        st.just(last), st.integers(max(0, last - k), last), st.integers(0, last)
                    )
                )
            )
        table.append(row)
    return k, table


@st.composite
def plain_tables(draw):
    """k, and a table of 1 to 5 rows by 1 to 5 columns with many small counts."""
    k = draw(st.sampled_from([2, 3, 5, 10]))
    rows, cols = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    value = st.one_of(st.integers(0, k + 1), st.integers(0, 12 * k))
    table = draw(
        st.lists(st.lists(value, min_size=cols, max_size=cols), min_size=rows, max_size=rows)
    )
    return k, table


MARGINS = [(True, True), (True, False), (False, True), (False, False)]


@settings(max_examples=300, deadline=None)
@given(funnels(), st.booleans())
def test_an_attacker_cannot_narrow_a_hidden_count_in_a_funnel(example, col_totals):
    k, cells = example
    grid = funnel_grid(cells, k, col_totals)
    kinds = {"row_totals": False, "col_totals": col_totals, "funnel": True}
    assert weaknesses(cells, k, grid=grid, **kinds) == []
    # The totals row is shared by every equality table of the same cases (sex, ethnicity, ...),
    # so it is hidden only where the threshold hides it, never to protect another count.
    totals = grid.col_totals or ()
    assert all(v is not None or 0 < sum(row[c] for row in cells) < k for c, v in enumerate(totals))


@settings(max_examples=300, deadline=None)
@given(plain_tables(), st.sampled_from(MARGINS))
def test_an_attacker_cannot_narrow_a_hidden_count_in_a_table_with_margins(example, margins):
    k, cells = example
    row_totals, col_totals = margins
    grid = suppress(cells, k=k, row_totals=row_totals, col_totals=col_totals)
    kinds = {"row_totals": row_totals, "col_totals": col_totals, "funnel": False}
    assert weaknesses(cells, k, grid=grid, **kinds) == []


# --- The cases a tester found -----------------------------------------------------------------
def test_a_funnel_no_longer_gives_away_the_women_found_eligible():
    # Women 8 assessed, 3 eligible; men 10, 6; nobody said "prefer not to say". Checking only
    # the column sums, the old suppression showed men 6 and hid the "prefer not to say" 0,
    # which cannot exceed its 0 assessed: women eligible = 9 - 6 - 0 = 3.
    cells = [[8, 3], [10, 6], [0, 0]]
    grid = funnel_grid(cells, k=5)
    kinds = {"row_totals": False, "col_totals": True, "funnel": True}
    assert weaknesses(cells, 5, grid=grid, **kinds) == []
    assert grid.cells == ((8, None), (10, None), (0, 0))
    assert grid.col_totals == (18, 9)


def test_the_report_fixture_funnel_by_sex_is_safe():
    # tests/reports/conftest.py by sex: the old suppression left women found eligible at
    # 10 - 6 - 0 = 4, with the men's 6 and a hidden zero that could only be 0.
    cells = [[6, 4, 4, 3, 2], [8, 6, 5, 4, 1], [0, 0, 0, 0, 0]]
    grid = funnel_grid(cells, k=5)
    kinds = {"row_totals": False, "col_totals": True, "funnel": True}
    assert weaknesses(cells, 5, grid=grid, **kinds) == []


def test_a_zero_held_down_by_the_stage_before_is_published():
    # Nobody assessed in the second group, so nobody there was found eligible: hiding that
    # zero protects nothing, and a [c] that can only be 0 is shown as 0.
    grid = funnel_grid([[20, 2], [0, 0], [30, 25]], k=5)
    assert grid.cells[1] == (0, 0)


def test_the_attacker_agrees_with_exhaustive_search_on_a_small_funnel():
    # A check on the attacker itself: every table of counts 0..11 that fits the published
    # figures, enumerated, gives the same intervals as the integer program.
    cells = [[6, 2, 1], [7, 7, 5], [0, 0, 0]]
    grid = funnel_grid(cells, k=3)
    attacker = Attacker(cells, row_totals=False, col_totals=True, funnel=True)
    shown = attacker.publish(grid)
    hidden = [p for p, v in shown.items() if v is None]
    assert len(hidden) >= 3
    fits = []
    for values in itertools.product(range(12), repeat=len(hidden)):
        x = {**shown, **dict(zip(hidden, values, strict=True))}
        sums = all(sum(x[r, c] for r in range(3)) == x[T, c] for c in range(3))
        if sums and all(x[r, c] <= x[r, c - 1] for r in [0, 1, 2, T] for c in (1, 2)):
            fits.append(values)
    exhaustive = {
        p: (min(v[i] for v in fits), max(v[i] for v in fits)) for i, p in enumerate(hidden)
    }
    assert attacker.bounds(shown) == exhaustive


@pytest.mark.parametrize("months", [12, 36, 120])
def test_suppression_protects_a_large_table(months):
    # Reports are built on request: outcomes by month (up to ten years), with margins, and a
    # funnel with more groups than any dimension has. (How long it takes is measured by
    # bench/suppression.py, not asserted here.)
    cells = [[(r * 7) % 9, (r * 5) % 4 + 6] for r in range(months)]
    grid = suppress(cells, k=5)
    assert all(v is None or v == 0 or v >= 5 for row in grid.cells for v in row)
    funnel = funnel_grid([[9 + r, 6, 5, 3 + r % 2, r % 3] for r in range(10)], k=5)
    assert all(v is None or v == 0 or v >= 5 for row in funnel.cells for v in row)
