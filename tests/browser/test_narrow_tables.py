"""The case lists on a phone and on a desktop: at 375 CSS pixels every link in the caseload,
the custody list, the team's case list and the diaries' appointment tables is on screen (the
rows stack, ``app-table--stacked``), and at 1280 pixels no column of them is cut off by the
table's scrolling container (the custody list's "Next step", the caseload's deadline)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from checkpoint import services
from tests import factories
from tests.browser.conftest import sign_in
from tests.supervisors.helpers import live_case

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# For each table link: its box, and the box of the table's scrolling container.
_LINK_BOXES = """() => [...document.querySelectorAll("main table tbody a")].map(a => {
  const box = a.getBoundingClientRect();
  const region = a.closest(".app-table-scroll") || document.documentElement;
  const frame = region.getBoundingClientRect();
  return {text: a.textContent.trim(), left: box.left, right: box.right, width: box.width,
          frameLeft: frame.left, frameRight: frame.right};
})"""
# The last cell of each row against the container's visible right edge.
_LAST_CELLS = """() => [...document.querySelectorAll("main table tbody tr")].map(tr => {
  const cell = tr.lastElementChild.getBoundingClientRect();
  const frame = (tr.closest(".app-table-scroll") || document.documentElement)
    .getBoundingClientRect();
  return {right: cell.right, frameRight: frame.right};
})"""


def _cases(people) -> str:
    """A caseload of every kind (a long name with accents, a deadline near, a contract to sign)
    and custody-stage cases with each next step."""
    dm, team, nav = people["dm"], people["team"], people["navigator"]
    name = factories.PersonFactory(given_name="Siobhán-Aoibheann", family_name="Ní Bhriain-O'Shea")
    live_case(dm=dm, team=team, navigator=nav, person=name)
    live_case(dm=dm, team=team, navigator=nav, days_ago=160, code="COMMON-ASSAULT")
    live_case(dm=dm, team=team, navigator=nav, builder=factories.accepted_case)
    active = live_case(dm=dm, team=team, navigator=nav)
    now = timezone.now()
    services.appointment_schedule(
        case_id=active.pk,
        by=nav,
        kind="navigator",
        starts_at=now + timedelta(days=1),
        now=now,
        confirm=True,
    )
    factories.open_case(dm=dm, team=team)
    booked_on = timezone.localtime(now + timedelta(days=1)).date()
    today = timezone.localdate()
    near = factories.offence("COMMON-ASSAULT", committed_on=today - timedelta(days=170))
    factories.open_case(dm=dm, team=team, offences=[near], now=now)
    factories.eligible_case(dm=dm, team=team)
    factories.open_case(dm=dm, team=team, person=name)
    return f"?week={booked_on:%Y-%m-%d}"  # the week of the appointment booked


def _links_on_screen(page, url: str) -> list[str]:
    page.goto(url)
    boxes = page.evaluate(_LINK_BOXES)
    assert boxes, f"no links in the table of {url}"
    width = page.viewport_size["width"]
    return [
        f"{url}: '{b['text']}' spans {b['left']:.0f}-{b['right']:.0f}px"
        for b in boxes
        if b["width"] == 0 or b["left"] < 0 or b["right"] > width or b["right"] > b["frameRight"]
    ]


def _columns_cut_off(page, url: str) -> list[str]:
    page.goto(url)
    return [
        f"{url}: the last column ends at {c['right']:.0f}px, its table at {c['frameRight']:.0f}px"
        for c in page.evaluate(_LAST_CELLS)
        if c["right"] > c["frameRight"] + 1
    ]


def test_table_links_are_on_screen_at_375_px_and_columns_whole_at_1280(page, people):
    week = _cases(people)
    lists = {
        "nav-browser": ["/caseload/", "/caseload/?q=ni+bhriain", f"/diary/{week}"],
        "dm-browser": ["/custody/"],
        "sup-browser": ["/team/cases/", f"/team/week/{week}"],
    }
    off_screen, cut_off = [], []
    for username, urls in lists.items():
        page.context.clear_cookies()
        page.set_viewport_size(DESKTOP)
        sign_in(page, username)
        for url in urls:
            cut_off += _columns_cut_off(page, url)
            page.shots(page, f"{username} {url} 1280")
        page.set_viewport_size(PHONE)
        for url in urls:
            off_screen += _links_on_screen(page, url)
            page.shots(page, f"{username} {url} 375")
    assert not off_screen, "\n".join(off_screen)
    assert not cut_off, "\n".join(cut_off)
