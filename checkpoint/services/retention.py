"""Retention: list closed cases past their retention period, and erase their personal data on
an administrator's confirmation (DESIGN.md 1.2; DPA 2018 s.47 and s.39).

Erasure is minimisation: the case, its dates, states, transitions, outcome, equality fields
and the reports' facts stay (aggregate-safe), while names, contact details, references,
free text and the day and month of birth go, in the live tables *and* the change-history
tables. Each erased case writes an ``ErasureRecord`` that holds no personal data.

On PostgreSQL the history and log tables are append-only (migration 0010): this service is
the one writer allowed to change them, by ``SET LOCAL checkpoint.audit_override = 'retention'``
for its own transaction, reset before it returns.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from checkpoint.actors import Actor, user_of
from checkpoint.models import (
    AccessLog,
    Case,
    CaseState,
    CaseTransition,
    ErasureRecord,
    RefusalLog,
    RetentionReview,
    ReviewStatus,
)
from checkpoint.permissions import Permission

from . import retention_fields
from .errors import CaseError
from .locking import authorise

logger = logging.getLogger(__name__)
ERASED = retention_fields.ERASED


def retention_rules() -> dict[str, int]:
    """Closing state -> years after closing when the case is reviewed (from settings)."""
    no_conviction = settings.RETENTION_NO_CONVICTION_YEARS
    return {
        CaseState.EXITED_NO_CONVICTION: no_conviction,
        CaseState.INELIGIBLE: no_conviction,
        CaseState.PROSECUTION_REFERRED: settings.RETENTION_PROSECUTION_YEARS,
    }


def _rule_label(state: str, years: int) -> str:
    return f"{CaseState(state).label}: {years} years after closing"


@transaction.atomic
def retention_review(*, by: Actor, today: date, now: datetime | None = None) -> int:
    """List every closed case past its retention period that is not listed yet (``by``: the
    scheduled work, ``SYSTEM``). Idempotent: one review per case (a unique column; a second
    run or a second worker inserts nothing new thanks to ``ignore_conflicts``). Returns how
    many were newly listed."""
    authorise(by, Permission.RUN_SCHEDULED_WORK)
    now = now or timezone.now()
    due_filter = Q(pk__in=[])
    for state, years in retention_rules().items():
        cutoff = today - relativedelta(years=years)
        due_filter |= Q(state=state, closed_at__date__lte=cutoff)
    cases = Case.objects.filter(due_filter, retention_review__isnull=True)
    rows = [
        RetentionReview(case_id=pk, due_on=closed.date(), listed_at=now)
        for pk, closed in cases.values_list("pk", "closed_at")
    ]
    created = RetentionReview.objects.bulk_create(rows, ignore_conflicts=True)
    logger.info("retention review: %s cases listed", len(created))
    return len(created)


def reference_hash(reference: str) -> str:
    """A keyed hash of a case reference: answers "was this case erased?" without storing it."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, reference.encode(), hashlib.sha256).hexdigest()


@contextmanager
def _audit_override() -> Iterator[None]:
    """Open the append-only audit tables to this transaction only (PostgreSQL), then close."""
    if connection.vendor != "postgresql":
        yield
        return
    role = settings.DATABASE_RETENTION_ROLE
    with connection.cursor() as cursor:
        if role:
            # The application's own role may not change audit rows at all (manage.py
            # setup_database_roles): erasure runs as the retention role, for this transaction.
            cursor.execute("SET LOCAL ROLE " + connection.ops.quote_name(role))
        cursor.execute("SET LOCAL checkpoint.audit_override = 'retention'")
    # On an error the transaction rolls back, and these SET LOCALs with it; closing them here
    # would only hide the error behind "current transaction is aborted".
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL checkpoint.audit_override = ''")
        if role:
            cursor.execute("SET LOCAL ROLE NONE")


@transaction.atomic
def retention_erase(*, case_ids: list[int], by: Actor) -> list[ErasureRecord]:
    """Erase the personal data of the listed cases (administrators only), after review."""
    authorise(by, Permission.ERASE_PERSONAL_DATA)
    user = user_of(by)
    reviews = list(
        RetentionReview.objects.select_for_update()
        .select_related("case")
        .filter(case_id__in=case_ids, status=ReviewStatus.PENDING)
    )
    if not reviews:
        raise CaseError("Select at least one case awaiting review.")
    now = timezone.now()
    records = []
    with _audit_override():
        for review in reviews:
            records.append(_erase_case(review, by=user, now=now))
    logger.info("retention: %s cases minimised by user %s", len(records), user.pk)
    return records


def _erase_case(review: RetentionReview, *, by: User, now: datetime) -> ErasureRecord:
    case = review.case
    years = retention_rules().get(case.state, 0)
    record = ErasureRecord(
        case_id_erased=case.pk,
        reference_hash=reference_hash(case.reference),
        rule=_rule_label(case.state, years),
        by=by,
        at=now,
    )
    changed = retention_fields.erase_case_data(case)
    changed += AccessLog.objects.filter(case=case).update(path=f"/cases/{ERASED}/")
    changed += RefusalLog.objects.filter(case=case).update(
        path=f"/cases/{ERASED}/", case_reference=ERASED
    )
    changed += CaseTransition.objects.filter(case=case).exclude(reason="").update(reason=ERASED)
    record.rows_changed = changed
    record.save()
    RetentionReview.objects.filter(pk=review.pk).update(
        status=ReviewStatus.MINIMISED, decided_by=by, decided_at=now
    )
    return record
