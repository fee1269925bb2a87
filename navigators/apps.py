from django.apps import AppConfig


class NavigatorsConfig(AppConfig):
    name = "navigators"
    verbose_name = "Navigator screens"

    def ready(self) -> None:
        from django.urls import reverse

        from checkpoint import links

        # The case page and the caseload are the navigators' screens: messages link to them.
        links.register(links.CASE, lambda reference: reverse("navigators:case", args=[reference]))
        links.register(links.CASELOAD, lambda: reverse("navigators:caseload"))
