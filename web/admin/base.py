"""Admin building blocks."""

from typing import ClassVar

from django.contrib import admin

from checkpoint import access


class ReadOnlyAdminMixin:
    """Case data is written by services only; the admin shows it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseScopedMixin:
    """Shows only the records of cases the user reaches (checkpoint.access).

    Superusers reach every case, so for them nothing is filtered. Anyone else given a view
    permission here (no role has one today) sees the records of their cases only, and a
    record out of reach is answered as one that does not exist. ``case_lookup`` is the path
    from the model to its case; None means the records are not tied to a case the access rules
    can check (history rows, erasure records, fake deliveries), so only a superuser sees them.
    """

    case_lookup: str | None = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if access.case_scope(request.user) is None:
            return queryset
        if self.case_lookup is None:
            return queryset.none()
        reachable = access.cases_visible_to(request.user)
        in_reach = self.model._default_manager.filter(**{f"{self.case_lookup}__in": reachable})
        return queryset.filter(pk__in=in_reach.values("pk"))


class HistoryAsMissingMixin:
    """The history page answers a user without the model's view permission as if the record
    did not exist. Django looks the record up first, so it answered 403 for a real id and a
    redirect for a missing one, telling anyone on the staff site which ids exist (ASVS V4.2.1).
    The change and delete pages check the permission first already: 403 for both."""

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return super().history_view(request, object_id, extra_context)


def hide_existence_in_history(site: admin.AdminSite) -> None:
    """Give every ModelAdmin on ``site`` (third-party ones included) HistoryAsMissingMixin."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, HistoryAsMissingMixin):
            continue
        cls = type(model_admin)
        site.unregister(model)
        site.register(model, type(cls.__name__, (HistoryAsMissingMixin, cls), {}))


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class CaseDataAdmin(CaseScopedMixin, ReadOnlyAdmin):
    """Read-only case data, scoped to the cases the user reaches."""


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    show_change_link = True
    # A flat list, which each inline also gives as its ``readonly_fields``: narrower than the
    # stubs' type for ``fields`` (lists of names or of rows), and lists are invariant.
    fields: ClassVar[list[str]]  # type: ignore[assignment]
