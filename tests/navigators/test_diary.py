"""The diary (today, the week, clashes, what waits), the team's week, and the calendar feed
(initials and references only, a secret address that can be reset, logged as consultations)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from icalendar import Calendar
from time_machine import travel

from checkpoint import dates, roles, services
from checkpoint.models import AccessLog, Appointment, Case
from checkpoint.selectors.diary import find_clashes, week_start
from checkpoint.text import long_date
from navigators.models import CalendarFeed
from tests import factories
from tests.supervisors.helpers import live_case_to_read

TODAY = dates.local_date(timezone.now())


def at(day, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=dates.LONDON)


VIEWED_AT = at(TODAY, 9)  # the diary is looked at at 9:00 today


@pytest.fixture(autouse=True)
def _sessions_outlast_the_day(settings):
    """Tests sign in now and look at 9:00 today, up to a day away: sign-in time-outs are not
    what these tests are about (tests/web/test_sessions.py is)."""
    day = 24 * 60 * 60
    settings.SESSION_IDLE_TIMEOUT = settings.SESSION_ABSOLUTE_TIMEOUT = day
    settings.SESSION_COOKIE_AGE = day


def book(case: Case, by, starts_at: datetime, minutes: int = 60, **kwargs) -> Appointment:
    return services.appointment_schedule(
        case_id=case.pk,
        by=by,
        kind="navigator",
        starts_at=starts_at,
        duration_minutes=minutes,
        now=starts_at - timedelta(days=1),
        confirm=True,
        **kwargs,
    )


@pytest.fixture
def week(db, dm, team, navigator):
    """The navigator's cases: two appointments that clash today, one yesterday with no outcome,
    hours to verify, a deadline near; and a colleague's case with an appointment today."""
    person = factories.PersonFactory(given_name="Siobhán", family_name="Ní Bhriain")
    mine = live_case_to_read(dm=dm, team=team, navigator=navigator, person=person)
    other = live_case_to_read(dm=dm, team=team, navigator=navigator)
    first = book(mine, navigator, at(TODAY, 10), location="14 Acacia Avenue, Durham")
    second = book(other, navigator, at(TODAY, 10, 30))
    overdue = book(mine, navigator, at(TODAY - timedelta(days=1), 15))
    services.hours_log(
        case_id=other.pk,
        by=navigator,
        worked_on=TODAY - timedelta(days=1),
        hours=Decimal("2.5"),
        activity="Litter picking",
    )
    deadline = live_case_to_read(
        dm=dm, team=team, navigator=navigator, days_ago=160, code="COMMON-ASSAULT"
    )
    colleague = factories.make_user(roles.NAVIGATOR, team=team, username="colleague")
    theirs = live_case_to_read(dm=dm, team=team, navigator=colleague)
    their_appointment = book(theirs, colleague, at(TODAY, 12))
    return {
        "mine": mine,
        "other": other,
        "first": first,
        "second": second,
        "overdue": overdue,
        "deadline": deadline,
        "colleague": colleague,
        "theirs": theirs,
        "their_appointment": their_appointment,
    }


