"""The project's URLs plus one view that fails, for the production error-page test."""

from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def fail(request):
    raise RuntimeError("secret-internal-detail: the database password is hunter2")


urlpatterns = [path("fail/", fail), *project_urlpatterns]
