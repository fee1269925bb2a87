"""Supervisor screens: team dashboard, breach review, completion sign-off, prosecution file."""

app_name = "supervisors"

urlpatterns: list = []
