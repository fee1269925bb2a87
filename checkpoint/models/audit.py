"""Logs of consultation: who looked at whose record, when, on which page (DPA 2018 s.62)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .case import Case
from .person import Person


class AccessLog(models.Model):
    """One row per page view that showed a person's record. Append-only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    page = models.CharField(max_length=80, help_text="The screen (URL name).")
    path = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["person", "at"], name="accesslog_person_at_idx"),
            models.Index(fields=["user", "at"], name="accesslog_user_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} viewed person {self.person_id} on {self.page}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Access log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Access log rows cannot be deleted.")
