from django.apps import AppConfig


class NavigatorsConfig(AppConfig):
    name = "navigators"
    verbose_name = "Navigator screens"
