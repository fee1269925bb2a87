"""The outcome, time-in-state and referral reports: counts from the selectors, disclosure
control from ``reports.suppression`` and rates from ``reports.statistics``, shaped into tables
and charts.

Each builder takes the requesting user, the filters and the threshold ``k`` and returns a
``Report``; the page and the CSV downloads are both drawn from it, so they cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from checkpoint import dates
from checkpoint.models import CaseState, OutcomeKind

from . import charts, selectors
from .selectors import ReportFilters
from .statistics import rate, summarise
from .suppression import Grid, suppress
from .tables import Cell, Table, count, derived, text


@dataclass
class Section:
    """One table, with its chart (bar chart or forest plot) and a short explanation."""

    heading: str
    table: Table
    intro: str = ""
    chart: charts.BarChart | charts.ForestPlot | None = None

    @property
    def chart_template(self) -> str:
        if isinstance(self.chart, charts.ForestPlot):
            return "reports/_forest_plot.html"
        return "reports/_bar_chart.html"


@dataclass
class Report:
    slug: str
    title: str
    sections: list[Section]
    notes: list[str] = field(default_factory=list)

    def table(self, slug: str) -> Table | None:
        return next((s.table for s in self.sections if s.table.slug == slug), None)


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _whole(value: float) -> str:
    return f"{value:,.0f}"


def _days(value: float) -> str:
    return f"{value:.1f}"


def _rows_with_totals(labels: list[str], grid: Grid, extra=None) -> list[list]:
    """Label cell, the grid's cells, the row total, then ``extra(row index)`` cells."""
    rows = []
    for i, label in enumerate(labels):
        row = [text(label), *(count(v) for v in grid.cells[i])]
        if grid.row_totals is not None:
            row.append(count(margin(grid.row_totals)[i]))
        # B610 names QuerySet.extra(); this ``extra`` is the callable parameter above.
        rows.append(row + (extra(i) if extra else []))  # nosec B610
    return rows


def _completion_rate(numerator, denominator):
    value = rate(numerator, denominator)
    return [derived(value, "percent", hidden=numerator is None or denominator is None)]


