"""The outbox in the admin: pending, sent and failed messages, and retrying failed ones."""

from django.contrib import admin, messages
from django.utils import timezone

from notifications import outbox
from notifications.models import FakeDelivery, Message

from .base import CaseDataAdmin


@admin.register(Message)
class MessageAdmin(CaseDataAdmin):
    case_lookup = "case"  # a message about no case (a report) is for superusers only
    list_display = [
        "created_at",
        "template",
        "channel",
        "audience",
        "status",
        "send_after",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status", "channel", "audience", "template"]
    search_fields = ["dedupe_key", "provider_id"]
    actions = ["retry"]

    def has_change_permission(self, request, obj=None):
        # Needed for the retry action; every field stays read-only.
        return request.user.has_perm("notifications.change_message")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Message._meta.fields]

    @admin.action(description="Retry the selected failed messages")
    def retry(self, request, queryset):
        count = outbox.retry_failed(list(queryset.values_list("pk", flat=True)), now=timezone.now())
        self.message_user(request, f"{count} failed message(s) queued again.", messages.SUCCESS)


@admin.register(FakeDelivery)
class FakeDeliveryAdmin(CaseDataAdmin):
    # Tied to no case: superusers only.
    list_display = ["sent_at", "channel", "recipient", "subject", "reference"]
    search_fields = ["reference", "recipient"]
