"""A POST-only address opened in the browser shows a GOV.UK page, not the browser's bare 405
(issue 16, point 10). The status and the Allow header are kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from checkpoint import services
from tests.supervisors.helpers import live_case

pytestmark = pytest.mark.django_db


def test_opening_the_hours_verify_address_shows_a_govuk_page(client, dm, team, navigator):
    case = live_case(dm=dm, team=team, navigator=navigator)
    entry = services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=case.contract.starts_on,
        hours=Decimal(2),
        activity="Food bank shift",
    )
    client.force_login(navigator)

    response = client.get(reverse("navigators:hours-verify", args=[case.reference, entry.pk]))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "This page cannot be opened directly" in page
    assert "Nothing has been saved or changed" in page
    assert "govuk-template" in page  # the service's own layout
    assert 'href="/"' in page  # a way on


def test_sign_out_followed_as_a_link_shows_the_page_too(client, navigator):
    client.force_login(navigator)
    response = client.get(reverse("logout"))
    assert response.status_code == 405
    assert "POST" in response["Allow"]
    assert "This page cannot be opened directly" in response.content.decode()


def test_allowed_methods_are_unaffected(client, navigator):
    client.force_login(navigator)
    response = client.get(reverse("home"))
    assert response.status_code in (200, 302)
