"""The prosecution-deadline watch (DESIGN.md 1.2 and 2; issue 5 point 3).

A common assault (summary only) committed on 15 January 2026 must be charged by 15 July 2026
(Magistrates' Courts Act 1980 s.127). The case is built at ``factories.NOW`` (2 March 2026,
within the scheme's three-month recency rule), so its thresholds fall on 17 June (28 days),
1 July (14 days) and 8 July (7 days). The watch runs hourly; time moves by passing ``now``.
"""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from time_machine import travel

from checkpoint import roles, services
from checkpoint.actors import SYSTEM
from checkpoint.models import Case, CaseState, DeadlineAlert, SweepRun, SweepStatus
from checkpoint.services.deadlines import deadline_watch
from checkpoint.tasks import deadline_watch_task
from notifications.models import Audience, Channel, Message
from notifications.rendering import render
from tests import factories

from .helpers import london

pytestmark = pytest.mark.django_db

COMMITTED_ON = date(2026, 1, 15)
DEADLINE = date(2026, 7, 15)


def summary_only_case(*, dm, team, navigator, builder=factories.active_case, **kwargs) -> Case:
    return builder(
        dm=dm,
        team=team,
        navigator=navigator,
        offences=[factories.offence("COMMON-ASSAULT", committed_on=COMMITTED_ON)],
        **kwargs,
    )


@pytest.fixture
def case(dm, team, navigator):
    return summary_only_case(dm=dm, team=team, navigator=navigator)


def days_before(days: int, hour: int = 8):
    day = DEADLINE - timedelta(days=days)
    return london(day.year, day.month, day.day, hour, 15)


def watch(now):
    run = deadline_watch(by=SYSTEM, now=now)
    assert run is not None and run.status == SweepStatus.SUCCEEDED, run and run.error
    return run


def alerts(case) -> list[tuple[int, int]]:
    return sorted(
        DeadlineAlert.objects.filter(case=case).values_list("threshold_days", "days_left")
    )


def emails(case) -> list[tuple[str, str]]:
    return sorted(
        Message.objects.filter(case=case, template="deadline_alert").values_list(
            "dedupe_key", "recipient"
        )
    )


def test_case_has_the_statutory_deadline(case):
    assert Case.objects.get(pk=case.pk).prosecution_deadline == DEADLINE


def test_alerts_escalate_once_per_threshold(case, navigator, supervisor):
    watch(days_before(29))
    assert alerts(case) == [] and emails(case) == []

    for days in (28, 14, 7):
        watch(days_before(days))
        watch(days_before(days, hour=9))  # the watch is hourly: the second run adds nothing
        watch(days_before(days - 1))  # nor does the next day's
        assert alerts(case)[0] == (days, days)

    assert alerts(case) == [(7, 7), (14, 14), (28, 28)]
    expected = [
        (f"deadline:case:{case.pk}:{t}:user:{user.pk}", user.email)
        for t in (14, 28, 7)
        for user in (navigator, supervisor)
    ]
    assert emails(case) == sorted(expected)


def test_alert_email_goes_to_the_navigator_and_the_team_supervisors_only(
    case, navigator, supervisor, team
):
    other_team = factories.TeamFactory(name="Durham South")
    factories.make_user(roles.SUPERVISOR, team=other_team, username="other-sup")
    second = factories.make_user(roles.SUPERVISOR, team=team, username="sup2")
    moment = days_before(28)

    watch(moment)

    messages = Message.objects.filter(case=case).order_by("recipient")
    assert sorted(m.recipient for m in messages) == sorted(
        [navigator.email, supervisor.email, second.email]
    )
    for message in messages:
        assert (message.channel, message.audience, message.status) == (
            Channel.EMAIL,
            Audience.STAFF,
            "pending",
        )
        assert message.send_after == message.next_attempt_at == moment
    subject, body = render("deadline_alert", messages[0].context)
    assert subject == f"Prosecution deadline in 28 days: {case.reference}"
    assert "15 July 2026" in body and "s.127" in body and f"/cases/{case.reference}" in body


def test_case_first_seen_at_ten_days_gets_both_alerts_but_one_email(case, navigator, supervisor):
    watch(days_before(10))

    assert alerts(case) == [(14, 10), (28, 10)]
    assert emails(case) == sorted(
        (f"deadline:case:{case.pk}:14:user:{user.pk}", user.email)
        for user in (navigator, supervisor)
    )
    watch(days_before(7))
    assert [t for t, _ in alerts(case)] == [7, 14, 28]
    assert len(emails(case)) == 4  # the 7-day email follows


