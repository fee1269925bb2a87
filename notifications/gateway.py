"""Delivery through GOV.UK Notify, behind a small interface.

``GovNotifyGateway`` wraps the official client (notifications-python-client). Our message
templates live in the repository and are rendered here; Notify is given one generic SMS and one
generic email template whose personalisation is ``((subject))`` and ``((body))``; an email
carrying a file (the participant's signed contract, sent with their consent) uses a third
template that also has ``((link_to_file))``: Notify's file sending (``prepare_upload``), with the
recipient confirming their email address before the download and the file kept for
``NOTIFY_FILE_RETENTION_DAYS``.

``FakeNotifyGateway`` has the same interface and records what it would send in the database
(``FakeDelivery``); it is used by tests and by the embedded default, and can be told to fail.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)


class DeliveryError(Exception):
    """The provider refused or could not be reached."""


class TransientDeliveryError(DeliveryError):
    """Worth retrying later (network, timeout, 429, 5xx)."""


class PermanentDeliveryError(DeliveryError):
    """Retrying will not help (invalid number or address, bad request)."""


@dataclass(frozen=True)
class Receipt:
    provider_id: str
    status: str


# GOV.UK Notify keeps a sent file for 1 to 78 weeks and accepts files up to 2 MB.
FILE_SIZE_LIMIT = 2 * 1024 * 1024


def retention_period(days: int) -> str:
    """Notify's ``retention_period`` for a number of days: whole weeks, 1 to 78."""
    if days % 7 or not 7 <= days <= 78 * 7:
        raise ImproperlyConfigured(
            f"NOTIFY_FILE_RETENTION_DAYS must be whole weeks from 7 to 546 days, not {days}"
        )
    weeks = days // 7
    return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"


@dataclass(frozen=True)
class Attachment:
    """A file sent by email as a download link: the recipient confirms their email address
    before downloading it; Notify keeps it for ``retention_days``."""

    content: bytes
    filename: str
    retention_days: int
    confirm_email_before_download: bool = True

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class NotifyGateway:
    """The interface: send a rendered message (an email may carry a file); find one by our
    reference."""

    def send(
        self,
        *,
        channel: str,
        to: str,
        subject: str,
        body: str,
        reference: str,
        attachment: Attachment | None = None,
    ) -> Receipt:
        raise NotImplementedError

    def find(self, reference: str) -> Receipt | None:
        raise NotImplementedError


class GovNotifyGateway(NotifyGateway):
    def __init__(
        self,
        *,
        api_key: str,
        sms_template_id: str,
        email_template_id: str,
        email_file_template_id: str = "",
        timeout: float = 10.0,
    ) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key, timeout=timeout)
        self.templates = {
            "sms": sms_template_id,
            "email": email_template_id,
            "email_file": email_file_template_id,
        }

    def send(self, *, channel, to, subject, body, reference, attachment=None) -> Receipt:
        personalisation: dict = {"subject": subject, "body": body}
        try:
            if attachment is not None:
                response = self._send_file(to, personalisation, reference, attachment)
            elif channel == "sms":
                response = self.client.send_sms_notification(
                    phone_number=to,
                    template_id=self.templates["sms"],
                    personalisation=personalisation,
                    reference=reference,
                )
            else:
                response = self.client.send_email_notification(
                    email_address=to,
                    template_id=self.templates["email"],
                    personalisation=personalisation,
                    reference=reference,
                )
        except Exception as exc:
            raise _classify(exc) from exc
        return Receipt(provider_id=response["id"], status="created")

    def _send_file(self, to, personalisation, reference, attachment: Attachment) -> dict:
        from notifications_python_client import prepare_upload

        if not self.templates["email_file"]:
            raise PermanentDeliveryError("NOTIFY_EMAIL_FILE_TEMPLATE_ID is not set")
        personalisation["link_to_file"] = prepare_upload(
            io.BytesIO(attachment.content),
            filename=attachment.filename,
            confirm_email_before_download=attachment.confirm_email_before_download,
            retention_period=retention_period(attachment.retention_days),
        )
        return self.client.send_email_notification(
            email_address=to,
            template_id=self.templates["email_file"],
            personalisation=personalisation,
            reference=reference,
        )

    def find(self, reference: str) -> Receipt | None:
        try:
            found = self.client.get_all_notifications(reference=reference)["notifications"]
        except Exception as exc:
            raise _classify(exc) from exc
        return Receipt(found[0]["id"], found[0]["status"]) if found else None


def _classify(exc: Exception) -> DeliveryError:
    from notifications_python_client.errors import HTTPError

    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, ValueError | ImproperlyConfigured):
        return PermanentDeliveryError(str(exc)[:500])  # e.g. "File is larger than 2MB"
    if isinstance(exc, HTTPError) and 400 <= exc.status_code < 500 and exc.status_code != 429:
        return PermanentDeliveryError(f"{exc.status_code}: {exc.message}")
    return TransientDeliveryError(str(exc)[:500])


class FakeNotifyGateway(NotifyGateway):
    """Records deliveries in ``FakeDelivery``. ``fail_next`` makes the next sends fail."""

    _failures: list[type[DeliveryError]] = []
    _counter = itertools.count()

    @classmethod
    def fail_next(cls, times: int = 1, *, permanent: bool = False) -> None:
        error = PermanentDeliveryError if permanent else TransientDeliveryError
        cls._failures.extend([error] * times)

    @classmethod
    def reset(cls) -> None:
        cls._failures.clear()

    def send(self, *, channel, to, subject, body, reference, attachment=None) -> Receipt:
        from notifications.models import FakeDelivery

        if self._failures:
            raise self._failures.pop(0)("Fake Notify was told to fail")
        file_fields = {}
        if attachment is not None:
            # What GOV.UK Notify would be given (and refuse), so the tests see it.
            if channel != "email":
                raise PermanentDeliveryError("Only an email can carry a file")
            if len(attachment.content) > FILE_SIZE_LIMIT:
                raise PermanentDeliveryError("File is larger than 2MB")
            file_fields = {
                "file_name": attachment.filename,
                "file_sha256": attachment.sha256,
                "file_confirm_email": attachment.confirm_email_before_download,
                "file_retention_period": retention_period(attachment.retention_days),
            }
        delivery = FakeDelivery.objects.create(
            provider_id=str(uuid.uuid4()),
            reference=reference,
            channel=channel,
            recipient=to,
            subject=subject,
            body=body,
            **file_fields,
        )
        logger.info("fake notify: %s message %s accepted", channel, reference)
        return Receipt(delivery.provider_id, "delivered")

    def find(self, reference: str) -> Receipt | None:
        from notifications.models import FakeDelivery

        delivery = FakeDelivery.objects.filter(reference=reference).first()
        return Receipt(delivery.provider_id, "delivered") if delivery else None


def get_gateway() -> NotifyGateway:
    """GOV.UK Notify when an API key is configured, else the recording fake."""
    if settings.NOTIFY_API_KEY:
        return GovNotifyGateway(
            api_key=settings.NOTIFY_API_KEY,
            sms_template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
            email_template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            email_file_template_id=settings.NOTIFY_EMAIL_FILE_TEMPLATE_ID,
        )
    return FakeNotifyGateway()
