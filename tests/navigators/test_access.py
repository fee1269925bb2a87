"""Every case URL (navigator and supervisor screens) refuses users out of reach with 404 and
changes nothing.

Generated from the URL configuration: a new URL with a parameter this file does not know how
to fill makes the test fail, so no screen can be added without being covered.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from checkpoint import roles, services
from navigators import urls
from supervisors import urls as supervisor_urls
from tests import factories

ALL_PATTERNS = [
    *(("navigators", p) for p in urls.urlpatterns),
    *(("supervisors", p) for p in supervisor_urls.urlpatterns),
]
CASE_URLS = [(ns, p) for ns, p in ALL_PATTERNS if "reference" in p.pattern.converters]
KNOWN_PARAMS = {"reference", "pk"}
# For a URL with a <pk>, which of the case's records it names.
PK_SOURCES = {"appointment-outcome": "appointment", "hours-verify": "hours"}


def test_every_case_url_is_covered_by_this_test():
    for _, pattern in ALL_PATTERNS:
        params = set(pattern.pattern.converters)
        assert params <= KNOWN_PARAMS, f"{pattern.name}: teach test_access about {params}"
        if "pk" in params:
            assert pattern.name in PK_SOURCES, f"{pattern.name}: which record is its pk?"
    assert len(CASE_URLS) >= 25


@pytest.fixture
def owned_case(dm, navigator, team, now):
    """An active case of ``navigator`` with an appointment and self-reported hours."""
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    appointment = services.appointment_schedule(
        case_id=case.pk, by=navigator, kind="navigator", starts_at=now + timedelta(days=1), now=now
    )
    entry = services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=now.date(),
        hours=Decimal(3),
        activity="Litter picking",
        now=now,
    )
    case.record_pks = {"appointment": appointment.pk, "hours": entry.pk}
    return case


def _url(namespace, pattern, case) -> str:
    kwargs = {"reference": case.reference}
    if "pk" in pattern.pattern.converters:
        kwargs["pk"] = case.record_pks[PK_SOURCES[pattern.name]]
    return reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)


def _row_counts() -> dict[str, int]:
    models = [
        *apps.get_app_config("checkpoint").get_models(),
        *apps.get_app_config("notifications").get_models(),
    ]
    return {m.__name__: m.objects.count() for m in models if m.__name__ != "AccessLog"}


OUTSIDERS = {
    "navigator of the same team, not allocated": lambda team: factories.make_user(
        roles.NAVIGATOR, team=team
    ),
    "supervisor of another team": lambda team: factories.make_user(
        roles.SUPERVISOR, team=factories.TeamFactory(name="Another team")
    ),
    "analyst": lambda team: factories.make_user(roles.ANALYST),
    "decision maker (case past custody)": lambda team: factories.make_user(roles.DECISION_MAKER),
}


@pytest.mark.parametrize("who", list(OUTSIDERS))
def test_no_case_url_leaks_or_changes_anything_for_users_out_of_reach(
    client, owned_case, team, who
):
    client.force_login(OUTSIDERS[who](team))
    before = _row_counts()
    for namespace, pattern in CASE_URLS:
        url = _url(namespace, pattern, owned_case)
        assert client.get(url).status_code == 404, f"GET {pattern.name}"
        response = client.post(
            url,
            {"text": "x", "reason": "x", "reasons": "x", "outcome": "attended", "decision": "x"},
        )
        assert response.status_code == 404, f"POST {pattern.name}"
    assert _row_counts() == before


def test_the_owner_reaches_every_case_url(client, owned_case, navigator):
    client.force_login(navigator)
    for namespace, pattern in CASE_URLS:
        if pattern.name == "hours-verify":
            continue  # POST only
        status = client.get(_url(namespace, pattern, owned_case)).status_code
        assert status in (200, 302, 403), f"{pattern.name}: {status}"
