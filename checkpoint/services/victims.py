"""Keeping victims informed (DESIGN.md 1.1b): updates at the contract and at the outcome,
written to the outbox in the same transaction as the event that causes them."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from checkpoint.models import Case
from notifications import outbox
from notifications.models import Audience, Channel


def notify_victims(case: Case, *, event: str, now: datetime, **context) -> int:
    """Queue an update for each victim who asked to be kept informed. Returns how many."""
    count = 0
    for victim in case.victims.filter(keep_informed=True):
        channel, address = (
            (Channel.EMAIL, victim.email) if victim.email else (Channel.SMS, victim.mobile)
        )
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
                **context,
            },
        )
        count += 1
    return count
