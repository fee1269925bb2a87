"""Keeping victims informed (DESIGN.md 1.1b): updates at the contract and at the outcome,
written to the outbox in the same transaction as the event that causes them."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from checkpoint.models import Case, VictimWishes
from notifications import outbox
from notifications.models import Audience, Channel


def current_wishes(case: Case) -> list[VictimWishes]:
    """The latest wishes of each victim of the case.

    Wishes are recorded again, not edited, when they change: the newest record for a victim
    (by name, ignoring case and spacing) replaces the earlier ones, so a victim who no longer
    wants updates gets none.
    """
    latest: dict[str, VictimWishes] = {}
    for wishes in case.victims.order_by("-recorded_on", "-pk"):
        latest.setdefault(" ".join(wishes.name.casefold().split()), wishes)
    return sorted(latest.values(), key=lambda wishes: wishes.pk)


def notify_victims(case: Case, *, event: str, now: datetime, **context: object) -> int:
    """Queue one update for each victim who (by their latest wishes) asked to be kept
    informed, never two to the same address for one event. Returns how many."""
    count = 0
    addresses = set()
    for victim in current_wishes(case):
        if not victim.keep_informed:
            continue
        channel, address = (
            (Channel.EMAIL, victim.email) if victim.email else (Channel.SMS, victim.mobile)
        )
        if address.casefold() in addresses:
            continue
        addresses.add(address.casefold())
        outbox.enqueue(
            key=f"victim:{event}:wishes:{victim.pk}",
            channel=channel,
            audience=Audience.VICTIM,
            recipient=address,
            template=f"victim_{event}",
            send_after=now,
            case=case,
            context={
                "name": victim.name,
                "reference": case.reference,
                "phone": settings.CHECKPOINT_CONTACT_PHONE,
                # Written in the victim's language when it is delivered (notifications.rendering).
                "language": victim.preferred_language,
                **context,
            },
        )
        count += 1
    return count