def _diary(client, **params) -> str:
    with travel(VIEWED_AT, tick=False):
        response = client.get(reverse("navigators:diary"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_diary_shows_today_the_week_and_what_waits(client, navigator, week):
    client.force_login(navigator)
    body = _diary(client)
    today = body[body.index("Today, ") : body.index("Needs doing")]
    assert week["mine"].reference in today and week["other"].reference in today
    assert "10:00 to 11:00" in today and "10:30 to 11:30" in today
    assert today.count("Clash</strong>") == 2
    assert f"Clashes with navigator meeting at 10:30 ({week['other'].reference})" in today
    waiting = body[body.index("Needs doing") : body.index('id="week"')]
    outcome_url = reverse(
        "navigators:appointment-outcome", args=[week["mine"].reference, week["overdue"].pk]
    )
    assert "Outcomes to record (1)" in waiting and outcome_url in waiting
    assert "Hours to verify (1)" in waiting and "2.5 hours of Litter picking" in waiting
    assert "Prosecution deadlines near (1)" in waiting and week["deadline"].reference in waiting
    assert "appointments this week clash" in body
    # A colleague's case is out of this diary.
    assert week["theirs"].reference not in body


def test_another_week_is_shown_on_asking(client, navigator, week):
    client.force_login(navigator)
    next_week = week_start(TODAY) + timedelta(days=7)
    book(week["mine"], navigator, at(next_week + timedelta(days=1), 11))
    body = _diary(client, week=f"{next_week:%Y-%m-%d}")
    shown = body[body.index('id="week"') - 60 :]
    assert f"Week of {long_date(next_week)}" in shown
    assert "11:00 to 12:00" in shown and "10:30 to 11:30" not in shown
    assert "Back to this week" in body
    # Today's section is still today's.
    assert "10:30 to 11:30" in body[: body.index('id="week"')]
    # A week that cannot be read is this week.
    assert "10:30 to 11:30" in _diary(client, week="next tuesday")


def test_diary_is_for_navigators_and_supervisors(client, dm, analyst, supervisor):
    for user, status in [(dm, 403), (analyst, 403), (supervisor, 200)]:
        client.force_login(user)
        assert client.get(reverse("navigators:diary")).status_code == status
    client.logout()
    assert client.get(reverse("navigators:diary")).status_code == 302


def test_the_navigation_links_to_the_diary(client, navigator, dm):
    client.force_login(navigator)
    assert (
        f'href="{reverse("navigators:diary")}"'
        in client.get(reverse("navigators:caseload")).content.decode()
    )
    client.force_login(dm)
    assert reverse("navigators:diary") not in client.get(reverse("custody:list")).content.decode()


def test_the_team_week_shows_every_navigator_of_the_team(client, supervisor, week, dm):
    far_team = factories.TeamFactory(name="Durham South")
    far_nav = factories.make_user(roles.NAVIGATOR, team=far_team, username="far-nav")
    far = live_case_to_read(dm=dm, team=far_team, navigator=far_nav)
    book(far, far_nav, at(TODAY, 13))
    client.force_login(supervisor)
    with travel(VIEWED_AT, tick=False):
        body = client.get(reverse("supervisors:team-week")).content.decode()
    for key in ("mine", "other", "theirs"):
        assert week[key].reference in body
    assert far.reference not in body
    assert escape(week["colleague"].get_full_name()) in body  # the navigator column
    assert "Outcomes to record across the team: <strong>1</strong>" in body


def test_a_booked_appointment_is_moved_from_the_diary_and_the_team_week_is_on_the_dashboard(
    client, navigator, supervisor, week
):
    client.force_login(navigator)
    with travel(VIEWED_AT, tick=False):
        body = client.get(reverse("navigators:diary")).content.decode()
    first = week["first"]
    move = reverse("navigators:appointment-reschedule", args=[week["mine"].reference, first.pk])
    assert f'href="{move}">Move' in body
    client.force_login(supervisor)
    dashboard = client.get(reverse("supervisors:dashboard")).content.decode()
    assert reverse("supervisors:team-week") in dashboard


def test_the_team_week_is_for_supervisors(client, navigator):
    client.force_login(navigator)
    assert client.get(reverse("supervisors:team-week")).status_code == 403


def test_clashes_need_the_same_person_or_navigator(week):
    appointments = list(
        Appointment.objects.select_related("case").filter(starts_at__date__gte=TODAY)
    )
    clashes = find_clashes(appointments)
    assert [a.pk for a in clashes[week["first"].pk]] == [week["second"].pk]
    # The colleague's noon appointment overlaps nobody's; different navigators never clash.
    assert week["their_appointment"].pk not in clashes


# -- The calendar feed -------------------------------------------------------------------------


def _set_up_feed(client) -> str:
    page = client.get(reverse("navigators:calendar"))
    token = page.context["reset_form"]["form_token"].value()
    response = client.post(reverse("navigators:calendar"), {"action": "reset", "form_token": token})
    assert response.status_code == 302
    return response


def _feed(token: str):
    return Client().get(reverse("navigators:calendar-feed", args=[token]))


def test_the_feed_carries_initials_and_references_only(client, navigator, week):
    client.force_login(navigator)
    _set_up_feed(client)
    feed = CalendarFeed.objects.get(user=navigator)
    with travel(VIEWED_AT, tick=False):
        response = _feed(feed.token)  # no session: a calendar app
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    events = Calendar.from_ical(response.content).walk("VEVENT")
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert f"Navigator meeting: SNB ({week['mine'].reference})" in summaries
    assert len(events) == 3  # today's two and yesterday's; not the colleague's
    person = week["other"].person
    for personal in ["Siobh", "Bhriain", "Acacia", person.family_name, "Shoplifting", "Theft"]:
        assert personal not in text, personal
    assert week["theirs"].reference not in text


def test_reading_the_feed_is_logged_as_consultations(client, navigator, week):
    client.force_login(navigator)
    _set_up_feed(client)
    token = CalendarFeed.objects.get(user=navigator).token
    before = AccessLog.objects.filter(page="navigators:calendar-feed").count()
    with travel(VIEWED_AT, tick=False):
        _feed(token)
    logged = AccessLog.objects.filter(page="navigators:calendar-feed", user=navigator)
    assert logged.count() - before == 2  # one row per case listed
    assert set(logged.values_list("case_id", flat=True)) == {week["mine"].pk, week["other"].pk}


def test_resetting_the_address_revokes_the_old_one(client, navigator, week):
    client.force_login(navigator)
    first = _set_up_feed(client)
    assert "Calendar address made" in client.get(first["Location"]).content.decode()
    old = CalendarFeed.objects.get(user=navigator).token
    response = _set_up_feed(client)
    new = CalendarFeed.objects.get(user=navigator).token
    assert new != old
    assert "the old one no longer works" in client.get(response["Location"]).content.decode()
    assert _feed(old).status_code == 404
    assert _feed(new).status_code == 200


def test_resubmitting_the_reset_form_makes_one_new_address(client, navigator):
    client.force_login(navigator)
    _set_up_feed(client)
    page = client.get(reverse("navigators:calendar"))
    data = {"action": "reset", "form_token": page.context["reset_form"]["form_token"].value()}
    client.post(reverse("navigators:calendar"), data)
    once = CalendarFeed.objects.get(user=navigator).token
    client.post(reverse("navigators:calendar"), data)  # Back, then the button again
    assert CalendarFeed.objects.get(user=navigator).token == once


def test_stopping_the_feed_and_unknown_addresses(client, navigator, week):
    client.force_login(navigator)
    _set_up_feed(client)
    token = CalendarFeed.objects.get(user=navigator).token
    page = client.get(reverse("navigators:calendar"))
    stop = {"action": "stop", "form_token": page.context["stop_form"]["form_token"].value()}
    client.post(reverse("navigators:calendar"), stop)
    assert not CalendarFeed.objects.filter(user=navigator).exists()
    assert _feed(token).status_code == 404
    assert _feed("not-a-token").status_code == 404
    assert _feed("x" * 200).status_code == 404


def test_a_feed_stops_when_its_owner_leaves(client, navigator, week):
    client.force_login(navigator)
    _set_up_feed(client)
    token = CalendarFeed.objects.get(user=navigator).token
    navigator.is_active = False
    navigator.save()
    assert _feed(token).status_code == 404


def test_a_one_off_download(client, navigator, week):
    client.force_login(navigator)
    with travel(VIEWED_AT, tick=False):
        response = client.get(reverse("navigators:calendar-download"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 3
    assert b"Bhriain" not in response.content
