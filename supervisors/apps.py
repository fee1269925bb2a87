from django.apps import AppConfig


class SupervisorsConfig(AppConfig):
    name = "supervisors"
    verbose_name = "Supervisor screens"
