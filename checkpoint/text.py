"""How the domain writes common values for people to read: hours, names, dates (GOV.UK style).

Pure functions, used by the domain's messages, the screens (through template filters) and the
scheduled work alike, so the same value reads the same everywhere.
"""

from __future__ import annotations

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


def long_date(value: date) -> str:
    """GOV.UK style: 3 December 2026 (no leading zero)."""
    return f"{value.day} {value:%B %Y}"
