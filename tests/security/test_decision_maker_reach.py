"""A decision maker's reach (issue 17 point 7): every case at a custody stage (assessment to
accepted), and the cases they opened for ``DECISION_MAKER_OPENED_CASE_DAYS`` days after
opening them; not the supervision of cases past custody that they have no part in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from checkpoint import access, roles
from checkpoint.models import Case, CaseState
from tests import factories


@pytest.fixture
def other_dm(db):
    return factories.make_user(roles.DECISION_MAKER, username="dm-2")


def _opened_days_ago(case: Case, days: int) -> Case:
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - timedelta(days=days))
    return Case.objects.get(pk=case.pk)


def test_every_decision_maker_reaches_the_custody_stages_up_to_accepted(
    dm, other_dm, team, navigator, now
):
    assessment = factories.CaseFactory(opened_by=dm, team=team, now=now)
    eligible = factories.CaseFactory(eligible=True, opened_by=dm, team=team, now=now)
    accepted = factories.CaseFactory(
        accepted=True, opened_by=dm, team=team, navigator=navigator, now=now
    )
    for case in (assessment, eligible, accepted):
        case = _opened_days_ago(case, 90)  # long ago: reached for its stage, not as opener
        assert access.can_see_case(other_dm, case), case.state
        assert access.can_see_case(dm, case), case.state


def test_past_custody_only_the_decision_maker_who_opened_it_and_only_for_the_window(
    dm, other_dm, team, navigator, now, settings
):
    case = factories.CaseFactory(active=True, opened_by=dm, team=team, navigator=navigator, now=now)
    assert case.state == CaseState.ACTIVE
    assert access.can_see_case(dm, _opened_days_ago(case, 29))
    assert not access.can_see_case(other_dm, case)  # no part in it

    case = _opened_days_ago(case, 31)
    assert settings.DECISION_MAKER_OPENED_CASE_DAYS == 30
    assert not access.can_see_case(dm, case)
    settings.DECISION_MAKER_OPENED_CASE_DAYS = 60
    assert access.can_see_case(dm, case)


def test_the_case_page_past_the_window_is_a_404_and_on_record(client, dm, team, navigator, now):
    from checkpoint.models import RefusalLog, RefusalReason

    case = factories.CaseFactory(active=True, opened_by=dm, team=team, navigator=navigator, now=now)
    client.force_login(dm)
    url = reverse("navigators:case", args=[case.reference])
    assert client.get(url).status_code == 200
    _opened_days_ago(case, 31)
    assert client.get(url).status_code == 404
    assert RefusalLog.objects.get().reason == RefusalReason.OUT_OF_REACH


def test_the_custody_worklist_stays_the_cases_to_assess_and_offer(dm, team, navigator, now):
    from checkpoint.selectors.custody import custody_list_for

    accepted = factories.CaseFactory(
        accepted=True, opened_by=dm, team=team, navigator=navigator, now=now
    )
    waiting = factories.CaseFactory(opened_by=dm, team=team, now=now)
    listed = set(custody_list_for(dm).values_list("pk", flat=True))
    assert waiting.pk in listed and accepted.pk not in listed
