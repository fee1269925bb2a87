"""The nightly rebuild of the reports' summary tables: the Celery task, the management command,
idempotence, and nothing personal in the tables."""

from __future__ import annotations

import io
from unittest import mock

from django.conf import settings
from django.core.management import call_command

from checkpoint.models import Case
from reports import tasks
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


def test_start_up_builds_the_reports_when_never_built(db, dm, team):
    # Issue 16 point 9: after a fresh start the reports were empty until 06:15.
    FactRefresh.objects.all().delete()
    factories.open_case(dm=dm, team=team)
    out = io.StringIO()

    call_command("refresh_reports", "--if-empty", stdout=out)

    assert "Report figures refreshed" in out.getvalue()
    assert FactRefresh.objects.count() == 1
    assert CaseFact.objects.count() == Case.objects.count()


def test_start_up_leaves_built_reports_to_the_nightly_rebuild(db, dm, team):
    FactRefresh.objects.all().delete()
    report_facts_refresh(now=factories.NOW)
    out = io.StringIO()

    call_command("refresh_reports", "--if-empty", stdout=out)

    assert "already built" in out.getvalue()
    assert FactRefresh.objects.count() == 1


def test_a_starting_worker_queues_a_first_build_only_if_there_is_none(db, dm, team):
    FactRefresh.objects.all().delete()
    with mock.patch.object(tasks.refresh_report_facts_task, "delay") as delay:
        tasks.build_reports_if_empty(sender=None)
    delay.assert_called_once_with(if_empty=True)

    assert refresh_report_facts_task(if_empty=True) is not None  # what the worker then runs
    assert refresh_report_facts_task(if_empty=True) is None  # and never again
    assert FactRefresh.objects.count() == 1
