"""Report tables: cells that know how to show themselves on the page and in a CSV.

A suppressed value shows as ``[c]`` (confidential), a value that cannot be worked out (a
rate with nothing to divide by) as ``[x]`` and one withheld as too unreliable (a confidence
limit on too few people) as ``[u]``, the Government Statistical Service's shorthand, on the
page and in the CSV alike. A value withheld for a reason a reader needs can say so instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from checkpoint.spreadsheet import write_csv

SUPPRESSED = "[c]"
NOT_AVAILABLE = "[x]"
UNRELIABLE = "[u]"


@dataclass(frozen=True)
class Cell:
    """One value. ``kind``: text, count, percent (a 0-1 fraction), ratio or days."""

    value: str | int | float | None
    kind: str = "count"
    suppressed: bool = False
    reason: str = ""  # shown instead of a value withheld for a stated reason

    @property
    def numeric(self) -> bool:
        return self.kind != "text"

    @property
    def display(self) -> str:
        if self.value is None:
            if self.reason:
                return self.reason
            return SUPPRESSED if self.suppressed else NOT_AVAILABLE
        if self.kind == "count":
            return f"{self.value:,}"
        if self.kind == "percent":
            return f"{self.value * 100:.1f}%"
        if self.kind == "ratio":
            return f"{self.value:.2f}"
        if self.kind == "days":
            return f"{self.value:.1f}"
        return str(self.value)

    @property
    def csv(self) -> str:
        """Plain numbers (percentages as 0-100, ratios to 3 places), markers as on the page."""
        if self.value is None or self.kind == "text":
            return self.display  # made safe from formulas by write_csv (CSV injection)
        if self.kind == "count":
            return str(self.value)
        if self.kind == "percent":
            return f"{self.value * 100:.1f}"
        return f"{self.value:.3f}" if self.kind == "ratio" else f"{self.value:.1f}"


def count(value: int | None) -> Cell:
    """A count from a suppressed grid: None there means suppressed."""
    return Cell(value, "count", suppressed=value is None)


def derived(value: float | None, kind: str, *, hidden: bool) -> Cell:
    """A rate, ratio or average: suppressed when worked out from a suppressed count."""
    return Cell(None if hidden else value, kind, suppressed=hidden)


def withheld(kind: str, reason: str) -> Cell:
    """A figure that could be worked out but is not shown, saying why (or a marker)."""
    return Cell(None, kind, reason=reason)


def text(value: str) -> Cell:
    return Cell(value, "text")


@dataclass
class Table:
    """A table with a caption, a header row and rows whose first cell labels the row."""

    slug: str
    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    total_row: list[Cell] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """(heading, numeric) pairs: a column is numeric when its first row's cell is."""
        first = self.all_rows()[0] if self.all_rows() else []
        return [
            (heading, i > 0 and i < len(first) and first[i].numeric)
            for i, heading in enumerate(self.headers)
        ]

    def all_rows(self) -> list[list[Cell]]:
        return self.rows + ([self.total_row] if self.total_row else [])

    def to_csv(self) -> str:
        """The table as CSV: the header row, then every row (the totals last); every cell
        neutralised against formulas (``checkpoint.spreadsheet``)."""
        return write_csv([self.headers, *([cell.csv for cell in row] for row in self.all_rows())])
