"""CSV that a spreadsheet opens as data, never as formulas (CSV injection, OWASP).

Every CSV the service writes goes through ``write_csv``. A spreadsheet program runs a cell as a
formula (or a DDE command) when it starts with ``=``, ``+``, ``-`` or ``@``, and a tab, carriage
return or line feed at the start can carry one in; Excel and LibreOffice also read the
full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20) and the small forms (U+FE66, U+FE62, U+FE63,
U+FE6B) as the ASCII ones, and skip leading spaces, quotes and list separators (``;=``, `` =``,
``,=``). So a text cell is prefixed with an apostrophe (which spreadsheets read as "this is
text") when, after any leading spaces, quotes and separators, its first character is, or
normalises (NFKC) to, one of these.

A plain number ("-3", "+1.5", "0.250") is data, not a formula, and is written as it is. Every
cell is quoted, so a separator inside a cell (";" for spreadsheets set to a European locale)
never splits it into a new cell that could start with a trigger.

Pure functions (no ORM, no Django): any app may use them.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal

# What a spreadsheet runs as a formula when a cell starts with it (after NFKC normalisation,
# which maps the full-width and small forms onto these).
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n")
# What a spreadsheet may skip before it looks for a trigger: whitespace, quotes and the list
# separators of the common locales.
_SKIPPED = " \u00a0\u3000\"'`,;|"
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?", re.ASCII)
NEUTRALISER = "'"

Value = str | int | float | Decimal | None


def starts_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula."""
    if _PLAIN_NUMBER.fullmatch(text):
        return False
    for ch in text:
        normal = unicodedata.normalize("NFKC", ch)
        if ch in FORMULA_TRIGGERS or (normal and normal[0] in FORMULA_TRIGGERS):
            return True
        if ch in _SKIPPED or normal in _SKIPPED or unicodedata.category(ch) in ("Zs", "Cf"):
            continue
        return False
    return False


def safe_cell(value: Value) -> str:
    """One cell as text a spreadsheet shows as it is: formula triggers neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    return NEUTRALISER + text if starts_formula(text) else text


def write_csv(rows: Iterable[Sequence[Value]]) -> str:
    """Rows as CSV text (CRLF line ends, every cell quoted and made safe)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return out.getvalue()
