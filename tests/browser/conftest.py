"""Real-browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

scripts/test installs chromium when it is missing (it never downloads a browser of its own).
Each step a journey names is checked with axe-core (tests/browser/a11y.py) and, on a developer's
machine, screenshotted to test-artifacts/screenshots/<test name>/. CI takes no screenshots (no
one looks at them there, and a full-page PNG costs about an eighth of a journey's time);
CHECKPOINT_SCREENSHOTS=1 or 0 says otherwise either way.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from checkpoint import roles
from tests import factories
from tests.browser.a11y import AXE_SOURCE, check_a11y

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "Browser-test-password-1"
SCREENSHOTS = os.environ.get("CHECKPOINT_SCREENSHOTS", "0" if os.environ.get("CI") else "1") == "1"

# Playwright's sync API runs an event loop in this thread; the test also uses the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser(django_db_setup):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with sync_playwright() as playwright:
        # Playwright's sync API runs its event loop on greenlets, and from here on the tests of
        # this worker get new connection objects (Django keeps them per context, and the
        # context is not the same any more). The test database's serialized contents, which
        # serialized rollback loads again at the start of each transactional test, were kept
        # on the old ones: without them every transactional test after this point found the
        # reference data (offences, schemes, pathways) gone.
        for alias, contents in serialized.items():
            if contents is not None:
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    context.set_default_timeout(10_000)
    # axe-core in every page of the context from the start (through the DevTools protocol, so
    # the pages' Content Security Policy does not apply): sending its 500 kB source again for
    # each page checked took 90 ms a check, a tenth of a journey's time.
    context.add_init_script(path=str(AXE_SOURCE))
    page = context.new_page()
    page.shots = Shots(request.node.name)
    yield page
    context.close()


class Shots:
    """Each Checkpoint page shown at a named step is checked with axe-core at WCAG 2.2 AA (the
    journeys fail on any violation) and, when SCREENSHOTS, saved as a numbered full-page
    screenshot kept as a test artifact."""

    def __init__(self, test_name: str) -> None:
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", test_name)
        if SCREENSHOTS:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def __call__(self, page, step: str, *, check: bool = True) -> Path:
        """``check=False``: the screenshot only, for a caller that runs axe itself and keeps
        what it finds (the accessibility tour reports every violation at the end)."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', step.lower())}.png"
        if SCREENSHOTS:
            page.screenshot(path=str(path), full_page=True)
        # Django's own admin (for administrators, not built with the design system) is not
        # checked: its list filters fail WCAG 2.2 target size, a Django matter.
        if check and "/admin/" not in page.url:
            check_a11y(page)
        return path


def staff(role: str, username: str, team=None):
    user = factories.make_user(role, team=team, username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, username: str) -> None:
    """Sign in as a person would: password, then the code their authenticator app shows
    (computed from the key of the user's device, created here when missing)."""
    device = factories.totp_device(get_user_model().objects.get(username=username))
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter the code from your authenticator app").wait_for()
    page.get_by_label("Code from your authenticator app").fill(factories.totp_code(device))
    page.get_by_role("button", name="Continue").click()


def enrolment_token(user) -> str:
    """A one-time enrolment link for ``user``, as a second administrator's approval issues
    (test_journey_four_eyes.py has the whole flow)."""
    from checkpoint.models import EnrolmentLink
    from checkpoint.services.access_requests import token_hash

    token = f"enrolment-for-{user.username}"
    EnrolmentLink.objects.create(
        user=user,
        token_hash=token_hash(token),
        created_by=get_user_model().objects.create_user(f"issuer-for-{user.username}"),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    return token


@pytest.fixture
def people():
    """A team with a decision maker, a navigator and a supervisor who can sign in."""
    team = factories.TeamFactory(name="Browser Team")
    return {
        "team": team,
        "dm": staff(roles.DECISION_MAKER, "dm-browser"),
        "navigator": staff(roles.NAVIGATOR, "nav-browser", team),
        "supervisor": staff(roles.SUPERVISOR, "sup-browser", team),
    }
