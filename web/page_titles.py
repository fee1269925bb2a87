"""Human titles for the screens named in the consultation log (``AccessLog.page`` holds a URL
name such as ``navigators:case``): the audit search shows "Case page", not the internal name.

A screen's title is its view's ``title`` when it has a fixed one; the few without (pages whose
heading is built from the case) are named here. A name no longer routed (a screen since
removed) still reads as words.
"""

from __future__ import annotations

from functools import cache

from django.urls import URLPattern, URLResolver, get_resolver

TITLES = {
    "navigators:case": "Case page",
    "navigators:case-history": "Case history",
    "navigators:contract": "Contract",
    "navigators:consent-document": "Scan of the signed consent form",
    "navigators:diary": "Diary",
    "custody:offer": "The offer",
    "supervisors:case-allocate": "Allocate the case",
    "supervisors:outcome-letter": "Outcome letter",
    "supervisors:breach-letter": "Breach decision letter",
    "navigators:contract-document": "Contract (the participant's copy)",
    "navigators:appointment-letter": "Appointment letter",
    "navigators:warning-letter": "Warning letter",
    "supervisors:prosecution-file": "Prosecution file",
}


def page_title(view_name: str) -> str:
    """The title of the screen with this URL name, for people reading the audit log."""
    if view_name in TITLES:
        return TITLES[view_name]
    title = getattr(_view_classes().get(view_name), "title", None)
    if isinstance(title, str) and title:
        return title
    words = view_name.rpartition(":")[2].replace("-", " ").replace("_", " ").strip()
    return words.capitalize() or view_name


@cache
def _view_classes() -> dict[str, type]:
    """Every named class-based view by its namespaced URL name (read once: URLs are fixed)."""
    found: dict[str, type] = {}

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
                walk(entry.url_patterns, namespace)
            elif isinstance(entry, URLPattern) and entry.name:
                view_class = getattr(entry.callback, "view_class", None)
                if view_class is not None:
                    found.setdefault(f"{prefix}{entry.name}", view_class)

    walk(get_resolver().url_patterns, "")
    return found