def test_case_past_its_deadline_still_alerts(case, navigator, supervisor):
    watch(days_before(-3))

    assert alerts(case) == [(7, -3), (14, -3), (28, -3)]
    assert {key.split(":")[3] for key, _ in emails(case)} == {"7"}
    assert len(emails(case)) == 2


def test_alert_for_a_passed_deadline_says_it_has_passed(case, navigator):
    watch(days_before(-3))
    message = Message.objects.filter(case=case, user=navigator).get()
    subject, body = render(message.template, message.context)
    assert "-3 day" not in subject + body  # not "deadline in -3 days"
    assert "passed" in subject


def test_resolved_cases_never_alert(dm, team, navigator, supervisor):
    exited = summary_only_case(dm=dm, team=team, navigator=navigator)
    end = london(2026, 7, 2, 12)
    factories.complete_conditions(exited, navigator=navigator, now=end)
    services.completion_review_begin(case_id=exited.pk, by=SYSTEM, now=end)
    services.completion_sign_off(case_id=exited.pk, by=supervisor, reason="All met", now=end)

    referred = summary_only_case(dm=dm, team=team, navigator=navigator)
    services.case_withdraw(case_id=referred.pk, by=navigator, reason="Moved", now=end)
    services.prosecution_refer(case_id=referred.pk, by=supervisor, reason="Withdrew", now=end)

    ineligible = factories.open_case(
        dm=dm,
        team=team,
        offences=[factories.offence("COMMON-ASSAULT", committed_on=COMMITTED_ON)],
    )
    services.assessment_record(
        case_id=ineligible.pk, by=dm, now=factories.NOW, **factories.GOOD_FACTS
    )
    services.assessment_decide(
        case_id=ineligible.pk, by=dm, eligible=False, reason="Custody record", now=factories.NOW
    )

    withdrawn = summary_only_case(dm=dm, team=team, navigator=navigator)
    services.case_withdraw(case_id=withdrawn.pk, by=navigator, reason="Moved", now=end)

    for days in (28, 14, 7, 0, -5):
        watch(days_before(days))

    states = dict(Case.objects.values_list("pk", "state"))
    assert states[exited.pk] == CaseState.EXITED_NO_CONVICTION
    assert states[referred.pk] == CaseState.PROSECUTION_REFERRED
    assert states[ineligible.pk] == CaseState.INELIGIBLE
    for resolved in (exited, referred, ineligible):
        assert alerts(resolved) == [] and emails(resolved) == []
    # Withdrawn is not resolved: it still has to be referred before the deadline.
    assert [t for t, _ in alerts(withdrawn)] == [7, 14, 28]


def test_cases_without_a_statutory_limit_never_alert(dm, team, navigator):
    either_way = factories.active_case(dm=dm, team=team, navigator=navigator)  # theft
    assert Case.objects.get(pk=either_way.pk).prosecution_deadline is None
    watch(days_before(0))
    assert DeadlineAlert.objects.count() == 0


def test_recipients_without_an_email_get_nothing(dm, team, supervisor):
    navigator = factories.make_user(roles.NAVIGATOR, team=team, username="no-email")
    navigator.email = ""
    navigator.save()
    case = summary_only_case(dm=dm, team=team, navigator=navigator)

    watch(days_before(14))

    assert [r for _k, r in emails(case)] == [supervisor.email]
    assert len(alerts(case)) == 2


def test_alerts_and_emails_commit_together(case, navigator):
    with (
        mock.patch("notifications.outbox.enqueue", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        deadline_watch(by=SYSTEM, now=days_before(28))

    assert DeadlineAlert.objects.count() == 0
    assert SweepRun.objects.get().status == SweepStatus.FAILED
    watch(days_before(27))  # the next hourly run catches up
    assert alerts(case) == [(28, 27)]
    assert len(emails(case)) == 1  # the navigator (no supervisor in this test)


def test_celery_task_and_command_run_the_same_watch(case, navigator, capsys):
    from django.core.management import call_command

    with travel(days_before(28), tick=False):
        assert deadline_watch_task()["findings"] == 1
        assert deadline_watch_task()["findings"] == 0
    call_command("watch_deadlines", "--now", days_before(14).isoformat())
    assert "1 findings" in capsys.readouterr().out
    assert [t for t, _ in alerts(case)] == [14, 28]
