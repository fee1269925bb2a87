"""Writing to and delivering from the outbox.

Writers call these inside their own transaction (the outbox is transactional: the message
exists exactly when its cause does). ``deliver_due`` is run by the worker (beat every few
seconds, and as a management command); it claims due rows with compare-and-set so two workers
never send the same row, and records the provider's id. ``reconcile_stuck`` recovers rows a
killed worker left in 'sending' by asking the provider whether our reference arrived.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F

from .gateway import (
    Attachment,
    NotifyGateway,
    PermanentDeliveryError,
    TransientDeliveryError,
    get_gateway,
)
from .models import Audience, Channel, Message, Status
from .rendering import render

logger = logging.getLogger(__name__)

REMINDER_OFFSETS = {"48h": timedelta(hours=48), "2h": timedelta(hours=2)}
# Retry delays after a transient failure: 1 min, 5 min, 30 min, 2 h, 6 h, then give up.
BACKOFF = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
]
STUCK_AFTER = timedelta(minutes=10)  # far longer than the gateway's own 10 s timeout
# Reasons recorded on a reminder dropped at delivery time (shown in the admin's outbox).
STALE_STARTED = "Not sent: the appointment had already started"
STALE_CANCELLED = "Not sent: the appointment was cancelled"


def enqueue(
    *,
    key: str,
    channel: str,
    audience: str,
    recipient: str,
    template: str,
    context: dict,
    send_after: datetime,
    **links,
) -> None:
    """Write one message (once: a repeated key is ignored). Call inside the cause's
    transaction."""
    Message.objects.bulk_create(
        [
            Message(
                dedupe_key=key,
                channel=channel,
                audience=audience,
                recipient=recipient,
                template=template,
                context=context,
                send_after=send_after,
                next_attempt_at=send_after,
                **links,
            )
        ],
        ignore_conflicts=True,
    )


def participant_contacts(person) -> list[tuple[str, str]]:
    """The channels this participant consented to, with an address for each."""
    contacts: list[tuple[str, str]] = []
    if person.sms_reminders and person.mobile:
        contacts.append((Channel.SMS, person.mobile))
    if person.email_reminders and person.email:
        contacts.append((Channel.EMAIL, person.email))
    return contacts


def schedule_appointment_reminders(appointment, *, now: datetime) -> None:
    """48 h and 2 h before the appointment, by each channel the participant agreed to."""
    person = appointment.case.person
    context = {
        "given_name": person.given_name,
        "when": appointment.starts_at.isoformat(),
        "location": appointment.location,
        "phone": settings.CHECKPOINT_CONTACT_PHONE,
    }
    for label, offset in REMINDER_OFFSETS.items():
        due = appointment.starts_at - offset
        if due <= now:
            continue  # booked too late for this reminder
        for channel, address in participant_contacts(person):
            enqueue(
                key=f"reminder:{label}:appointment:{appointment.pk}:{channel}",
                channel=channel,
                audience=Audience.PARTICIPANT,
                recipient=address,
                template="appointment_reminder",
                context=context,
                send_after=due,
                case_id=appointment.case_id,
                person=person,
                appointment=appointment,
            )


def cancel_appointment_reminders(appointment_id: int) -> int:
    return Message.objects.filter(appointment_id=appointment_id, status=Status.PENDING).update(
        status=Status.CANCELLED, last_error="Appointment changed"
    )


def cancel_participant_messages(person_id: int, channels: Sequence[str]) -> int:
    return Message.objects.filter(
        person_id=person_id,
        audience=Audience.PARTICIPANT,
        channel__in=channels,
        status=Status.PENDING,
    ).update(status=Status.CANCELLED, last_error="Participant opted out")


# --- delivery -------------------------------------------------------------------------------
def deliver_due(*, now: datetime, limit: int = 200, gateway: NotifyGateway | None = None) -> dict:
    """Send up to ``limit`` due messages. Returns counts by result."""
    gateway = gateway or get_gateway()
    claimed = _claim(now, limit)
    counts = {"sent": 0, "retry": 0, "failed": 0, "cancelled": 0}
    for message in Message.objects.filter(pk__in=claimed).select_related(
        "person", "appointment", "document"
    ):
        counts[_deliver_one(message, now, gateway)] += 1
    return counts


def _claim(now: datetime, limit: int) -> list[int]:
    """Move due rows pending -> sending. Race guarded: two workers claiming at once. Rows are
    locked (skipped if another worker holds them) and the update re-checks the status, so a
    row is claimed by exactly one worker."""
    with transaction.atomic():
        due = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        Message.objects.filter(pk__in=due, status=Status.PENDING).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return due


def _deliver_one(message: Message, now: datetime, gateway: NotifyGateway) -> str:
    if message.audience == Audience.PARTICIPANT and not _still_consents(message):
        _finish(message, status=Status.CANCELLED, last_error="No consent for this channel now")
        return "cancelled"
    stale = _stale_reason(message, now)
    if stale:
        # A worker that was down (or a fresh start) finds reminders whose moment has passed:
        # a reminder for an appointment already started is wrong, so it is dropped, with why.
        _finish(message, status=Status.CANCELLED, last_error=stale)
        return "cancelled"
    if message.attempts > 1:
        # A retry: an earlier attempt may have timed out after the provider accepted it.
        try:
            if _already_accepted(message, now, gateway):
                return "sent"
        except TransientDeliveryError as exc:
            # Cannot tell whether it arrived: wait rather than risk sending it twice.
            return _retry_later(message, now, f"Could not check an earlier attempt: {exc}")
    subject, body = render(message.template, message.context, language=language_of(message))
    try:
        receipt = gateway.send(
            channel=message.channel,
            to=message.recipient,
            subject=subject,
            body=body,
            reference=message.reference,
            attachment=_attachment(message),
        )
    except PermanentDeliveryError as exc:
        _finish(message, status=Status.FAILED, last_error=str(exc))
        return "failed"
    except TransientDeliveryError as exc:
        return _retry_later(message, now, str(exc))
    _finish(
        message,
        status=Status.SENT,
        provider_id=receipt.provider_id,
        provider_status=receipt.status,
        sent_at=now,
        last_error="",
    )
    return "sent"


def language_of(message: Message) -> str | None:
    """The language a message is written in: a participant's as recorded now (they may have
    changed it since the message was queued), else the one queued with it (a victim's), else
    English. Staff messages have no translations and are always English."""
    if message.audience == Audience.PARTICIPANT and message.person is not None:
        return message.person.preferred_language
    return message.context.get("language")


def _attachment(message: Message) -> Attachment | None:
    """The file an email carries (the signed contract), read from private storage."""
    document = message.document
    if document is None:
        return None
    try:
        with document.file.open("rb") as handle:
            content = handle.read()
    except OSError as exc:  # erased, or storage lost: sending later will not help
        raise PermanentDeliveryError("The file to send could not be read") from exc
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
    return Attachment(
        content=content,
        # The name the recipient downloads; the type Notify checks is the file's own.
        filename=f"checkpoint-signed-contract.{extension.get(document.content_type, 'pdf')}",
        retention_days=settings.NOTIFY_FILE_RETENTION_DAYS,
    )


def _already_accepted(message: Message, now: datetime, gateway: NotifyGateway) -> bool:
    """Before retrying, ask the provider whether our reference already arrived (a failed
    question raises TransientDeliveryError)."""
    receipt = gateway.find(message.reference)
    if receipt is None:
        return False
    _finish(
        message,
        status=Status.SENT,
        provider_id=receipt.provider_id,
        provider_status=receipt.status,
        sent_at=now,
        last_error="",
    )
    return True


def _stale_reason(message: Message, now: datetime) -> str:
    """Why a reminder must no longer be sent ('' if it still may be)."""
    appointment = message.appointment
    if appointment is None:
        return ""
    if appointment.cancelled_at is not None:
        return STALE_CANCELLED
    if appointment.starts_at <= now:
        return STALE_STARTED
    return ""


def _still_consents(message: Message) -> bool:
    if message.document_id is not None:
        # A copy of their contract: consented to for this one email (``ContractCopy``), not
        # through the reminder channels.
        return True
    return (message.channel, message.recipient) in participant_contacts(message.person)


def _retry_later(message: Message, now: datetime, error: str) -> str:
    if message.attempts > len(BACKOFF):
        _finish(message, status=Status.FAILED, last_error=f"Gave up after retries: {error}")
        return "failed"
    _finish(
        message,
        status=Status.PENDING,
        last_error=error,
        next_attempt_at=now + BACKOFF[message.attempts - 1],
    )
    return "retry"


def _finish(message: Message, **fields) -> None:
    # Compare-and-set: only the worker that claimed the row (status 'sending') may finish it.
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(**fields)


def reconcile_stuck(*, now: datetime, gateway: NotifyGateway | None = None) -> dict:
    """Rows left in 'sending' by a killed worker: sent if the provider has our reference,
    otherwise back to pending. Nothing is lost and nothing is sent twice."""
    gateway = gateway or get_gateway()
    counts = {"sent": 0, "requeued": 0}
    stuck = Message.objects.filter(status=Status.SENDING, claimed_at__lt=now - STUCK_AFTER)
    for message in stuck:
        receipt = gateway.find(message.reference)
        if receipt is not None:
            _finish(
                message,
                status=Status.SENT,
                provider_id=receipt.provider_id,
                provider_status=receipt.status,
                sent_at=message.claimed_at,
            )
            counts["sent"] += 1
        else:
            _finish(
                message,
                status=Status.PENDING,
                next_attempt_at=now,
                last_error="Worker stopped before sending; requeued",
            )
            counts["requeued"] += 1
    return counts


def retry_failed(message_ids: list[int], *, now: datetime) -> int:
    """An operator retries failed messages (admin action)."""
    return Message.objects.filter(pk__in=message_ids, status=Status.FAILED).update(
        status=Status.PENDING, next_attempt_at=now, attempts=0, last_error=""
    )


def outbox_summary() -> dict:
    return {
        status: Message.objects.filter(status=status).count()
        for status in (Status.PENDING, Status.SENDING, Status.FAILED)
    }
