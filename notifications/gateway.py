"""Delivery through GOV.UK Notify, behind a small interface.

``GovNotifyGateway`` wraps the official client (notifications-python-client). Our message
templates live in the repository and are rendered here; Notify is given one generic SMS and one
generic email template whose personalisation is ``((subject))`` and ``((body))``.

``FakeNotifyGateway`` has the same interface and records what it would send in the database
(``FakeDelivery``); it is used by tests and by the embedded default, and can be told to fail.
"""

from __future__ import annotations

import itertools
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings

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


class NotifyGateway:
    """The interface: send a rendered message; find one by our reference."""

    def send(self, *, channel: str, to: str, subject: str, body: str, reference: str) -> Receipt:
        raise NotImplementedError

    def find(self, reference: str) -> Receipt | None:
        raise NotImplementedError


class GovNotifyGateway(NotifyGateway):
    def __init__(
        self, *, api_key: str, sms_template_id: str, email_template_id: str, timeout: float = 10.0
    ) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key, timeout=timeout)
        self.templates = {"sms": sms_template_id, "email": email_template_id}

    def send(self, *, channel, to, subject, body, reference) -> Receipt:
        personalisation = {"subject": subject, "body": body}
        try:
            if channel == "sms":
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

    def find(self, reference: str) -> Receipt | None:
        try:
            found = self.client.get_all_notifications(reference=reference)["notifications"]
        except Exception as exc:
            raise _classify(exc) from exc
        return Receipt(found[0]["id"], found[0]["status"]) if found else None


def _classify(exc: Exception) -> DeliveryError:
    from notifications_python_client.errors import HTTPError

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

    def send(self, *, channel, to, subject, body, reference) -> Receipt:
        from notifications.models import FakeDelivery

        if self._failures:
            raise self._failures.pop(0)("Fake Notify was told to fail")
        delivery = FakeDelivery.objects.create(
            provider_id=str(uuid.uuid4()),
            reference=reference,
            channel=channel,
            recipient=to,
            subject=subject,
            body=body,
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
        )
    return FakeNotifyGateway()
