"""Root URLs."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from checkpoint import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("navigators.urls")),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False), name="home"),
]
