"""The questions before a report's CSV speak of what a report is: counts for analysts and
boards, not a charging decision about a person (issue 16, point 10)."""

from __future__ import annotations

import pytest

from checkpoint import services
from checkpoint.models import Case, CaseState
from tests.supervisors.helpers import live_case, url

CSV = "/reports/equality-sex/funnel-sex.csv"


@pytest.mark.django_db
def test_the_csv_hint_speaks_of_aggregate_figures(client, analyst):
    client.force_login(analyst)
    page = client.get(CSV).content.decode()
    assert "Before you download this table" in page
    assert "charging" not in page.lower() and "s.127" not in page
    assert "The table holds counts only, with small numbers hidden" in page
    assert "partnership board" in page


@pytest.mark.django_db
def test_the_prosecution_file_keeps_its_own_hint(client, dm, team, navigator, supervisor):
    case = live_case(dm=dm, team=team, navigator=navigator)
    services.breach_refer(case_id=case.pk, by=navigator, recommendation="Missed sessions")
    services.breach_decide(case_id=case.pk, by=supervisor, decision="terminate", reasons="x")
    services.prosecution_refer(case_id=case.pk, by=supervisor, reason="Contract failed")
    client.force_login(supervisor)
    page = client.get(url("prosecution-file", case)).content.decode()
    assert Case.objects.get(pk=case.pk).state == CaseState.PROSECUTION_REFERRED
    assert "charging decision before the s.127 deadline" in page
