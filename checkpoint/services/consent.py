"""Scans of the signed consent form: stored against the contract, privately (DESIGN.md 1.1
stage 4; ``checkpoint.uploads`` says where and what is accepted).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from checkpoint import uploads
from checkpoint.actors import Actor, user_of
from checkpoint.models import TERMINAL_STATES, ConsentDocument, ConsentMethod
from checkpoint.permissions import Permission

from .common import resolve_now
from .errors import InvalidInput, TransitionBlocked
from .locking import authorise, lock_case

logger = logging.getLogger(__name__)


@transaction.atomic
def consent_document_add(
    *, case_id: int, by: Actor, upload: UploadedFile, now: datetime | None = None
) -> ConsentDocument:
    """Store a scan of the participant's signed consent form with the case's contract.

    Allowed to whoever may change the contract (navigators and supervisors who reach the case),
    while the case is open and once consent is recorded as given on a signed paper form: when
    consent is recorded, or afterwards (after signing too). The file is checked again here
    (type by its bytes, size, name) whatever the form did.

    The file is written before the row: if the transaction then rolls back, the file is left
    with no row pointing to it, unreachable from the application, until
    ``consent_orphans_remove`` deletes it.
    """
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.BUILD_CONTRACT, related=("contract",))
    contract = getattr(case, "contract", None)
    if case.state in TERMINAL_STATES:
        raise TransitionBlocked(
            f"This case is now '{case.get_state_display()}': consent forms are uploaded while "
            "the case is open."
        )
    if contract is None or contract.consent_method != ConsentMethod.PAPER_SIGNED:
        raise TransitionBlocked(
            "Record the participant's consent as given on a signed paper form, then upload "
            "its scan."
        )
    try:
        checked = uploads.check_upload(upload, max_bytes=settings.CONSENT_UPLOAD_MAX_BYTES)
    except uploads.UploadRefused as err:
        raise InvalidInput(err.message, field="scan") from None
    document = ConsentDocument(
        contract=contract,
        original_filename=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user_of(by),
        uploaded_at=now,
    )
    document.file.save("scan", upload, save=False)  # upload_to gives it a random name
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    logger.info(
        "consent document %s stored for case %s by user %s", document.pk, case.pk, user_of(by).pk
    )
    return document


ORPHAN_MIN_AGE = timedelta(hours=24)


def consent_orphans_remove(*, by: Actor, now: datetime | None = None) -> int:
    """Delete stored scan files that no consent document points to (left by an upload whose
    transaction rolled back), once they are a day old: a younger one may belong to an upload
    still in progress (a document saved after the listing below has such a young file).
    Returns how many were deleted. Run daily with the retention review, by the scheduled work.
    """
    authorise(by, Permission.RUN_SCHEDULED_WORK)
    now = resolve_now(now)
    storage = uploads.private_storage
    try:
        _folders, names = storage.listdir("consent")
    except FileNotFoundError:
        return 0
    known = set(
        ConsentDocument.objects.filter(file__startswith="consent/").values_list("file", flat=True)
    )
    removed = 0
    for name in names:
        stored = f"consent/{name}"
        if stored in known or storage.get_modified_time(stored) > now - ORPHAN_MIN_AGE:
            continue
        storage.delete(stored)
        removed += 1
    if removed:
        logger.info("removed %s consent scan files with no consent document", removed)
    return removed
