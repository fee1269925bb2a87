"""Links in the messages the domain writes (an email to staff names the case to open).

The domain builds no URL itself: it asks for a link by what it points at (``CASE``,
``CASELOAD``), and the screen app that shows it registers how to build one when it starts
(``register``, from its ``AppConfig.ready``). A link nobody registered is an error, never a
message without its link.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from django.conf import settings

CASE: Final = "case"  # a case's page; takes reference=
CASELOAD: Final = "caseload"  # a navigator's caseload
# One user's refusals in the administrators' audit log search; takes username=
AUDIT_REFUSALS: Final = "audit-refusals"

_builders: dict[str, Callable[..., str]] = {}


def register(kind: str, build: Callable[..., str]) -> None:
    """Say how to build the path of a ``kind`` of link (the screen app that shows it)."""
    _builders[kind] = build


def url(kind: str, **params: str) -> str:
    """The absolute address of a ``kind`` of link, for a message (``SITE_URL`` + path)."""
    try:
        build = _builders[kind]
    except KeyError:
        raise LookupError(f"No screen app registered links to {kind!r}.") from None
    return str(settings.SITE_URL) + build(**params)
