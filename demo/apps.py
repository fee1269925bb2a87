from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Fictional demo data (``manage.py seed_demo``) and the demo accounts' second factor
    (``manage.py demo_code``); both refuse to run with DEBUG off."""

    name = "demo"
    verbose_name = "Demo data"
