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
