"""A copy of the signed contract for the participant, by email, with their consent (issue 18).

The participant agrees, to a member of staff, to be sent the signed contract at an email
address; the consent (who recorded it, when, the address) is kept as a ``ContractCopy`` and the
email is written to the outbox in the same transaction. It is delivered through GOV.UK Notify's
file sending: the email holds a download link, the recipient confirms their email address
before downloading, and Notify keeps the file for ``NOTIFY_FILE_RETENTION_DAYS``. The email is
written in the participant's language.

What is sent is the latest scan of the signed consent form (a contract signed on paper).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from checkpoint.actors import Actor, user_of
from checkpoint.models import TERMINAL_STATES, Case, ConsentDocument, Contract, ContractCopy
from checkpoint.permissions import Permission
from notifications import outbox
from notifications.gateway import FILE_SIZE_LIMIT
from notifications.models import Audience, Channel

from .common import resolve_now
from .errors import InvalidInput, TransitionBlocked
from .locking import lock_case


@transaction.atomic
def contract_copy_send(
    *, case_id: int, by: Actor, email: str, consent: bool, now: datetime | None = None
) -> ContractCopy:
    """Record the participant's consent and queue the email with their signed contract.

    Allowed to whoever may change the contract (navigators and supervisors who reach the case),
    once the contract is signed and its signed form is scanned, while the case is open.
    """
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.BUILD_CONTRACT, related=("contract",))
    contract, document, signed_at = _signed_contract_scan(case)
    email = _participant_email(email, consent=consent)
    copy = ContractCopy.objects.create(
        contract=contract,
        document=document,
        email=email,
        consent_given_at=now,
        consent_recorded_by=user_of(by),
    )
    person = case.person
    outbox.enqueue(
        key=f"contract-copy:{copy.pk}",
        channel=Channel.EMAIL,
        audience=Audience.PARTICIPANT,
        recipient=email,
        template="contract_copy",
        context={
            "given_name": person.given_name,
            "signed_on": signed_at.isoformat(),
            "available_until": (
                now + timedelta(days=settings.NOTIFY_FILE_RETENTION_DAYS)
            ).isoformat(),
            "phone": settings.CHECKPOINT_CONTACT_PHONE,
        },
        send_after=now,
        case=case,
        person=person,
        document=document,
    )
    return copy


def _signed_contract_scan(case: Case) -> tuple[Contract, ConsentDocument, datetime]:
    """The case's signed contract, the latest scan of it and when it was signed, if a copy
    may be sent now."""
    contract = getattr(case, "contract", None)
    if case.state in TERMINAL_STATES:
        raise TransitionBlocked(
            f"This case is now '{case.get_state_display()}': a copy of the contract is sent "
            "while the case is open."
        )
    if contract is None or contract.signed_at is None:
        raise TransitionBlocked("The contract is not signed yet: send a copy once it is signed.")
    document = contract.consent_documents.order_by("-uploaded_at", "-pk").first()
    if document is None:
        raise TransitionBlocked(
            "There is no scan of the signed contract to send: upload the scan first."
        )
    if document.size > FILE_SIZE_LIMIT:
        raise TransitionBlocked(
            "The scan of the signed contract is larger than 2 MB, the most GOV.UK Notify "
            "sends: upload a smaller scan."
        )
    return contract, document, contract.signed_at


def _participant_email(email: str, *, consent: bool) -> str:
    """The address as typed (trimmed), once it is an address and the consent is given."""
    email = email.strip()
    if not email:
        raise InvalidInput("Enter the participant's email address", field="email")
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(
            "Enter an email address in the correct format, like name@example.com", field="email"
        ) from None
    if not consent:
        raise InvalidInput(
            "Confirm that the participant agrees to be sent their contract by email",
            field="consent",
        )
    return email
