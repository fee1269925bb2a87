"""Staff: teams, roles and each user's place in them.

Roles are Django groups carrying permissions (see ``checkpoint.roles``); the relationship part
of access (whose caseload, which team) comes from ``StaffProfile`` and ``CaseShare``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Team(models.Model):
    """A navigator team, led by one or more supervisors."""

    name = models.CharField(max_length=100, unique=True)
    area = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    """Where a member of staff sits: their team (navigators and supervisors)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    job_title = models.CharField(max_length=100, blank=True)

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.team or 'no team'})"
