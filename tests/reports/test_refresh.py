"""The nightly rebuild of the reports' summary tables: the Celery task, the management command,
idempotence, and nothing personal in the tables."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.management import call_command

from checkpoint.models import Case
from reports.models import CaseFact, FactRefresh, ReferralFact, StateStay
from reports.services import report_facts_refresh
from reports.tasks import refresh_report_facts_task
from tests import factories


def _snapshot():
    return (
        sorted(CaseFact.objects.values_list("case_id", "state", "assessed", "completed")),
        sorted(StateStay.objects.values_list("case_id", "state", "hours")),
        sorted(ReferralFact.objects.values_list("case_id", "dimension", "completed")),
    )


def test_rebuilding_twice_gives_the_same_rows(population):
    first = _snapshot()
    report_facts_refresh(now=factories.NOW)
    assert _snapshot() == first
    assert len(first[0]) == 16 and FactRefresh.objects.count() == 2


def test_rebuild_follows_changes_to_the_cases(dm, team, population):
    factories.open_case(dm=dm, team=team)
    assert CaseFact.objects.count() == 16  # until the next rebuild
    report_facts_refresh(now=factories.NOW)
    assert CaseFact.objects.count() == 17


def test_command_and_task_rebuild(dm, team):
    # Counted rather than assumed: the module's population may be in the database too.
    factories.open_case(dm=dm, team=team)
    cases, refreshes = Case.objects.count(), FactRefresh.objects.count()
    out = io.StringIO()
    call_command("refresh_reports", "--now", "2026-03-03T06:15:00+00:00", stdout=out)
    assert f"Report figures refreshed: {cases} cases" in out.getvalue()
    assert refresh_report_facts_task()["cases"] == cases
    assert FactRefresh.objects.count() == refreshes + 2


def test_the_rebuild_is_scheduled_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-report-facts"]
    assert entry["task"] == "reports.tasks.refresh_report_facts_task"
    assert refresh_report_facts_task.name == entry["task"]


def test_summary_tables_hold_no_personal_details():
    for model in (CaseFact, StateStay, ReferralFact):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"reference", "given_name", "family_name", "date_of_birth", "pnc_id"}
