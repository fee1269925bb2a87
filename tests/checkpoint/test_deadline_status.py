"""The prosecution deadline's status (checkpoint.deadlines): one rule for every screen and the
digest, with the scheme profile's warning window; then the screens that read it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from checkpoint import services
from checkpoint.deadlines import DeadlineState, contract_dates, deadline_status
from checkpoint.models import Case, Outcome, SchemeVersion
from tests import factories
from tests.supervisors.helpers import live_case

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("deadline", "state", "days_left"),
    [
        (None, DeadlineState.NONE, None),
        (TODAY + timedelta(days=29), DeadlineState.OK, 29),
        (TODAY + timedelta(days=28), DeadlineState.NEAR, 28),  # the window's last day
        (TODAY, DeadlineState.NEAR, 0),  # the last day a charge can be laid
        (TODAY - timedelta(days=1), DeadlineState.PASSED, -1),  # time-barred
    ],
)
def test_deadline_status_at_the_edges_of_the_window(deadline, state, days_left):
    status = deadline_status(deadline, today=TODAY, warning_days=28)
    assert (status.state, status.days_left) == (state, days_left)
    assert status.time_barred is (state == DeadlineState.PASSED)
    assert status.needs_attention is (state in (DeadlineState.NEAR, DeadlineState.PASSED))


def test_the_window_is_the_profiles():
    deadline = TODAY + timedelta(days=20)
    assert deadline_status(deadline, today=TODAY, warning_days=28).near
    assert not deadline_status(deadline, today=TODAY, warning_days=14).near


def test_contract_dates_show_the_slack_to_the_deadline():
    # 31 October + 4 months = 28 February; a deadline of 10 March leaves 10 days.
    dates = contract_dates(
        starts_on=date(2025, 10, 31), months=4, deadline=date(2026, 3, 10), warning_days=28
    )
    assert (dates.ends_on, dates.days_from_end_to_deadline) == (date(2026, 2, 28), 10)
    assert dates.tight and not dates.deadline_before_end
    late = contract_dates(
        starts_on=date(2025, 10, 31), months=4, deadline=date(2026, 2, 1), warning_days=28
    )
    assert late.deadline_before_end


# --- through the database and the screens ---------------------------------------------------


def _case_due_in(days: int, *, dm, team, navigator) -> Case:
    case = live_case(dm=dm, team=team, navigator=navigator)
    deadline = timezone.localdate() + timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(prosecution_deadline=deadline)
    return Case.objects.select_related("scheme_version").get(pk=case.pk)


def test_cases_near_their_deadline_use_each_profiles_own_window(dm, team, navigator):
    in_20 = _case_due_in(20, dm=dm, team=team, navigator=navigator)
    in_40 = _case_due_in(40, dm=dm, team=team, navigator=navigator)
    today = timezone.localdate()
    near = set(Case.objects.deadline_near(today).values_list("pk", flat=True))
    assert near == {in_20.pk}  # Durham's window: 28 days
    # A profile warning 45 days ahead: the 40-day case is near too (a draft copy in use).
    wider = SchemeVersion.objects.get(pk=in_40.scheme_version_id)
    SchemeVersion.objects.filter(pk=wider.pk).update(deadline_warning_days=45)
    near = set(Case.objects.deadline_near(today).values_list("pk", flat=True))
    assert near == {in_20.pk, in_40.pk}
    assert Case.objects.get(pk=in_40.pk).deadline_status(today).near


def test_caseload_and_team_screens_flag_the_same_cases(client, dm, team, navigator, supervisor):
    in_20 = _case_due_in(20, dm=dm, team=team, navigator=navigator)
    in_40 = _case_due_in(40, dm=dm, team=team, navigator=navigator)
    client.force_login(navigator)
    caseload = client.get(reverse("navigators:caseload")).content.decode()
    assert "20 days left" in caseload and "40 days left" not in caseload
    # Most urgent first: the case inside the window heads the caseload.
    assert caseload.index(in_20.reference) < caseload.index(in_40.reference)
    client.force_login(supervisor)
    board = client.get(reverse("supervisors:dashboard")).content.decode()
    assert "Prosecution deadlines near or passed (1)" in board
    assert in_20.reference in board


def test_a_time_barred_case_says_so_and_its_referral_records_it(
    client, dm, team, navigator, supervisor
):
    case = live_case(dm=dm, team=team, navigator=navigator)
    services.case_withdraw(case_id=case.pk, by=navigator, reason="Moved away")
    yesterday = timezone.localdate() - timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(prosecution_deadline=yesterday)
    client.force_login(supervisor)
    page = client.get(reverse("navigators:case", args=[case.reference])).content.decode()
    assert "Refer for prosecution (time-barred)" in page
    assert "Passed: time-barred" in page
    refer = reverse("supervisors:prosecution-refer", args=[case.reference])
    form = client.get(refer).content.decode()
    assert "This case is time-barred: the statutory time limit passed on" in form
    response = client.post(
        refer,
        {
            "reason": "Withdrew after the deadline; referral recorded to close the case",
            **factories_lock(case),
        },
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(case=case)
    assert outcome.within_time_limit is False
    file = factories.disclose(
        client, reverse("supervisors:prosecution-file", args=[case.reference])
    )
    assert "After the statutory time limit" in file.content.decode()


def factories_lock(case: Case) -> dict:
    version = Case.objects.get(pk=case.pk).lock_version
    return {"lock_version": version, "opened_at": timezone.now().isoformat()}


def test_the_digest_lists_deadlines_inside_each_profiles_window(dm, team, navigator):
    from checkpoint.actors import SYSTEM
    from notifications.models import Message
    from notifications.rendering import render

    _case_due_in(20, dm=dm, team=team, navigator=navigator)
    _case_due_in(40, dm=dm, team=team, navigator=navigator)
    gone = _case_due_in(-3, dm=dm, team=team, navigator=navigator)
    services.staff_digest(by=SYSTEM, now=timezone.now())
    message = Message.objects.get(template="staff_digest", user=navigator)
    _subject, body = render(message.template, message.context)
    assert "Prosecution deadlines near or passed: 2" in body
    assert f"{gone.reference}: " in body and "(passed: time-barred)" in body
    assert "20 days left" in body and "40 days" not in body
