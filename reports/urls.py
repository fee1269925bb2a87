"""Aggregate reports for analysts and supervisors: no personal details, small cells suppressed."""

from reports.views import urlpatterns

app_name = "reports"

__all__ = ["app_name", "urlpatterns"]
