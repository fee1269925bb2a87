"""Equality monitoring: who is assessed, found eligible, offered, accepts and completes, by sex,
ethnic group, age band at arrest and veteran status, with relative rate ratios (DESIGN.md 3).

The counts are a funnel (each stage at most the stage before), suppressed as one
(``reports.suppression``), so a reader who knows that cannot work a hidden count out.

Each stage's rate is conditional on the stage before (eligible of assessed, offered of
eligible, ...), the relative rate index method used for disproportionality in criminal
justice. A group's rate is compared with a reference group's; the 95% confidence interval
uses the log rate-ratio method (``reports.statistics.rate_ratio``). Counts come from the
suppressed table, so a ratio drawn from a suppressed count is suppressed too, and a ratio on
fewer than k people in any part of the comparison is not shown, with the reason
(``reports.statistics.compare``).
"""

from __future__ import annotations

from dataclasses import dataclass

from checkpoint.models import Sex, VeteranStatus
from checkpoint.models.person import ETHNIC_GROUPS

from . import charts, selectors
from .builders import Report, Section, margin
from .selectors import STAGES, ReportFilters
from .statistics import AGE_BANDS, Comparison, compare, rate
from .suppression import Grid, suppress
from .tables import UNRELIABLE, Cell, Table, count, derived, text, withheld

STAGE_LABELS = {
    "assessed": "Assessed",
    "eligible": "Found eligible",
    "offered": "Offered",
    "accepted": "Accepted",
    "completed": "Completed",
}
RATE_LABELS = {
    "eligible": "Found eligible, of those assessed",
    "offered": "Offered, of those found eligible",
    "accepted": "Accepted, of those offered",
    "completed": "Completed, of those who accepted",
}


@dataclass(frozen=True)
class Dimension:
    slug: str
    title: str
    column: str
    groups: tuple[tuple[str, str], ...]  # (code, label)
    not_stated: frozenset[str]

    def label(self, code: str) -> str:
        return dict(self.groups)[code]


DIMENSIONS = {
    d.slug: d
    for d in (
        Dimension(
            "sex",
            "Sex",
            "sex",
            tuple((s.value, s.label) for s in Sex),
            frozenset({Sex.PREFER_NOT_TO_SAY}),
        ),
        Dimension(
            "ethnicity",
            "Ethnic group",
            "ethnic_group",
            (*ETHNIC_GROUPS.items(), ("NS", "Not stated")),
            frozenset({"NS"}),
        ),
        Dimension(
            "age",
            "Age at arrest",
            "age_band",
            tuple((code, label) for code, _low, _high, label in AGE_BANDS),
            frozenset(),
        ),
        Dimension(
            "veteran",
            "Veteran status",
            "veteran_status",
            (
                (VeteranStatus.YES, "Served in the armed forces"),
                (VeteranStatus.NO, "Did not serve"),
                (VeteranStatus.PREFER_NOT_TO_SAY, "Prefer not to say"),
            ),
            frozenset({VeteranStatus.PREFER_NOT_TO_SAY}),
        ),
    )
}


def default_reference(dimension: Dimension, grid: Grid) -> str:
    """The stated group with the most people assessed (the usual comparator)."""
    candidates = [
        (grid.cells[i][0] or 0, -i, code)
        for i, (code, _) in enumerate(dimension.groups)
        if code not in dimension.not_stated
    ]
    return max(candidates)[2] if candidates else dimension.groups[0][0]


def equality_report(
    user, filters: ReportFilters, *, k: int, dimension: str, reference: str = "", **_options
) -> Report:
    """The funnel for one dimension, with rates and rate ratios against ``reference``."""
    dim = DIMENSIONS[dimension]
    counts = selectors.funnel_counts_for(user, filters, dim.column)
    cells = [[counts.get(code, {}).get(s, 0) for s in STAGES] for code, _ in dim.groups]
    grid = suppress(cells, k=k, row_totals=False, col_totals=True, funnel=True)
    codes = [code for code, _ in dim.groups]
    reference = reference if reference in codes else default_reference(dim, grid)
    funnel = Table(
        slug=f"funnel-{dim.slug}",
        caption=f"People at each stage, by {dim.title.lower()}",
        headers=[dim.title, *(STAGE_LABELS[s] for s in STAGES)],
        rows=[[text(label), *map(count, grid.cells[i])] for i, (_, label) in enumerate(dim.groups)],
        total_row=[text("All people"), *map(count, margin(grid.col_totals))],
    )
    ratios, plot, shown = _ratios(dim, grid, codes.index(reference), k)
    intro = _method(dim, reference, k, any_shown=shown)
    return Report(
        slug=f"equality-{dim.slug}",
        title=f"Equality monitoring: {dim.title.lower()}",
        sections=[
            Section("People at each stage", funnel),
            Section("Rates and rate ratios", ratios, intro=intro, chart=plot),
        ],
    )


