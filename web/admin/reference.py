"""Reference data and configuration, edited by administrators."""

from django.contrib import admin, messages
from django.db import models, transaction
from django.utils import timezone

from checkpoint.models import (
    ExcludedCategory,
    OffenceType,
    Pathway,
    Scheme,
    SchemeVersion,
    ServiceProvider,
    StaffProfile,
    Team,
)


@admin.register(ExcludedCategory)
class ExcludedCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "display_order"]
    list_editable = ["display_order"]


@admin.register(OffenceType)
class OffenceTypeAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "offence_class", "default_gravity_score", "excluded_category"]
    list_filter = ["offence_class", "excluded_category"]
    search_fields = ["title", "code", "keywords"]


@admin.register(ServiceProvider)
class ServiceProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "women_only", "veteran_specific", "active"]
    list_filter = ["pathways", "women_only", "veteran_specific", "active"]
    search_fields = ["name", "description"]
    filter_horizontal = ["pathways"]
    # A website typed without a scheme ("example.org") is saved as https://, not http://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "area"]
    search_fields = ["name"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "job_title"]
    list_filter = ["team"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__last_name"]

    def get_readonly_fields(self, request, obj=None):
        # Moving someone between teams changes which cases they reach: only through an access
        # request approved by a second administrator (checkpoint.services.access_requests).
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields.append("team")
        return fields


class SchemeVersionInline(admin.TabularInline):
    model = SchemeVersion
    fields = [
        "version",
        "effective_from",
        "published_at",
        "contract_months",
        "hours_min",
        "hours_max",
    ]
    readonly_fields = fields  # type: ignore[assignment]  # stubs: no list type fits both
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Scheme)
class SchemeAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    inlines = [SchemeVersionInline]


@admin.register(SchemeVersion)
class SchemeVersionAdmin(admin.ModelAdmin):
    """Drafts are editable; a published version is frozen (cases and assessments cite it).

    To change a published policy, use "Copy as a new draft version", edit, then publish.
    """

    list_display = [
        "__str__",
        "effective_from",
        "published_at",
        "contract_months",
        "hours_min",
        "hours_max",
    ]
    list_filter = ["scheme"]
    filter_horizontal = ["excluded_categories"]
    actions = ["publish", "copy_as_new_draft"]
    readonly_fields = ["published_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return [f.name for f in obj._meta.fields] + ["excluded_categories"]
        return super().get_readonly_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        # A published version is shown read-only: saving it raised ValueError (a 500).
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_published

    @admin.action(description="Publish the selected draft versions")
    def publish(self, request, queryset):
        count = queryset.filter(published_at__isnull=True).update(published_at=timezone.now())
        self.message_user(request, f"Published {count} version(s).", messages.SUCCESS)

    @admin.action(description="Copy as a new draft version")
    def copy_as_new_draft(self, request, queryset):
        for version in queryset:
            copy = _copy_as_draft(version)
            self.message_user(request, f"Created draft {copy}.", messages.SUCCESS)


@transaction.atomic
def _copy_as_draft(version: SchemeVersion) -> SchemeVersion:
    latest = SchemeVersion.objects.filter(scheme=version.scheme).order_by("-version").first()
    if latest is None:  # unreachable: ``version`` itself is one of the scheme's versions
        raise SchemeVersion.DoesNotExist(f"{version.scheme} has no versions")
    categories = list(version.excluded_categories.all())
    version.pk = None
    version.id = None
    version._state.adding = True
    version.version = latest.version + 1
    version.published_at = None
    version.change_note = ""
    version.save()
    version.excluded_categories.set(categories)
    return version
