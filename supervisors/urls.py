"""Supervisor screens: team dashboard, breach review, completion sign-off, prosecution file."""

from supervisors.allocation import urlpatterns as allocation
from supervisors.diary import urlpatterns as diary
from supervisors.views import urlpatterns as screens

app_name = "supervisors"

urlpatterns = [*screens, *allocation, *diary]
