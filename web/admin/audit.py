"""Audit models in the admin: read-only lists with search and filters (the administrator's
GOV.UK search is /audit/logs/; erasure is confirmed on /audit/retention/)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.utils import get_history_model_for_model

from checkpoint.models import (
    AccessAuditLog,
    AccessRequest,
    ContractCopy,
    DisclosureLog,
    EnrolmentLink,
    ErasureRecord,
    RefusalAlert,
    RefusalLog,
    RetentionReview,
)
from checkpoint.models.history import TRACKED

from .base import CaseDataAdmin


@admin.register(DisclosureLog)
class DisclosureLogAdmin(CaseDataAdmin):
    case_lookup = "case"
    list_display = ["at", "user", "kind", "case", "recipient"]
    list_filter = ["kind", ("at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "case__reference", "recipient", "justification"]
    list_select_related = ["user", "case"]


@admin.register(RetentionReview)
class RetentionReviewAdmin(CaseDataAdmin):
    case_lookup = "case"
    list_display = ["case", "due_on", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["case", "decided_by"]


@admin.register(ErasureRecord)
class ErasureRecordAdmin(CaseDataAdmin):
    # No case to check (the case is gone): superusers only.
    list_display = ["at", "case_id_erased", "action", "rule", "by", "rows_changed"]
    search_fields = ["reference_hash", "=case_id_erased"]
    list_select_related = ["by"]


# The change history of every tracked model, read-only, filterable by kind and date; superusers
# only (CaseDataAdmin without a case_lookup): a history row outlives the access rules' joins.
for _model in TRACKED:
    admin.site.register(
        get_history_model_for_model(_model),
        type(
            f"Historical{_model.__name__}Admin",
            (CaseDataAdmin,),
            {
                "list_display": ["history_date", "history_type", "id", "history_user"],
                "list_filter": ["history_type", ("history_date", admin.DateFieldListFilter)],
                "search_fields": ["history_user__username", "=id"],
                "list_select_related": ["history_user"],
            },
        ),
    )


# Four eyes on access: the requests, their append-only log and the enrolment links, read-only
# and for superusers only (administrators use /access/, where the rules are enforced).
@admin.register(AccessRequest)
class AccessRequestAdmin(CaseDataAdmin):
    list_display = ["requested_at", "user", "kind", "status", "requested_by", "decided_by"]
    list_filter = ["status", "kind"]
    search_fields = ["user__username", "requested_by__username", "reason"]
    list_select_related = ["user", "requested_by", "decided_by"]


@admin.register(AccessAuditLog)
class AccessAuditLogAdmin(CaseDataAdmin):
    list_display = ["at", "actor", "user", "event", "what"]
    list_filter = ["event", ("at", admin.DateFieldListFilter)]
    search_fields = ["actor__username", "user__username", "what", "reason"]
    list_select_related = ["actor", "user"]


@admin.register(EnrolmentLink)
class EnrolmentLinkAdmin(CaseDataAdmin):
    # The token's hash only; the token itself is never stored.
    list_display = ["created_at", "user", "created_by", "expires_at", "used_at", "revoked_at"]
    exclude = ["token_hash"]
    list_select_related = ["user", "created_by"]


# Refusals on record (web/refusals.py): read-only, for superusers only (administrators search
# them at /audit/logs/). A refusal's case, when it names one, is one the user could not reach.
@admin.register(RefusalLog)
class RefusalLogAdmin(CaseDataAdmin):
    list_display = ["at", "user", "method", "path", "status", "reason", "case_reference"]
    list_filter = ["reason", "status", ("at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "case_reference", "page"]
    list_select_related = ["user"]


@admin.register(RefusalAlert)
class RefusalAlertAdmin(CaseDataAdmin):
    list_display = ["raised_at", "user", "refusals", "window_minutes", "first_at"]
    list_filter = [("raised_at", admin.DateFieldListFilter)]
    search_fields = ["user__username"]
    list_select_related = ["user"]


# A signed contract sent to the participant by email, with their consent (Notify file sending).
@admin.register(ContractCopy)
class ContractCopyAdmin(CaseDataAdmin):
    case_lookup = "contract__case"
    list_display = ["consent_given_at", "contract", "consent_recorded_by"]
    list_select_related = ["contract", "consent_recorded_by"]
