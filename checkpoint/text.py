"""How the domain writes common values for people to read: hours, names, dates (GOV.UK style).

Pure functions, used by the domain's messages, the screens (through template filters) and the
scheduled work alike, so the same value reads the same everywhere.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any


def format_hours(value: Decimal | int | float | str | None) -> str:
    """Hours without trailing zeros: 4.50 -> "4.5", 6.00 -> "6"; nothing -> "0"."""
    if value is None or value == "":
        return "0"
    number = Decimal(value)
    if number == number.to_integral_value():
        return str(number.to_integral_value())
    return format(number.normalize(), "f")


def display_name(user: Any) -> str:
    """A member of staff as people know them: full name, else username; "" for nobody."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def search_key(text: str) -> str:
    """Text as searched: accents removed, case folded, spaces collapsed ("Ní Bhriain" and
    "ni  bhriain" are both "ni bhriain"; "O'Shea" keeps its apostrophe)."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


def normalise_pnc(pnc_id: str) -> str:
    """A Police National Computer ID as stored and compared: upper case, no spaces
    ("26/123456a " -> "26/123456A")."""
    return "".join(pnc_id.split()).upper()


def long_date(value: date) -> str:
    """GOV.UK style: 3 December 2026 (no leading zero)."""
    return f"{value.day} {value:%B %Y}"


# Characters refused in names and references: they do not show, or show other than stored.
# C0 and C1 controls (NUL, escape, the line breaks of a single line), and the bidirectional
# formatting characters that reorder what is shown (a "right-to-left override" makes
# "CP-1234" + U+202E + "gpj.exe" read as something else): U+061C, U+200E/F, U+202A-U+202E,
# U+2066-U+2069.
# Zero-width joiners (U+200C/D) stay: some scripts need them in names.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
LINE_BREAKS = frozenset("\n\r\u2028\u2029\x85\x0b\x0c")
HIDDEN_TEXT_MESSAGE = (
    "{what} must not contain control characters or hidden text-direction characters"
)


def has_hidden_characters(value: str, *, multiline: bool = False) -> bool:
    """Whether ``value`` holds a control character (tabs and line breaks allowed when
    ``multiline``), a line or paragraph separator in a single line, or a bidirectional
    formatting character."""
    for ch in value:
        if ch in BIDI_CONTROLS:
            return True
        if multiline and ch in "\n\r\t":
            continue
        if ch in LINE_BREAKS or unicodedata.category(ch) == "Cc":
            return True
    return False


def hidden_characters_message(what: str) -> str:
    """The message for a value refused by ``has_hidden_characters``: "Full name must not
    contain control characters or hidden text-direction characters"."""
    return HIDDEN_TEXT_MESSAGE.format(what=what[:1].upper() + what[1:])


class PlainText:
    """A validator (forms and model fields) refusing ``has_hidden_characters`` values, with a
    message naming the field: ``PlainText("Family name")``."""

    code = "hidden_characters"

    def __init__(self, what: str, *, multiline: bool = False) -> None:
        self.what = what
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        from django.core.exceptions import ValidationError

        if isinstance(value, str) and has_hidden_characters(value, multiline=self.multiline):
            raise ValidationError(hidden_characters_message(self.what), code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainText) and (self.what, self.multiline) == (
            other.what,
            other.multiline,
        )

    def __hash__(self) -> int:
        return hash((self.what, self.multiline))
