from django.apps import AppConfig


class CustodyConfig(AppConfig):
    """The decision makers' screens in custody: open a case, the eligibility assessment, the
    offer and the person's answer."""

    name = "custody"
    verbose_name = "Custody"
