"""Benchmark: how long disclosure control takes on the largest tables a report builds. Not a
test: it prints figures.

Usage: .venv/bin/python bench/suppression.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reports.suppression import suppress


def outcomes(months: int) -> list[list[int]]:
    """Outcomes by month with margins: two columns of small and larger counts."""
    return [[(r * 7) % 9, (r * 5) % 4 + 6] for r in range(months)]


def funnel(groups: int) -> list[list[int]]:
    """An equality funnel with more groups than any dimension has."""
    return [[9 + r, 6, 5, 3 + r % 2, r % 3] for r in range(groups)]


def timed(run, repeat: int) -> tuple[float, float]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), max(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("table                          median      worst")
    for months in (12, 36, 120):
        median, worst = timed(lambda m=months: suppress(outcomes(m), k=5), args.repeat)
        print(
            f"outcomes by month, {months:>3} months  {median * 1000:8.1f} ms {worst * 1000:8.1f} ms"
        )
    for groups in (5, 10, 20):
        median, worst = timed(
            lambda g=groups: suppress(
                funnel(g), k=5, row_totals=False, col_totals=True, funnel=True
            ),
            args.repeat,
        )
        label = f"funnel, {groups:>2} groups x 5 stages"
        print(f"{label:<31}{median * 1000:8.1f} ms {worst * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
