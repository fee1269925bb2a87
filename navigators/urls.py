"""Navigator-facing screens (built in the navigator-forms issue)."""

app_name = "navigators"
urlpatterns: list = []
