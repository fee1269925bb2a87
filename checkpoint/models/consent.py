"""Scans of the participant's signed consent form (DESIGN.md 1.1 stage 4: "The participant's
agreement is recorded (signed paper scanned, or in-person e-consent)").

A contract whose consent was given on a signed paper form keeps one or more scans of it. The
file is stored under ``PRIVATE_MEDIA_ROOT`` with a random name (``checkpoint.uploads``); the
row keeps what the user's file was called (made safe), the type its bytes show, its size and
SHA-256 (to show the file was not changed since), who uploaded it and when. Rows are written
by ``services.consent_document_add`` only, and never changed (history-tracked).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from checkpoint.uploads import JPEG, PDF, PNG, consent_upload_to, private_storage

from .base import choices_check
from .contract import Contract


class ScanType(models.TextChoices):
    PDF = PDF, "PDF"
    JPEG = JPEG, "JPG"
    PNG = PNG, "PNG"


class ConsentDocument(models.Model):
    """One uploaded scan of a signed consent form."""

    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, related_name="consent_documents"
    )
    file = models.FileField(storage=private_storage, upload_to=consent_upload_to, max_length=100)
    original_filename = models.CharField(max_length=100)
    content_type = models.CharField(max_length=20, choices=ScanType.choices)
    size = models.PositiveIntegerField(help_text="In bytes.")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        constraints = [
            choices_check("content_type", ScanType),
            models.CheckConstraint(condition=Q(size__gt=0), name="consentdocument_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Consent form scan #{self.pk} ({self.contract})"


class ContractCopy(models.Model):
    """The participant agreed to be sent a copy of their signed contract by email, to this
    address: who recorded their consent and when. One row per copy sent (GOV.UK Notify's file
    sending: a download link, the address confirmed before download; the outbox message links
    the scan that was sent)."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="email_copies")
    document = models.ForeignKey(
        ConsentDocument, on_delete=models.PROTECT, related_name="email_copies"
    )
    email = models.EmailField()
    consent_given_at = models.DateTimeField()
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["consent_given_at", "pk"]

    def __str__(self) -> str:
        return f"Copy of the signed contract by email ({self.contract})"
