"""The needs assessment, with services suggested from the directory."""

urlpatterns: list = []
