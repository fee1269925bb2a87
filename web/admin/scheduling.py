"""Operators can see the scheduled work: recent runs and deadline alerts."""

from django.contrib import admin

from checkpoint.models import DeadlineAlert, SweepRun

from .base import CaseDataAdmin, ReadOnlyAdmin


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ["kind", "status", "for_date", "started_at", "seconds", "examined", "findings"]
    list_filter = ["kind", "status"]
    readonly_fields = [
        "kind",
        "status",
        "for_date",
        "started_at",
        "finished_at",
        "examined",
        "findings",
        "stats",
        "error",
    ]


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(CaseDataAdmin):
    case_lookup = "case"
    list_display = ["case", "threshold_days", "deadline", "days_left", "raised_at"]
    list_filter = ["threshold_days"]
    list_select_related = ["case"]