# --- Outcomes ---------------------------------------------------------------------------------
def _months(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = dates.add_months(month, 1)
    return months


def outcomes_report(user, filters: ReportFilters, *, k: int, **_options) -> Report:
    """Outcomes by month decided, the completion rate, and reoffending during the contract."""
    rows = selectors.outcome_counts_for(user, filters)
    months = _months(rows[0]["month"], rows[-1]["month"]) if rows else []
    by_kind: Counter[tuple[date, str]] = Counter()
    completion: Counter[tuple[date, bool]] = Counter()
    reoffending: Counter[tuple[str, bool]] = Counter()
    for row in rows:
        by_kind[row["month"], row["outcome_kind"]] += row["n"]
        if row["accepted"]:
            exited = row["outcome_kind"] == OutcomeKind.EXITED_NO_CONVICTION
            completion[row["month"], exited] += row["n"]
            reoffending[row["outcome_kind"], bool(row["reoffended"])] += row["n"]
    labels = [f"{m:%B %Y}" for m in months]
    return Report(
        slug="outcomes",
        title="Outcomes",
        sections=[
            _outcomes_section(months, labels, by_kind, k),
            _completion_section(months, labels, completion, k),
            _reoffending_section(reoffending, k),
        ],
        notes=[
            "Months are the month the outcome was decided. Cases are those arrested in the "
            "chosen date range.",
        ],
    )


def _outcomes_section(months, labels, by_kind: Counter, k: int) -> Section:
    kinds = list(OutcomeKind)
    grid = suppress([[by_kind[m, kind] for kind in kinds] for m in months], k=k, width=2)
    table = Table(
        slug="outcomes-by-month",
        caption="Outcomes by month decided",
        headers=["Month", *(kind.label for kind in kinds), "All outcomes"],
        rows=_rows_with_totals(labels, grid),
        total_row=[text("All months"), *map(count, margin(grid.col_totals)), count(grid.total)],
    )
    chart = charts.bar_chart(
        title="Outcomes by month decided",
        description="Bar chart of outcomes each month, by kind. The figures are in the table "
        "below.",
        categories=labels,
        series=[kind.label for kind in kinds],
        values=grid.cells,
        suppressed=[[v is None for v in row] for row in grid.cells],
        fmt=_whole,
    )
    return Section("Outcomes over time", table, chart=chart)


def _completion_section(months, labels, completion: Counter, k: int) -> Section:
    grid = suppress([[completion[m, True], completion[m, False]] for m in months], k=k, width=2)
    table = Table(
        slug="completion-by-month",
        caption="Completion rate by month decided (people who accepted the scheme)",
        headers=["Month", "Completed", "Did not complete", "All", "Completion rate"],
        rows=_rows_with_totals(
            labels,
            grid,
            lambda i: _completion_rate(grid.cells[i][0], margin(grid.row_totals)[i]),
        ),
        total_row=[
            text("All months"),
            *map(count, margin(grid.col_totals)),
            count(grid.total),
            *_completion_rate(margin(grid.col_totals)[0], grid.total),
        ],
    )
    rates = [rate(grid.cells[i][0], margin(grid.row_totals)[i]) for i in range(len(months))]
    chart = charts.bar_chart(
        title="Completion rate by month decided",
        description="Bar chart of the share of people who completed their contract, by month "
        "the outcome was decided. The figures are in the table below.",
        categories=labels,
        series=["Completion rate"],
        values=[[r] for r in rates],
        suppressed=[[r is None] for r in rates],
        fmt=_percent,
        top=1.0,
    )
    intro = (
        "Of the people who accepted the scheme and whose case has an outcome: completed means "
        "exited without conviction; did not complete means referred for prosecution after "
        "withdrawal or termination."
    )
    return Section("Completion rate", table, intro=intro, chart=chart)


def _reoffending_section(reoffending: Counter, k: int) -> Section:
    kinds = list(OutcomeKind)
    grid = suppress([[reoffending[kind, True], reoffending[kind, False]] for kind in kinds], k=k)
    table = Table(
        slug="reoffending",
        caption="Reoffending during the contract, by outcome (people who accepted the scheme)",
        headers=["Outcome", "Reoffended", "Did not reoffend", "All", "Reoffending rate"],
        rows=_rows_with_totals(
            [kind.label for kind in kinds],
            grid,
            lambda i: _completion_rate(grid.cells[i][0], margin(grid.row_totals)[i]),
        ),
        total_row=[
            text("All outcomes"),
            *map(count, margin(grid.col_totals)),
            count(grid.total),
            *_completion_rate(margin(grid.col_totals)[0], grid.total),
        ],
    )
    intro = (
        "A new offence reported while the contract ran (the Offending condition). Follow-up "
        "reoffending at 24 months comes from the Police National Computer, not from Checkpoint."
    )
    return Section("Reoffending during the contract", table, intro=intro)


# --- Time in each state -----------------------------------------------------------------------
TIMED_STATES = [
    CaseState.ASSESSMENT,
    CaseState.ELIGIBLE,
    CaseState.OFFERED,
    CaseState.ACCEPTED,
    CaseState.ACTIVE,
    CaseState.BREACH_REVIEW,
    CaseState.COMPLETION_REVIEW,
    CaseState.DECLINED,
    CaseState.WITHDRAWN,
    CaseState.TERMINATED,
]


def time_in_state_report(user, filters: ReportFilters, *, k: int, **_options) -> Report:
    """Median and mean days spent in each state, from the case history."""
    histogram = selectors.stay_histogram_for(user, filters)
    summaries = [summarise(histogram.get(state, [])) for state in TIMED_STATES]
    grid = suppress([[s.count] for s in summaries], k=k, row_totals=False, col_totals=False)
    rows = []
    for i, (state, summary) in enumerate(zip(TIMED_STATES, summaries, strict=True)):
        hidden = grid.cells[i][0] is None
        rows.append(
            [
                text(state.label),
                count(grid.cells[i][0]),
                derived(_in_days(summary.median), "days", hidden=hidden),
                derived(_in_days(summary.mean), "days", hidden=hidden),
            ]
        )
    table = Table(
        slug="time-in-state",
        caption="Days spent in each state",
        headers=["State", "Cases that left it", "Median days", "Mean days"],
        rows=rows,
    )
    chart = charts.bar_chart(
        title="Median days spent in each state",
        description="Bar chart of the median number of days cases spent in each state before "
        "moving on. The figures are in the table below.",
        categories=[state.label for state in TIMED_STATES],
        series=["Median days"],
        values=[[number(row[2])] for row in rows],
        suppressed=[[row[2].suppressed] for row in rows],
        fmt=_days,
    )
    intro = (
        "From the case history: a stay starts when the case enters the state (assessment "
        "starts at the arrest) and ends when it leaves. Cases still in a state are not "
        "counted for it; repeated stays in one state are added up."
    )
    section = Section("Time in each state", table, intro=intro, chart=chart)
    return Report(slug="time-in-state", title="Time in each state", sections=[section])


def number(cell: Cell) -> float | None:
    """A numeric cell's value for a chart (None when it is not shown)."""
    return float(cell.value) if isinstance(cell.value, int | float) else None


def margin(values: tuple[int | None, ...] | None) -> tuple[int | None, ...]:
    """A margin the table was built with (``suppress`` left it out only when asked to)."""
    if values is None:
        raise ValueError("This table is published without that margin.")
    return values


def _in_days(hours: float | None) -> float | None:
    return None if hours is None else hours / 24


# --- Referrals --------------------------------------------------------------------------------
def referrals_report(user, filters: ReportFilters, *, k: int, **_options) -> Report:
    """People referred to each pathway and provider, and how many completed a referral."""
    counts = selectors.referral_counts_for(user, filters)
    pathway = _referral_section("referrals-by-pathway", "Pathway", counts.pathways, k)
    provider = _referral_section("referrals-by-provider", "Provider", counts.providers, k)
    pathway.chart = charts.bar_chart(
        title="People referred, by pathway",
        description="Bar chart of the number of people referred to each pathway, and how many "
        "completed a referral. The figures are in the table below.",
        categories=[str(row[0].value) for row in pathway.table.rows],
        series=["People referred", "Completed a referral"],
        values=[[number(row[3]), number(row[1])] for row in pathway.table.rows],
        suppressed=[[row[3].suppressed, row[1].suppressed] for row in pathway.table.rows],
        fmt=_whole,
    )
    return Report(
        slug="referrals",
        title="Referrals by pathway and provider",
        sections=[pathway, provider],
        notes=[
            "People are counted once per pathway (and once per provider) however many "
            "referrals they had there; someone referred to two pathways counts in both, so "
            "the rows do not add up to the number of people referred."
        ],
    )


def _referral_section(slug: str, what: str, counts, k: int) -> Section:
    grid = suppress(
        [[completed, referred - completed] for _, referred, completed in counts],
        k=k,
        col_totals=False,
    )
    table = Table(
        slug=slug,
        caption=f"People referred, by {what.lower()}",
        headers=[what, "Completed a referral", "Did not (yet)", "People referred", "Rate"],
        rows=_rows_with_totals(
            [name for name, _, _ in counts],
            grid,
            lambda i: _completion_rate(grid.cells[i][0], margin(grid.row_totals)[i]),
        ),
    )
    return Section(f"By {what.lower()}", table)
