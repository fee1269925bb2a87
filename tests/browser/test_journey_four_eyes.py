"""Four eyes on access in a real browser (issue 17 point 1): administrator A asks for the
Navigator role and a team for a new account; administrator B approves and is shown the one-time
enrolment link; the new navigator, whose password alone shows no key, opens the link, sets up
the authenticator app and signs in; the used link is then refused.

Every page shown is checked with axe-core (``page.shots``). With ``SCREENSHOT_DIR`` set, each
step is also saved at 1280 px in ``$SCREENSHOT_DIR/four-eyes/`` (docs/screens/four-eyes/).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice

from checkpoint import roles
from checkpoint.models import AccessAuditLog, AccessEvent
from tests import factories
from tests.browser.conftest import PASSWORD, sign_in, staff
from tests.browser.steps import sign_out

NOTES = os.environ.get("SCREENSHOT_DIR", "")


def shot(page, name: str) -> None:
    """A numbered shot (checked with axe-core), and with ``SCREENSHOT_DIR`` a copy for the docs."""
    page.shots(page, name)
    if NOTES:
        folder = Path(NOTES) / "four-eyes"
        folder.mkdir(parents=True, exist_ok=True)
        number = page.shots.count
        page.screenshot(path=str(folder / f"{number:02d}-{name}.png"), full_page=True)


def test_two_administrators_give_a_new_account_the_navigator_role(page):
    team = factories.TeamFactory(name="Browser Team")
    staff(roles.ADMINISTRATOR, "admin-a")
    staff(roles.ADMINISTRATOR, "admin-b")
    get_user_model().objects.filter(username__in=["admin-a", "admin-b"]).update(is_staff=True)
    newcomer = get_user_model().objects.create_user(
        "nia-new", password=PASSWORD, first_name="Nia", last_name="Roberts"
    )

    # Administrator A asks.
    sign_in(page, "admin-a")
    page.goto("/access/")
    page.get_by_role("button", name="Find an account to change").click()
    page.get_by_label("Username or name").fill("nia")
    page.get_by_role("button", name="Search").click()
    shot(page, "a-finds-the-new-account")
    page.get_by_role("link", name="Change access of nia-new").click()
    page.get_by_label("Navigator", exact=True).check()
    page.get_by_label("Browser Team", exact=True).check()
    page.get_by_label("Why is this change needed?").fill(
        "Joined Browser Team as a navigator on 1 December"
    )
    shot(page, "a-asks-for-the-navigator-role")
    page.get_by_role("button", name="Ask for approval").click()
    page.get_by_text("Another administrator must approve this request").wait_for()
    assert page.get_by_role("button", name="Approve and apply").count() == 0
    shot(page, "a-request-waits-for-approval")
    assert not newcomer.groups.exists()
    sign_out(page)

    # Administrator B approves, and is shown the link once.
    sign_in(page, "admin-b")
    page.goto("/access/")
    shot(page, "b-sees-the-request-waiting")
    page.get_by_role("link", name="nia-new").first.click()
    shot(page, "b-checks-the-request")
    page.get_by_role("button", name="Approve and apply").click()
    page.get_by_role("heading", name="Request approved").wait_for()
    shot(page, "b-approves-and-gets-the-enrolment-link")
    link = page.locator("#enrolment-link").inner_text().strip()
    assert re.match(r"^http://[^/]+/sign-in/enrol/[\w-]+/$", link), link
    assert set(newcomer.groups.values_list("name", flat=True)) == {roles.NAVIGATOR}
    assert newcomer.staff_profile.team == team
    sign_out(page)

    # The new navigator: the password alone shows no key.
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("nia-new")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="You need an enrolment link").wait_for()
    assert page.locator(".app-secret-key").count() == 0
    shot(page, "password-alone-shows-no-key")

    # The link: the set-up, then the caseload.
    page.goto(link)
    page.get_by_role("heading", name="Set up your authenticator app").wait_for()
    shot(page, "the-enrolment-link")
    page.get_by_role("button", name="Continue").click()
    page.locator(".app-qr-code svg path").wait_for()
    shot(page, "set-up-with-the-qr-code")
    device = TOTPDevice.objects.get(user=newcomer)
    page.get_by_label("Code from your authenticator app").fill(factories.totp_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/caseload/")
    shot(page, "signed-in-as-a-navigator")

    # The link works once.
    page.goto(link)
    page.get_by_role("heading", name="This enrolment link cannot be used").wait_for()
    assert page.get_by_text("This enrolment link has already been used").is_visible()
    shot(page, "the-used-link-is-refused")
    events = list(
        AccessAuditLog.objects.filter(user=newcomer).order_by("pk").values_list("event", flat=True)
    )
    assert events == [
        AccessEvent.REQUESTED,
        AccessEvent.APPROVED,
        AccessEvent.LINK_ISSUED,
        AccessEvent.LINK_OPENED,
        AccessEvent.AUTHENTICATOR_SET_UP,
    ]
