"""The contract builder (task list) and the victim's wishes."""

urlpatterns: list = []
