"""The Content Security Policy breaks nothing: pages load in a real browser with no violation.

Chromium reports every blocked inline script, style attribute or foreign source on the
console ("Refused to ... because it violates the following Content Security Policy
directive"); any such message fails the test.
"""

from __future__ import annotations

from django.urls import reverse

from checkpoint import roles
from tests import factories
from tests.browser.conftest import sign_in, staff


def _watch_for_violations(page) -> list[str]:
    seen: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            seen.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return seen


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_load_state("load")


def test_staff_pages_load_without_a_policy_violation(page, people):
    violations = _watch_for_violations(page)
    case = factories.active_case(
        dm=people["dm"], team=people["team"], navigator=people["navigator"], now=factories.NOW
    )
    _visit(page, "/sign-in/")
    sign_in(page, "nav-browser")
    page.wait_for_url("**/caseload/")
    for url in (
        reverse("navigators:caseload"),
        reverse("navigators:case", args=[case.reference]),
        reverse("navigators:contract", args=[case.reference]),
        reverse("navigators:directory"),
        "/no-such-page/",
    ):
        _visit(page, url)
    page.shots(page, "case page under the policy")
    page.context.clear_cookies()
    sign_in(page, "dm-browser")
    page.wait_for_url("**/custody/")
    # The offence picker: accessible-autocomplete builds its widget in the page.
    _visit(page, reverse("custody:case-new"))
    page.shots(page, "custody form with the autocomplete")
    assert violations == []


def test_admin_pages_load_without_a_policy_violation(page):
    admin = staff(roles.ADMINISTRATOR, "admin-browser")
    admin.is_staff = True
    admin.save()
    violations = _watch_for_violations(page)
    sign_in(page, "admin-browser")
    for url in ("/admin/", "/admin/checkpoint/offencetype/", "/admin/auth/user/"):
        _visit(page, url)
    page.shots(page, "admin under the policy")
    assert violations == []


def test_an_inline_style_is_blocked_and_reported(page, people):
    """The watch above can fail: a style attribute set by script is refused and reported."""
    violations = _watch_for_violations(page)
    _visit(page, "/sign-in/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate("document.body.setAttribute('style', 'background: red')")
    assert len(violations) == 1
    assert "style-src" in violations[0]
