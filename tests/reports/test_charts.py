"""Chart geometry for the server-drawn SVG, without the database."""

from __future__ import annotations

import pytest

from reports import charts


@pytest.mark.parametrize(
    ("value", "top"),
    [(0, 4), (0.7, 4), (3, 4), (5, 8), (12, 20), (21, 40), (99, 100), (101, 200), (900, 1000)],
)
def test_axis_ends_on_a_round_number(value, top):
    assert charts.nice_max(value) == top


def test_bars_scale_to_the_axis_and_say_why_one_is_missing():
    chart = charts.bar_chart(
        title="T",
        description="D",
        categories=["A", "B"],
        series=["One", "Two"],
        values=[[10, 5], [None, 20]],
        suppressed=[[False, False], [True, False]],
        fmt=lambda v: f"{v:g}",
    )
    (a1, a2), (b1, b2) = (row.bars for row in chart.rows)
    assert b2.width == pytest.approx(charts.PLOT_WIDTH)  # 20 is the axis end
    assert a1.width == pytest.approx(charts.PLOT_WIDTH / 2) and a2.width == a1.width / 2
    assert [t.text for t in chart.ticks] == ["0", "5", "10", "15", "20"]
    assert b1.width == 0 and b1.text == "[c]" and b2.text == "20"
    assert [item.text for item in chart.legend] == ["One", "Two"]
    assert chart.ticks[-1].text == "20" and chart.height > chart.axis_y


def test_forest_plot_centres_no_difference_and_keeps_order():
    plot = charts.forest_plot(
        title="T",
        description="D",
        sections=[("Eligible", [("A", (1.0, 1.0, 1.0), "ref"), ("B", (2.0, 1.5, 4.0), "2.00")])],
    )
    ref, other = plot.intervals
    assert ref.point_x == pytest.approx(plot.one_x)
    assert other.low_x < other.point_x < other.high_x and other.point_x > plot.one_x
    assert [t.text for t in plot.ticks] == ["0.5", "1", "2", "4"]


def test_forest_plot_leaves_out_what_it_cannot_draw():
    plot = charts.forest_plot(title="T", description="D", sections=[("S", [("A", None, "[c]")])])
    assert plot.intervals[0].point_x is None and plot.intervals[0].text == "[c]"


def test_count_axes_have_whole_number_ticks_even_when_everything_is_small():
    chart = charts.bar_chart(
        title="T",
        description="D",
        categories=["A"],
        series=["One"],
        values=[[None]],
        suppressed=[[True]],
        fmt=lambda v: f"{v:,.0f}",
    )
    assert [t.text for t in chart.ticks] == ["0", "1", "2", "3", "4"]
