"""Audit models in the admin: read-only lists with search and filters (the administrator's
GOV.UK search is /audit/logs/; erasure is confirmed on /audit/retention/)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.utils import get_history_model_for_model

from checkpoint.models import DisclosureLog, ErasureRecord, RetentionReview
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
