"""The web shell's own records: forms already submitted (the duplicate guard)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FormSubmission(models.Model):
    """One use of a form instance: the token a form page carries, claimed by its first
    submission in the same transaction as what it saves. A second submission of the same
    form (Back and resubmit, a double click, the same page in two tabs) finds the token used
    and saves nothing."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=100, help_text="The screen's URL name.")
    saved = models.CharField(max_length=300, help_text="What was saved, as the user was told.")
    next_url = models.CharField(max_length=300)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["submitted_at"], name="formsubmission_at_idx")]

    def __str__(self) -> str:
        return f"{self.page} by {self.user_id} at {self.submitted_at:%Y-%m-%d %H:%M}"
