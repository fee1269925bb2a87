"""Refusals on record (issue 17 point 4): a 403 or 404 on a case screen by a signed-in user is
written to the security log (who, what, when, why), administrators find it in the audit log
search, and a burst of refusals by one person raises one alert to the administrators."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from checkpoint import roles
from checkpoint.models import RefusalAlert, RefusalLog, RefusalReason
from checkpoint.services.refusals import refusal_record
from notifications.models import Message
from tests import factories

LOGS = "/audit/logs/"


@pytest.fixture
def other_navigator(db, team):
    return factories.make_user(roles.NAVIGATOR, team=team, username="nav-2")


@pytest.fixture
def case(dm, team, navigator, now):
    return factories.CaseFactory(active=True, opened_by=dm, team=team, navigator=navigator, now=now)


@pytest.fixture
def admins(db):
    root = get_user_model().objects.create_superuser("root", "root@example.police.uk", None)
    administrator = factories.make_user(roles.ADMINISTRATOR, username="administrator")
    administrator.email = "admin@example.police.uk"
    administrator.save()
    return root, administrator


def test_a_navigator_asking_for_another_navigators_case_is_on_record(client, other_navigator, case):
    client.force_login(other_navigator)
    url = reverse("navigators:case", args=[case.reference])
    assert client.get(url).status_code == 404
    row = RefusalLog.objects.get()
    assert (row.user, row.method, row.path, row.status) == (other_navigator, "GET", url, 404)
    assert (row.case_reference, row.case, row.page) == (case.reference, case, "navigators:case")
    assert row.reason == RefusalReason.OUT_OF_REACH
    assert row.ip_address == "127.0.0.1" and row.at is not None

    # A form posted to the case (refused by the service, as a 404) is on record too.
    assert client.post(reverse("navigators:note-new", args=[case.reference]), {"text": "x"})
    post = RefusalLog.objects.order_by("-pk").first()
    assert (post.method, post.status, post.reason) == ("POST", 404, RefusalReason.OUT_OF_REACH)


def test_a_decision_maker_opening_a_supervision_screen_is_on_record(client, dm):
    client.force_login(dm)
    url = reverse("supervisors:dashboard")
    assert client.get(url).status_code == 403
    row = RefusalLog.objects.get()
    assert (row.user, row.status, row.page, row.case_reference) == (
        dm,
        403,
        "supervisors:dashboard",
        "",
    )
    assert row.reason == RefusalReason.NOT_PERMITTED


def test_a_reference_no_case_has_and_a_probe_under_a_case_are_on_record(client, navigator, case):
    client.force_login(navigator)
    assert client.get(reverse("navigators:case", args=["CP-0000-0000"])).status_code == 404
    assert client.get(f"/cases/{case.reference}/no-such-screen/").status_code == 404
    missing, probe = RefusalLog.objects.order_by("pk")
    assert (missing.reason, missing.case_reference, missing.case) == (
        RefusalReason.NO_SUCH_CASE,
        "CP-0000-0000",
        None,
    )
    # The case is the navigator's own: the page does not exist, the case is not out of reach.
    assert (probe.reason, probe.case, probe.page) == (RefusalReason.NOT_FOUND, case, "")


def test_anonymous_requests_and_pages_that_are_not_case_screens_are_not_recorded(
    client, navigator, case
):
    url = reverse("navigators:case", args=[case.reference])
    assert client.get(url).status_code == 302  # to the sign-in page
    assert client.get(f"/cases/{case.reference}/no-such-screen/").status_code in (302, 404)
    assert client.get("/team/").status_code == 302
    client.force_login(navigator)
    assert client.get("/no-such-page/").status_code == 404
    assert client.get(url).status_code == 200
    assert not RefusalLog.objects.exists()


def test_a_form_posted_without_its_csrf_token_is_not_a_refusal_of_access(navigator, case):
    from tests.security.test_csrf import CsrfStaffClient

    client = CsrfStaffClient()
    client.force_login(navigator)
    url = reverse("navigators:note-new", args=[case.reference])
    assert client.post(url, {"text": "x"}).status_code == 403
    assert not RefusalLog.objects.exists()


def test_twenty_refusals_in_ten_minutes_raise_exactly_one_alert(
    client, other_navigator, case, admins, caplog
):
    root, administrator = admins
    client.force_login(other_navigator)
    url = reverse("navigators:case", args=[case.reference])
    caplog.set_level(logging.INFO, logger="checkpoint.security")
    for _ in range(19):
        assert client.get(url).status_code == 404
    assert not RefusalAlert.objects.exists()
    assert not Message.objects.filter(template="refusal_alert").exists()

    for _ in range(11):  # the 20th raises the alert; the ten after it do not raise another
        assert client.get(url).status_code == 404
    assert RefusalLog.objects.filter(user=other_navigator).count() == 30
    alert = RefusalAlert.objects.get()
    assert (alert.user, alert.refusals, alert.window_minutes) == (other_navigator, 20, 10)
    emails = Message.objects.filter(template="refusal_alert")
    assert sorted(emails.values_list("recipient", flat=True)) == sorted(
        [root.email, administrator.email]
    )
    email = emails.first()
    assert email.context["username"] == "nav-2" and email.context["refusals"] == 20
    assert "kind=refusal" in email.context["url"] and "username=nav-2" in email.context["url"]
    assert case.reference not in str(email.context)  # the email names no case
    warnings = [
        r
        for r in caplog.records
        if r.name == "checkpoint.security" and r.levelno == logging.WARNING
    ]
    assert len(warnings) == 1 and "refusal burst" in warnings[0].getMessage()

    from notifications.rendering import render

    subject, body = render("refusal_alert", email.context)
    assert "20 refused requests by nav-2 in 10 minutes" in subject
    assert email.context["url"] in body


def test_one_alert_per_window_and_a_new_burst_after_it(other_navigator, case, admins, now):
    def refuse(at, times=1):
        for _ in range(times):
            refusal_record(
                user=other_navigator,
                status=404,
                method="GET",
                path=f"/cases/{case.reference}/",
                page="navigators:case",
                reference=case.reference,
                ip_address=None,
                now=at,
            )

    refuse(now, times=19)
    refuse(now + timedelta(minutes=11))  # the first 19 are out of the window: no burst
    assert not RefusalAlert.objects.exists()
    refuse(now + timedelta(minutes=12), times=19)  # 20 within ten minutes
    assert RefusalAlert.objects.count() == 1
    refuse(now + timedelta(minutes=20), times=30)  # the same burst goes on
    assert RefusalAlert.objects.count() == 1
    refuse(now + timedelta(minutes=23), times=20)  # ten minutes after the alert: a new one
    assert RefusalAlert.objects.count() == 2
    assert Message.objects.filter(template="refusal_alert").count() == 4  # two administrators


def test_the_threshold_and_window_are_settings(settings, other_navigator, case, admins, now):
    settings.REFUSAL_ALERT_THRESHOLD = 3
    settings.REFUSAL_ALERT_WINDOW_MINUTES = 1
    for _ in range(3):
        refusal_record(
            user=other_navigator,
            status=403,
            method="GET",
            path="/team/",
            page="supervisors:dashboard",
            reference="",
            ip_address=None,
            now=now,
        )
    assert RefusalAlert.objects.get().window_minutes == 1


def test_administrators_find_refusals_and_alerts_in_the_audit_log_search(
    client, other_navigator, navigator, case, admins, settings
):
    settings.REFUSAL_ALERT_THRESHOLD = 2
    client.force_login(other_navigator)
    client.get(reverse("navigators:case", args=[case.reference]))
    client.get(reverse("navigators:case", args=["CP-0000-0000"]))
    root, _administrator = admins
    client.force_login(root)
    body = client.get(LOGS, {"kind": "refusal", "username": "nav-2"}).content.decode()
    assert "2 entries found" in body
    assert case.reference in body and "CP-0000-0000" in body
    assert "case out of the user" in body and "no case with this reference" in body
    by_case = client.get(LOGS, {"kind": "refusal", "person": case.reference}).content.decode()
    assert "1 entry found" in by_case
    by_name = client.get(LOGS, {"kind": "refusal", "person": case.person.family_name})
    assert "1 entry found" in by_name.content.decode()
    assert (
        "0 entries found"
        in client.get(LOGS, {"kind": "refusal", "username": "nav"}).content.decode()
    )
    alerts = client.get(LOGS, {"kind": "refusal_alert"}).content.decode()
    assert "1 entry found" in alerts and "nav-2" in alerts and "2 refused requests" in alerts


def test_the_security_log_is_append_only(other_navigator, case, now):
    row = refusal_record(
        user=other_navigator,
        status=404,
        method="GET",
        path="/",
        page="navigators:case",
        reference=case.reference,
        ip_address=None,
        now=now,
    )
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()


def test_erasure_of_a_case_erases_its_reference_from_the_refusals(other_navigator, dm, team, now):
    from django.contrib.auth import get_user_model

    from checkpoint import services
    from checkpoint.actors import SYSTEM
    from checkpoint.services.retention import retention_erase, retention_review

    case = factories.open_case(dm=dm, team=team, now=now)
    facts = {**factories.GOOD_FACTS, "evidential_test_met": False}
    services.assessment_record(case_id=case.pk, by=dm, now=now, **facts)
    services.assessment_decide(case_id=case.pk, by=dm, eligible=False, now=now, reason="No")
    row = refusal_record(
        user=other_navigator,
        status=404,
        method="GET",
        path=f"/cases/{case.reference}/",
        page="navigators:case",
        reference=case.reference,
        ip_address=None,
        now=now,
    )
    retention_review(by=SYSTEM, today=(now + timedelta(days=3650)).date())
    root = get_user_model().objects.create_superuser("root", "root@example.org", None)
    retention_erase(case_ids=[case.pk], by=root)
    row = RefusalLog.objects.get(pk=row.pk)
    assert (row.case_reference, row.path) == ("[erased]", "/cases/[erased]/")
    assert row.case_id == case.pk and row.user == other_navigator  # who and when stay
