"""Reads for disclosures: whether a logged disclosure lets this user see the document now."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from checkpoint.models import DisclosureLog


def disclosure_grant_for(user, grant: int | None, *, kind: str, what: str, case=None) -> bool:
    """True when ``grant`` (a disclosure log id from the query string) is this user's own
    disclosure of exactly this document, logged within ``DISCLOSURE_GRANT_MINUTES``.

    Another user's id, another case's, another report's or an old one is refused, so a link
    passed on or bookmarked asks its holder for their own justification.
    """
    if not isinstance(grant, int) or isinstance(grant, bool) or grant < 1:
        return False  # the screen parses the query string (web.params): anything else is none
    since = timezone.now() - timedelta(minutes=settings.DISCLOSURE_GRANT_MINUTES)
    return DisclosureLog.objects.filter(
        pk=grant,
        user=user,
        kind=kind,
        case=case,
        what=what[:300],
        at__gte=since,
    ).exists()
