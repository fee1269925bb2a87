"""Supervisor screens: team dashboard, breach review, completion sign-off, prosecution file."""

from supervisors.views import urlpatterns as screens

app_name = "supervisors"

urlpatterns = [*screens]
