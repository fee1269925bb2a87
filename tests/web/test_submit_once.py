"""Each form instance saves once (web.submissions): Back and resubmit, a double click and a
duplicated tab create nothing the second time, and say what the first submission saved."""

from __future__ import annotations

import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from checkpoint import dates, roles
from checkpoint.models import Case, CaseNote, HoursLogEntry
from custody.views import CaseOpenView
from navigators.forms.supervision import HoursForm
from tests import factories
from tests.conftest import StaffClient
from tests.custody.test_screens import _open_data
from tests.supervisors.helpers import live_case
from web import submissions
from web.models import FormSubmission
from web.submissions import SubmitOnceMixin
from web.views import CaseServiceFormView

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def hidden_fields(response) -> dict[str, str]:
    """The hidden inputs of the page, as the browser would send them back."""
    return dict(HIDDEN.findall(response.content.decode()))


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def case(dm, team, navigator):
    return live_case(dm=dm, team=team, navigator=navigator)


def note_form(client, case: Case) -> tuple[str, dict[str, str]]:
    url = reverse("navigators:note-new", args=[case.reference])
    page = client.get(url)
    assert page.status_code == 200
    return url, {**hidden_fields(page), "text": "Rang Siobhán Ní Bhriain's mother"}


def test_back_and_resubmit_saves_nothing_the_second_time(client, navigator, case):
    client.force_login(navigator)
    url, data = note_form(client, case)
    assert "form_token" in data

    first = client.post(url, data)
    assert first.status_code == 302 and said(first) == ["Note added"], said(first)
    client.get(first["Location"])  # the browser follows the redirect, showing "Note added"
    second = client.post(url, data)  # Back, then Save again: the same page, the same token

    assert CaseNote.objects.filter(case=case).count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]  # where the first one went
    (message,) = said(second)
    assert message.startswith("This form was already saved at ")
    assert "(Note added). Nothing was saved a second time." in message


def test_a_new_page_is_a_new_form(client, navigator, case):
    client.force_login(navigator)
    for _ in range(2):
        url, data = note_form(client, case)
        client.post(url, data)
    assert CaseNote.objects.filter(case=case).count() == 2


def test_a_refused_submission_keeps_the_token_for_the_corrected_one(client, navigator, case):
    """The service refuses a date in the future; the claim is rolled back with it, so the
    corrected form (same page, same token) saves."""
    client.force_login(navigator)
    url = reverse("navigators:hours-new", args=[case.reference])
    page = client.get(url)
    tomorrow = dates.local_date(timezone.now()) + timedelta(days=1)
    data = {
        **hidden_fields(page),
        "worked_on_day": tomorrow.day,
        "worked_on_month": tomorrow.month,
        "worked_on_year": tomorrow.year,
        "hours": "3",
        "activity": "Litter picking",
        "verification": HoursForm.SELF_REPORTED,
    }
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "The date worked must be today or in the past" in refused.content.decode()
    assert not FormSubmission.objects.exists()
    # The form shown again carries the same token.
    assert hidden_fields(refused)["form_token"] == data["form_token"]

    today = dates.local_date(timezone.now())
    data.update(worked_on_day=today.day, worked_on_month=today.month, worked_on_year=today.year)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # and only once
    assert HoursLogEntry.objects.filter(community_condition__contract__case=case).count() == 1


def test_another_users_token_saves_nothing_and_reveals_nothing(client, navigator, team, case):
    client.force_login(navigator)
    url, data = note_form(client, case)
    client.post(url, data)
    colleague = factories.make_user(roles.SUPERVISOR, team=team, username="colleague")
    other = StaffClient()
    other.force_login(colleague)
    response = other.post(url, data)
    assert response.status_code == 302, response.status_code
    assert said(response) == ["This form was already submitted. Nothing was saved."]
    assert response["Location"] == url
    assert CaseNote.objects.filter(case=case).count() == 1


def test_opening_a_case_twice_opens_one(client, dm, team):
    client.force_login(dm)
    url = reverse("custody:case-new")
    page = client.get(url)
    token = hidden_fields(page)["form_token"]
    data = {**_open_data(team), "form_token": token}
    first = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    second = client.post(url, data)
    assert second["Location"] == first["Location"]
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_click_saves_once(navigator, team):
    """Two submissions of the same form at the same moment, each in its own connection: the
    unique token makes the second wait for the first and save nothing."""
    case = live_case(
        dm=factories.make_user(roles.DECISION_MAKER, team=team), team=team, navigator=navigator
    )
    setup = StaffClient()
    setup.force_login(navigator)
    url, data = note_form(setup, case)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def click() -> None:
        try:
            browser = StaffClient()
            browser.force_login(navigator)
            start.wait()
            statuses.append(browser.post(url, data).status_code)
        finally:
            connection.close()

    clicks = [threading.Thread(target=click) for _ in range(2)]
    for thread in clicks:
        thread.start()
    for thread in clicks:
        thread.join()
    assert statuses == [302, 302]
    assert CaseNote.objects.filter(case=case).count() == 1
    assert FormSubmission.objects.count() == 1


def test_old_claims_are_forgotten(navigator, settings):
    old = FormSubmission.objects.create(token=uuid.uuid4(), user=navigator, page="p")
    FormSubmission.objects.filter(pk=old.pk).update(
        submitted_at=timezone.now() - timedelta(days=settings.FORM_TOKEN_DAYS, minutes=1)
    )
    recent = FormSubmission.objects.create(token=uuid.uuid4(), user=navigator, page="p")
    assert submissions.purge_old() == 1
    assert list(FormSubmission.objects.all()) == [recent]


def test_every_form_that_saves_is_guarded():
    """Every case form and the custody case form claim a token (``SubmitOnceMixin``); that each
    such page renders it is checked for every screen by test_access_matrix's test_case_screens."""
    views = [
        getattr(p.callback, "view_class", None)
        for p in _patterns(get_resolver())
        if getattr(p.callback, "view_class", None)
    ]
    screens = [
        v for v in views if v.__module__.split(".")[0] in {"custody", "navigators", "supervisors"}
    ]
    savers = [v for v in screens if any(hasattr(v, m) for m in ("perform", "form_valid"))]
    unguarded = [v.__name__ for v in savers if not issubclass(v, SubmitOnceMixin)]
    assert CaseOpenView in views and issubclass(CaseServiceFormView, SubmitOnceMixin)
    assert unguarded == [], "add SubmitOnceMixin (web.submissions) to these form views"
    assert len(savers) >= 28


def _patterns(resolver: URLResolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern)
        elif isinstance(pattern, URLPattern):
            yield pattern
