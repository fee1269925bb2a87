"""Allocation and handover in a real browser (issue 16 point 1): the supervisor finds two cases
nobody is working at the top of the team dashboard, allocates both at once (after trying with
no navigator chosen), presses Back and saves again (nothing moves twice), reallocates a case
from its page (refused without a reason, then with one), reads the allocations in the case
history, and hands a leaving navigator's caseload over, shared between two navigators.

Every page shown is checked with axe-core (``page.shots``). With ``SCREENSHOT_DIR`` set, the
main screens are also saved there at 1280 and 375 px wide, for a reviewer; at 375 px no page
is wider than the screen (wide tables scroll in their own region).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from checkpoint import roles
from checkpoint.models import Case, CaseAllocation
from tests import factories
from tests.browser.conftest import sign_in, staff
from tests.browser.steps import go_back
from tests.supervisors.helpers import live_case

NOTES = os.environ.get("SCREENSHOT_DIR", "")


def wide_and_narrow(page, name: str, *, fits: bool = True) -> None:
    """A numbered shot (checked with axe-core); at 375 px the page does not scroll sideways
    (``fits``); with ``SCREENSHOT_DIR`` the page is saved at 1280 and 375 px wide."""
    page.shots(page, name)
    page.set_viewport_size({"width": 375, "height": 900})
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 or not fits, f"{name}: {width} px wide at 375"
    if NOTES:
        page.screenshot(path=str(Path(NOTES) / f"alloc-{name}-375.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(Path(NOTES) / f"alloc-{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def navigator(team, username: str, first: str, last: str):
    user = staff(roles.NAVIGATOR, username, team)
    user.first_name, user.last_name = first, last
    user.save()
    return user


def test_a_supervisor_allocates_reallocates_and_hands_a_caseload_over(page, people):
    team, dm, leaving = people["team"], people["dm"], people["navigator"]
    siobhan = navigator(team, "siobhan", "Siobhán", "Ní Bhriain")
    oshea = navigator(team, "oshea", "Liam", "O'Shea")
    waiting = [
        live_case(
            dm=dm,
            team=team,
            navigator=None,
            builder=factories.accepted_case,
            days_ago=days,
            person=factories.PersonFactory(given_name=given, family_name=family),
        )
        for days, given, family in ((2, "Róisín", "O'Neill"), (0, "Dáithí", "Mac Giolla"))
    ]
    theirs = [live_case(dm=dm, team=team, navigator=leaving) for _ in range(3)]

    sign_in(page, "sup-browser")
    page.goto("/team/")
    expect(page.get_by_role("heading", name="Not allocated (2)")).to_be_visible()
    expect(page.get_by_text("Waiting too long")).to_have_count(1)
    wide_and_narrow(page, "dashboard")

    # Nothing ticked: the page says so, and offers every open case of the team to tick.
    page.get_by_role("button", name="Allocate the selected cases").click()
    expect(page.get_by_role("link", name="Select at least one case")).to_be_visible()
    wide_and_narrow(page, "nothing-ticked")
    page.goto("/team/")

    # Both ticked, allocated together; first with no navigator chosen.
    for case in waiting:
        page.get_by_label(re.compile(re.escape(case.reference))).check()
    page.get_by_role("button", name="Allocate the selected cases").click()
    expect(page.get_by_role("heading", name="Allocate 2 cases")).to_be_visible()
    expect(page.get_by_text("0 open cases: 0 under supervision")).to_have_count(2)
    wide_and_narrow(page, "allocate-many")
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_role("link", name="Select the navigator to allocate to")).to_be_visible()
    wide_and_narrow(page, "allocate-error")
    page.get_by_label("Siobhán Ní Bhriain").check()
    page.get_by_role("button", name="Allocate").click()
    page.wait_for_url("**/team/")
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "2 cases allocated to Siobhán Ní Bhriain"
    )
    expect(page.get_by_role("heading", name="Not allocated (0)")).to_be_visible()
    wide_and_narrow(page, "allocated")

    # Back to the form and save it again: nothing is allocated a second time.
    go_back(page)  # to the form as it was shown with its error: chosen and saved again
    page.get_by_label("Siobhán Ní Bhriain").check()
    page.get_by_role("button", name="Allocate").click()
    expect(page.get_by_text("Nothing was saved a second time")).to_be_visible()
    wide_and_narrow(page, "allocate-resubmitted")
    assert CaseAllocation.objects.filter(case__in=waiting).count() == 2

    # Reallocating one of them from its page needs a reason.
    case = waiting[0]
    page.goto(f"/cases/{case.reference}/")
    page.get_by_role("link", name="Reallocate to another navigator").click()
    expect(page.get_by_text("(has the case now)")).to_be_visible()
    page.get_by_label("Liam O'Shea").check()
    page.get_by_role("button", name="Reallocate").click()
    expect(
        page.get_by_role("link", name=f"Enter why {case.reference} is reallocated")
    ).to_be_visible()
    wide_and_narrow(page, "reallocate-error")
    page.get_by_label("Why are you reallocating?").fill("Lives near Liam's office")
    page.get_by_role("button", name="Reallocate").click()
    expect(page.get_by_role("alert", name="Success")).to_contain_text(
        "Case allocated to Liam O'Shea"
    )
    page.goto(f"/cases/{case.reference}/history/")
    expect(page.get_by_text("Reallocated: from Siobhán Ní Bhriain to Liam O'Shea")).to_be_visible()
    expect(page.get_by_text("Reason: Lives near Liam's office")).to_be_visible()
    wide_and_narrow(page, "history")  # its tables of changed fields stack on a phone

    # The leaving navigator's three cases, shared between Siobhán and Liam.
    page.goto("/team/")
    page.get_by_role("link", name="Hand over a navigator's caseload").click()
    wide_and_narrow(page, "handover-choose")
    page.get_by_label(leaving.get_full_name()).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("has 3 open cases")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(
        page.get_by_role("link", name="Select how the cases should be handed over")
    ).to_be_visible()
    wide_and_narrow(page, "handover-error")
    page.get_by_label("Shared between several navigators").check()
    page.get_by_label(re.compile("^Siobhán Ní Bhriain")).check()
    page.get_by_label(re.compile("^Liam O'Shea")).check()
    page.get_by_label("Why is the caseload handed over?").fill("Leaving the team on Friday")
    wide_and_narrow(page, "handover-form")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check before you hand over 3 cases")).to_be_visible()
    assert Case.objects.filter(navigator=leaving).count() == 3  # nothing moved yet
    wide_and_narrow(page, "handover-check")
    page.get_by_role("button", name="Hand over 3 cases").click()
    page.wait_for_url("**/team/handover/done/")
    expect(page.get_by_role("heading", name="Caseload handed over")).to_be_visible()
    wide_and_narrow(page, "handover-done")
    assert not Case.objects.filter(navigator=leaving).exists()
    moved = CaseAllocation.objects.filter(case__in=theirs, previous_navigator=leaving)
    assert moved.count() == 3
    assert {row.reason for row in moved} == {"Leaving the team on Friday"}
    # Both had one open case: shared evenly, the tie going to the first named (Liam).
    assert Case.objects.filter(pk__in=[c.pk for c in theirs], navigator=oshea).count() == 2
    assert Case.objects.filter(pk__in=[c.pk for c in theirs], navigator=siobhan).count() == 1
