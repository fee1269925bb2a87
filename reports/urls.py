"""Aggregate reports for analysts and supervisors: no personal details, small cells suppressed."""

app_name = "reports"

urlpatterns: list = []
