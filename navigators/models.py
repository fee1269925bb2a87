"""The navigators' own records: the secret address of each navigator's calendar feed."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A navigator's iCalendar feed, at an unguessable address their calendar app polls (it
    cannot sign in). It carries initials and case references only; replacing the token stops
    the old address working at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of user {self.user_id}"