def _few(k: int) -> str:
    return f"fewer than {k} people" if k > 1 else "no one"  # k = 1: suppression is off


def too_few_words(k: int) -> str:
    """Why a rate ratio on published counts is not shown (``statistics.compare``)."""
    return f"Not shown: {_few(k)} in part of this comparison, too few to compare reliably"


def _method(dim: Dimension, reference: str, k: int, *, any_shown: bool) -> str:
    # No "chance alone" wording unless some ratio is shown, and then only about those shown.
    chance = (
        "Where a ratio is shown, an interval that does not include 1 suggests a difference "
        "that chance alone is unlikely to explain. "
        if any_shown
        else ""
    )
    return (
        f"Each rate is the share of people at the previous stage who reached this one. The "
        f"rate ratio divides a group's rate by the rate of the reference group "
        f"({dim.label(reference)}): above 1 means more likely than the reference group to move "
        "on, below 1 less likely. The 95% confidence interval is exp(ln RR ± 1.96 SE) with "
        "SE = √(1/a - 1/n₁ + 1/b - 1/n₂), where a of n₁ people in the group and b of n₂ in the "
        f"reference group reached the stage (the log rate-ratio method). {chance}No ratio is "
        f"shown where {_few(k)} in either group reached the stage, or did not reach it: so few "
        "people cannot be compared reliably, and the interval would claim a certainty the "
        "numbers do not have ([u] marks its limits). "
        "Completed counts everyone who accepted, including contracts still running."
    )


Plotted = tuple[tuple[float, float, float] | None, str]  # ratio and limits (or None), words
REFERENCE: Plotted = ((1.0, 1.0, 1.0), "reference group")


def _comparison_cells(comparison: Comparison, k: int) -> tuple[list[Cell], str]:
    """The ratio and its 95% limits as table cells, and the words for the forest plot."""
    result = comparison.ratio
    if comparison.verdict == "shown" and result is not None:
        values = (result.estimate, result.lower, result.upper)
        cells = [derived(v, "ratio", hidden=False) for v in values]
        return cells, f"{cells[0].display} ({cells[1].display} to {cells[2].display})"
    if comparison.verdict == "too_few":
        limit = withheld("ratio", UNRELIABLE)
        return [withheld("ratio", too_few_words(k)), limit, limit], "Not shown: too few people"
    cells = [derived(None, "ratio", hidden=comparison.verdict == "suppressed")] * 3
    return cells, cells[0].display


def _ratio_cells(grid: Grid, i: int, ref: int, stage: int, k: int) -> tuple[list[Cell], Plotted]:
    """Group i at one stage: its rate, then its ratio against the reference group ``ref``;
    and what the forest plot draws for it (ratio and limits, or None) with its words."""
    a, n1 = grid.cells[i][stage], grid.cells[i][stage - 1]
    own = derived(rate(a, n1), "percent", hidden=None in (a, n1))
    if i == ref:
        return [own, text("Reference group"), text(""), text("")], REFERENCE
    comparison = compare(a, n1, grid.cells[ref][stage], grid.cells[ref][stage - 1], k=k)
    cells, words = _comparison_cells(comparison, k)
    result = comparison.ratio if comparison.verdict == "shown" else None
    plotted = (result.estimate, result.lower, result.upper) if result else None
    return [own, *cells], (plotted, words)


def _ratios(dim: Dimension, grid: Grid, ref: int, k: int) -> tuple[Table, charts.ForestPlot, bool]:
    """The rate-ratio table and forest plot, and whether any ratio is shown at all."""
    rows, sections, any_shown = [], [], False
    for stage in range(1, len(STAGES)):
        name = RATE_LABELS[STAGES[stage]]
        plotted = []
        for i, (_, label) in enumerate(dim.groups):
            cells, (values, words) = _ratio_cells(grid, i, ref, stage, k)
            rows.append([text(name), text(label), *cells])
            plotted.append((label, values, words))
            any_shown = any_shown or (i != ref and values is not None)
        sections.append((name, plotted))
    table = Table(
        slug=f"rate-ratios-{dim.slug}",
        caption=f"Rates and rate ratios by {dim.title.lower()}, with 95% confidence intervals",
        headers=["Stage", dim.title, "Rate", "Rate ratio", "95% CI lower", "95% CI upper"],
        rows=rows,
    )
    plot = charts.forest_plot(
        title=f"Rate ratios by {dim.title.lower()}",
        description="Each group's rate ratio against the reference group at each stage, as a "
        "point with a line for its 95% confidence interval, on a logarithmic scale centred on "
        "1 (no difference); a ratio on too few people is not drawn. The figures are in the "
        "table below.",
        sections=sections,
    )
    return table, plot, any_shown
