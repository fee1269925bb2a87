"""Refusals on record in a real browser (issue 17 point 4): a navigator tries a colleague's case
(404) and the team dashboard (403) and tries again; an administrator finds each refusal, and
the one alert the burst raised, in the audit log search.

Every page shown is checked with axe-core (``page.shots``). With ``SCREENSHOT_DIR`` set, the
audit screens are also saved there at 1280 and 375 px wide.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from checkpoint import roles
from checkpoint.models import RefusalAlert, RefusalLog
from notifications.models import Message
from tests import factories
from tests.browser.conftest import PASSWORD, sign_in, staff

NOTES = os.environ.get("SCREENSHOT_DIR", "")


def wide_and_narrow(page, name: str) -> None:
    page.shots(page, name)
    if NOTES:
        page.set_viewport_size({"width": 375, "height": 900})
        page.screenshot(path=str(Path(NOTES) / f"refusals-{name}-375.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(Path(NOTES) / f"refusals-{name}-1280.png"), full_page=True)


def test_an_administrator_finds_the_refusals_and_the_alert(page, people, settings):
    settings.REFUSAL_ALERT_THRESHOLD = 3
    team, dm = people["team"], people["dm"]
    case = factories.active_case(dm=dm, team=team, navigator=people["navigator"])
    staff(roles.NAVIGATOR, "nav-curious", team)
    get_user_model().objects.create_superuser("root-browser", "root@example.police.uk", PASSWORD)

    sign_in(page, "nav-curious")
    page.goto(f"/cases/{case.reference}/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    page.shots(page, "case-not-found")
    page.goto("/team/")
    expect(page.get_by_role("heading", name="You cannot use this page")).to_be_visible()
    page.goto(f"/cases/{case.reference}/history/")
    page.goto(f"/cases/{case.reference}/needs/")
    assert RefusalLog.objects.filter(user__username="nav-curious").count() == 4
    assert RefusalAlert.objects.count() == 1
    assert Message.objects.filter(template="refusal_alert").count() == 1
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "root-browser")
    page.goto("/audit/logs/")
    page.get_by_label("Refusals (pages refused to staff)").check()
    page.get_by_label("User (username)").fill("nav-curious")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("4 entries found.")).to_be_visible()
    expect(page.get_by_role("cell", name=case.reference, exact=True)).to_have_count(3)
    expect(page.get_by_text("Refused (403, the user's role may not use this page)")).to_be_visible()
    wide_and_narrow(page, "audit-refusals")

    page.get_by_label("Refusal alerts (bursts)").check()
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 entry found.")).to_be_visible()
    expect(page.get_by_text("3 refused requests in 10 minutes")).to_be_visible()
    wide_and_narrow(page, "audit-refusal-alerts")
