"""The administrator's audit screens: the logs' search and the retention review."""

from django.urls import path

from .logs import LogSearchView
from .retention import RetentionView

app_name = "audit"

urlpatterns = [
    path("logs/", LogSearchView.as_view(), name="logs"),
    path("retention/", RetentionView.as_view(), name="retention"),
]
