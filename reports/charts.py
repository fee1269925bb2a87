"""Chart geometry for server-drawn SVG: horizontal bar charts and rate-ratio (forest) plots.

Pure functions: values in, coordinates out; the templates (``reports/_bar_chart.html``,
``reports/_forest_plot.html``) only place the shapes, with presentation attributes and CSS
classes (no inline style, no script: the Content Security Policy allows neither). Every chart
is an ``role="img"`` with a title and a description, and the page shows the same figures in a
table next to it, so nothing is only in the picture.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 190
PLOT_LEFT = LABEL_WIDTH + 10
PLOT_WIDTH = WIDTH - PLOT_LEFT - 60  # room for the value after the longest bar
BAR_HEIGHT = 16
ROW_GAP = 10
TOP = 10
AXIS_HEIGHT = 30
LEGEND_HEIGHT = 24


@dataclass(frozen=True)
class Bar:
    series: int
    x: float
    y: float
    width: float
    height: float
    text: str  # the value, or [c] when suppressed
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Row:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    x: float
    text: str


@dataclass(frozen=True)
class Legend:
    series: int
    text: str
    x: float
    text_x: float


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    width: int
    height: int
    rows: list[Row]
    ticks: list[Tick]
    legend: list[Legend]  # empty for a single series
    plot_left: float
    axis_y: float


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def nice_max(value: float) -> float:
    """The end of an axis with four equal whole-number steps reaching at least ``value``.

    Steps are 1, 2 or 5 times a power of ten (or 25, 250, ...), so every tick is a round
    whole number.
    """
    wanted = max(value, 0) / 4
    power = 1
    while True:
        for step in (1, 2, 2.5, 5):
            size = step * power
            if size >= wanted and size == int(size):
                return 4 * size
        power *= 10


def bar_chart(
    *,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[str],
    values: Sequence[Sequence[float | None]],
    fmt: Callable[[float], str],
    suppressed: Sequence[Sequence[bool]] | None = None,
    top: float | None = None,
) -> BarChart:
    """Horizontal bars: one row per category, one bar per series within it.

    ``values[i][j]`` is category i, series j; None draws no bar and writes [c] (if
    ``suppressed``) or [x]. The axis ends at ``top`` if given (1 for rates: 100%), else at a
    round number above the largest value.
    """
    shown = [v for row in values for v in row if v is not None]
    top = top or nice_max(max(shown, default=0))
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    row_height = len(series) * BAR_HEIGHT + ROW_GAP
    rows = [
        _bar_row(
            category,
            values[i],
            suppressed[i] if suppressed else [False] * len(series),
            y0=TOP + legend + i * row_height,
            scale=PLOT_WIDTH / top,
            fmt=fmt,
        )
        for i, category in enumerate(categories)
    ]
    axis_y = TOP + legend + len(categories) * row_height
    ticks = [Tick(PLOT_LEFT + PLOT_WIDTH * k / 4, fmt(top * k / 4)) for k in range(5)]
    return BarChart(
        title=title,
        description=description,
        width=WIDTH,
        height=int(axis_y + AXIS_HEIGHT),
        rows=rows,
        ticks=ticks,
        legend=[
            Legend(j, name, PLOT_LEFT + j * 190, PLOT_LEFT + j * 190 + 18)
            for j, name in enumerate(series)
        ]
        if len(series) > 1
        else [],
        plot_left=PLOT_LEFT,
        axis_y=axis_y,
    )


def _bar_row(category, values, suppressed, *, y0: float, scale: float, fmt) -> Row:
    bars = []
    for j, value in enumerate(values):
        y = y0 + j * BAR_HEIGHT
        width = 0.0 if value is None else value * scale
        label = fmt(value) if value is not None else ("[c]" if suppressed[j] else "[x]")
        bars.append(
            Bar(j, PLOT_LEFT, y, width, BAR_HEIGHT - 2, label, PLOT_LEFT + width + 4, y + 12)
        )
    return Row(_short(category), y0 + len(values) * BAR_HEIGHT / 2 + 4, bars)


# --- Forest plot of rate ratios --------------------------------------------------------------
@dataclass(frozen=True)
class Interval:
    label: str
    y: float
    point_x: float | None  # None: not shown (suppressed or not calculable)
    low_x: float
    high_x: float
    text: str


@dataclass(frozen=True)
class ForestPlot:
    title: str
    description: str
    width: int
    height: int
    intervals: list[Interval]
    headings: list[tuple[str, float]]  # (stage name, y)
    ticks: list[Tick]
    one_x: float
    top: float
    axis_y: float
    plot_left: float


def forest_plot(
    *,
    title: str,
    description: str,
    sections: Sequence[tuple[str, Sequence[tuple[str, tuple[float, float, float] | None, str]]]],
) -> ForestPlot:
    """Rate ratios with their confidence intervals on a log scale, one section per stage.

    ``sections``: (heading, [(group label, (estimate, lower, upper) or None, text)]).
    """
    points = [v for _, rows in sections for _, v, _ in rows if v is not None]
    low = min([0.5, *(v[1] for v in points)])
    high = max([2.0, *(v[2] for v in points)])
    low, high = max(low, 1 / 16), min(high, 16.0)
    span = math.log(high) - math.log(low)

    def x(value: float) -> float:
        value = min(max(value, low), high)
        return PLOT_LEFT + (math.log(value) - math.log(low)) / span * (PLOT_WIDTH - 40)

    headings, intervals, y = _forest_rows(sections, x)
    marks = (1 / 16, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16)
    ticks = [Tick(x(t), f"{t:g}") for t in marks if low <= t <= high]
    return ForestPlot(
        title=title,
        description=description,
        width=WIDTH,
        height=int(y + AXIS_HEIGHT),
        intervals=intervals,
        headings=headings,
        ticks=ticks,
        one_x=x(1.0),
        top=TOP,
        axis_y=y,
        plot_left=PLOT_LEFT,
    )


def _forest_rows(sections, x) -> tuple[list[tuple[str, float]], list[Interval], float]:
    """Lay the sections out top to bottom; returns headings, intervals and the bottom."""
    y: float = TOP
    headings: list[tuple[str, float]] = []
    intervals: list[Interval] = []
    for heading, rows in sections:
        headings.append((heading, y + 12))
        y += 20
        for label, value, text in rows:
            point = None if value is None else x(value[0])
            low, high = (x(value[1]), x(value[2])) if value else (0.0, 0.0)
            intervals.append(Interval(_short(label), y + 10, point, low, high, text))
            y += 18
        y += 6
    return headings, intervals, y
