"""The service directory: browse and search providers by pathway."""

urlpatterns: list = []
