"""Signing in in a real browser: password, authenticator set-up on first use, then the code."""

from __future__ import annotations

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from checkpoint import roles
from tests import factories
from tests.browser.conftest import PASSWORD, enrolment_token, sign_in, staff


def test_first_sign_in_sets_up_the_app_then_asks_for_codes(page):
    user = staff(roles.NAVIGATOR, "new-nav", factories.TeamFactory(name="Setup team"))
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("new-nav")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # The password alone shows no key: the set-up takes the one-time enrolment link a second
    # administrator's approval issues (test_journey_four_eyes.py has the whole flow).
    page.get_by_role("heading", name="You need an enrolment link").wait_for()
    page.goto(reverse("mfa-enrol", args=[enrolment_token(user)]))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Set up your authenticator app").wait_for()
    assert page.locator(".app-qr-code svg path").count() == 1
    page.get_by_text("I cannot scan the QR code").click()
    page.shots(page, "set up")
    assert page.locator(".app-secret-key").is_visible()

    page.get_by_role("button", name="Continue").click()
    page.get_by_text("There is a problem").first.wait_for()
    page.shots(page, "set up error")

    device = TOTPDevice.objects.get(user=user)
    page.get_by_label("Code from your authenticator app").fill(factories.totp_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/caseload/")
    assert TOTPDevice.objects.get(pk=device.pk).confirmed

    page.context.clear_cookies()
    sign_in(page, "new-nav")  # the second time: only the code
    page.wait_for_url("**/caseload/")
    page.shots(page, "signed in")
    assert violations == []
