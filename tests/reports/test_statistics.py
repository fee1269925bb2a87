"""The pure statistics behind the reports, without the database: disclosure control (with
property tests that the additive rules alone never give a suppressed count away; the attacker
who also knows that counts are whole, never negative and never grow along a funnel is in
test_suppression_attacker.py), rates, rate ratios with confidence intervals and when they are
shown, medians from frequency tables and age bands."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.statistics import age_band, compare, rate, rate_ratio, summarise
from reports.suppression import suppress

K = 5


# --- An attacker, written independently of the module -----------------------------------------
def _published(grid, cells, row_totals, col_totals):
    """Every value of the table with margins: (position, true value, published value)."""
    R, C = len(cells), len(cells[0])
    out = [((r, c), cells[r][c], grid.cells[r][c]) for r in range(R) for c in range(C)]
    rows = [sum(row) for row in cells]
    cols = [sum(cells[r][c] for r in range(R)) for c in range(C)]
    if row_totals:
        out += [((r, "T"), rows[r], grid.row_totals[r]) for r in range(R)]
    if col_totals:
        out += [(("T", c), cols[c], grid.col_totals[c]) for c in range(C)]
    if row_totals and col_totals:
        out.append((("T", "T"), sum(rows), grid.total))
    return out


def _equations(cells, row_totals, col_totals):
    """The additive rules as {position: coefficient} dicts that sum to zero."""
    R, C = len(cells), len(cells[0])
    eqs = []
    if row_totals:
        eqs += [{**{(r, c): 1 for c in range(C)}, (r, "T"): -1} for r in range(R)]
    if col_totals:
        eqs += [{**{(r, c): 1 for r in range(R)}, ("T", c): -1} for c in range(C)]
    if row_totals and col_totals:
        eqs.append({**{("T", c): 1 for c in range(C)}, ("T", "T"): -1})
    return eqs


def _rank(matrix):
    rows = [list(map(Fraction, row)) for row in matrix if any(row)]
    rank, width = 0, len(rows[0]) if rows else 0
    for col in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][col]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][col]:
                f = rows[i][col] / rows[rank][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def determined(grid, cells, row_totals, col_totals):
    """Hidden positions the equations fix: their column is independent of the others
    (rank drops when it is removed), so no other solution changes them."""
    hidden = [p for p, _, shown in _published(grid, cells, row_totals, col_totals) if shown is None]
    eqs = _equations(cells, row_totals, col_totals)
    matrix = [[eq.get(p, 0) for p in hidden] for eq in eqs]
    if not hidden or not matrix:
        return []
    full = _rank(matrix)
    return [
        p for i, p in enumerate(hidden) if _rank([row[:i] + row[i + 1 :] for row in matrix]) < full
    ]


def peel(grid, cells, row_totals, col_totals):
    """The simple attack: solve any line with one unknown, repeat."""
    values = {p: shown for p, _, shown in _published(grid, cells, row_totals, col_totals)}
    found = True
    while found:
        found = False
        for eq in _equations(cells, row_totals, col_totals):
            unknown = [p for p in eq if values[p] is None]
            if len(unknown) == 1:
                p = unknown[0]
                values[p] = -sum(eq[q] * values[q] for q in eq if q != p) * eq[p]
                found = True
    return values


tables = st.integers(1, 5).flatmap(
    lambda rows: st.integers(1, 5).flatmap(
        lambda cols: st.lists(
            st.lists(
                st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=cols, max_size=cols
            ),
            min_size=rows,
            max_size=rows,
        )
    )
)
margins = st.sampled_from([(True, True), (True, False), (False, True), (False, False)])


@settings(max_examples=400, deadline=None)
@given(tables, margins)
def test_no_suppressed_count_can_be_worked_out_from_the_totals(cells, margin):
    row_totals, col_totals = margin
    grid = suppress(cells, k=K, row_totals=row_totals, col_totals=col_totals)
    assert determined(grid, cells, row_totals, col_totals) == []
    recovered = peel(grid, cells, row_totals, col_totals)
    hidden = [p for p, _, shown in _published(grid, cells, row_totals, col_totals) if shown is None]
    assert all(recovered[p] is None for p in hidden)


@settings(max_examples=300, deadline=None)
@given(tables, margins)
def test_small_counts_are_hidden_and_everything_shown_is_true(cells, margin):
    row_totals, col_totals = margin
    grid = suppress(cells, k=K, row_totals=row_totals, col_totals=col_totals)
    for _, true, shown in _published(grid, cells, row_totals, col_totals):
        if 0 < true < K:
            assert shown is None
        assert shown is None or shown == true


@settings(max_examples=200, deadline=None)
@given(tables)
def test_a_table_with_nothing_small_is_published_whole(cells):
    big = [[v + K if v else 0 for v in row] for row in cells]
    grid = suppress(big, k=K)
    assert grid.hidden == 0


def test_one_small_cell_in_a_row_takes_the_next_smallest_with_it():
    grid = suppress([[10, 3, 20], [12, 15, 9], [30, 40, 50]], k=K)
    # 3 is hidden; its row loses 10 (the next smallest), its column 15, and 12 closes the loop.
    assert grid.cells == ((None, None, 20), (None, None, 9), (30, 40, 50))
    assert grid.row_totals == (33, 36, 120) and grid.col_totals == (52, 58, 79)
    assert grid.total == 189


def test_a_small_total_is_hidden_with_a_partner_total():
    grid = suppress([[2, 1], [20, 30]], k=K)
    assert grid.row_totals[0] is None
    assert grid.cells[0] == (None, None)
    assert grid.col_totals[0] is None or grid.cells[1][0] is None


def test_zero_is_published():
    grid = suppress([[0, 12], [7, 9]], k=K)
    assert grid.cells == ((0, 12), (7, 9)) and grid.hidden == 0


def test_threshold_is_configurable():
    assert suppress([[7, 30]], k=10, col_totals=False).cells == ((None, None),)
    assert suppress([[7, 30]], k=5, col_totals=False).cells == ((7, 30),)


def test_rate_is_hidden_when_either_count_is():
    assert rate(3, 12) == 0.25
    assert rate(None, 12) is None and rate(3, None) is None and rate(0, 0) is None


def test_rate_ratio_against_hand_computed_values():
    # Group: 30 of 100; reference: 20 of 100. RR = 0.3 / 0.2 = 1.5.
    # SE = sqrt(1/30 - 1/100 + 1/20 - 1/100) = sqrt(0.0633...) = 0.25166
    # CI = exp(ln 1.5 -/+ 1.96 x 0.25166) = 0.9160 to 2.4564
    result = rate_ratio(30, 100, 20, 100)
    assert result.estimate == pytest.approx(1.5)
    assert result.lower == pytest.approx(0.91596, abs=1e-4)
    assert result.upper == pytest.approx(2.45644, abs=1e-4)
    assert not result.significant


def test_rate_ratio_significant_when_interval_excludes_one():
    # 80/100 against 40/100: RR 2, SE = sqrt(1/80 - 1/100 + 1/40 - 1/100) = 0.13229
    result = rate_ratio(80, 100, 40, 100)
    assert result.estimate == pytest.approx(2.0)
    assert result.lower == pytest.approx(2 * math.exp(-1.959964 * 0.132288), abs=1e-4)
    assert result.significant


@pytest.mark.parametrize(
    "args", [(None, 10, 5, 10), (5, None, 5, 10), (0, 10, 5, 10), (5, 10, 0, 10), (5, 0, 5, 10)]
)
def test_rate_ratio_is_undefined_from_hidden_or_zero_counts(args):
    assert rate_ratio(*args) is None


def test_a_ratio_on_five_people_all_found_eligible_is_not_shown():
    # The tester's case: 5 of 5 "Other" found eligible against 300 of 333. Nobody in the group
    # was turned away, so the group adds nothing to the SE and the interval, 1.06 to 1.15,
    # "excludes 1" on five people.
    assert rate_ratio(5, 5, 300, 333).significant
    assert compare(5, 5, 300, 333, k=5).verdict == "too_few"
    assert compare(5, 5, 300, 333, k=5).ratio is None


@pytest.mark.parametrize(
    ("counts", "k", "verdict"),
    [
        ((10, 20, 30, 60), 10, "shown"),  # every count, reached or not, is at least k
        ((9, 20, 30, 60), 10, "too_few"),  # the group: fewer than k reached the stage
        ((11, 20, 30, 60), 10, "too_few"),  # the group: fewer than k did not
        ((10, 20, 55, 60), 10, "too_few"),  # the reference group: fewer than k did not
        ((10, 20, 0, 60), 10, "too_few"),
        ((None, 20, 30, 60), 10, "suppressed"),
        ((10, 20, 30, None), 10, "suppressed"),
        ((0, 0, 30, 60), 10, "undefined"),  # nobody at the stage before: nothing to divide
        ((0, 0, None, 60), 10, "suppressed"),  # hidden wins: [x] would tell nothing, [c] less
        ((3, 4, 5, 6), 1, "shown"),  # suppression off
        ((4, 4, 5, 6), 1, "too_few"),  # ... and still none turned away in the group
    ],
)
def test_a_ratio_is_shown_only_when_every_count_in_the_comparison_reaches_k(counts, k, verdict):
    result = compare(*counts, k=k)
    assert result.verdict == verdict
    assert (result.ratio is not None) == (verdict == "shown")
    if verdict == "shown":
        assert result.ratio == rate_ratio(*counts)


def test_summary_of_a_frequency_table():
    summary = summarise([(10, 1), (1, 2), (3, 1)])  # values 1, 1, 3, 10
    assert (summary.count, summary.mean, summary.median) == (4, 3.75, 2.0)
    assert summarise([(5, 3)]).median == 5
    assert summarise([]).median is None


@settings(max_examples=200)
@given(st.lists(st.integers(0, 500), min_size=1, max_size=60))
def test_summary_matches_the_values_it_stands_for(values):
    from collections import Counter
    from statistics import mean, median

    summary = summarise(Counter(values).items())
    assert summary.count == len(values)
    assert summary.mean == pytest.approx(mean(values))
    assert summary.median == pytest.approx(median(values))


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (17, "under-18"),
        (18, "18-24"),
        (24, "18-24"),
        (25, "25-34"),
        (54, "45-54"),
        (55, "55-plus"),
        (90, "55-plus"),
    ],
)
def test_age_bands_keep_young_adults_apart(age, band):
    assert age_band(age) == band
