"""Case data in the admin is scoped by checkpoint.access, and no admin page tells a user who
may not see a record whether its id exists (issue 7, ASVS V4.2.1 / V8.3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from checkpoint import roles, services
from checkpoint.models import Case
from tests import factories

MISSING_ID = 2147480000

# The path from each case-data model to its case, written here by hand (the specification).
TO_CASE = {
    "checkpoint.case": "pk",
    "checkpoint.person": "cases",
    "checkpoint.arrest": "case",
    "checkpoint.eligibilityassessment": "case",
    "checkpoint.assessmentrule": "assessment__case",
    "checkpoint.contract": "case",
    "checkpoint.victimcondition": "contract__case",
    "checkpoint.pathwayreferral": "contract__case",
    "checkpoint.communitycondition": "contract__case",
    "checkpoint.offence": "arrest__case",
    "checkpoint.casetransition": "case",
    "checkpoint.casenote": "case",
    "checkpoint.appointment": "case",
    "checkpoint.hourslogentry": "community_condition__contract__case",
    "checkpoint.complianceevent": "case",
}


@pytest.fixture
def other_team(db):
    return factories.TeamFactory(name="Darlington & South")


@pytest.fixture
def two_cases(dm, team, navigator, other_team, now):
    """One case of the supervisor's team and one of another team, each with records."""
    other_nav = factories.make_user(roles.NAVIGATOR, team=other_team, username="nav-other")
    mine = factories.CaseFactory(active=True, opened_by=dm, team=team, navigator=navigator, now=now)
    theirs = factories.CaseFactory(
        active=True, opened_by=dm, team=other_team, navigator=other_nav, now=now
    )
    for case, nav in ((mine, navigator), (theirs, other_nav)):
        services.note_add(case_id=case.pk, by=nav, text="A note")
        services.appointment_schedule(
            confirm=True,
            case_id=case.pk,
            by=nav,
            kind="navigator",
            starts_at=now + timedelta(days=1),
            now=now,
        )
        services.compliance_event_raise(
            case_id=case.pk, by=nav, kind="other", occurred_on=now.date(), detail="Did not come"
        )
        factories.complete_conditions(case, navigator=nav, now=now)
    return mine, theirs


@pytest.fixture
def staff_supervisor(supervisor):
    """A supervisor given the staff site and every view permission in the admin: no role has
    this today, so the scoping is what would stop such a grant from opening every case."""
    supervisor.is_staff = True
    supervisor.save()
    supervisor.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return type(supervisor).objects.get(pk=supervisor.pk)


def _records(label: str, case: Case) -> list[int]:
    model = apps.get_model(label)
    lookup = TO_CASE[label]
    return list(model.objects.filter(**{lookup: case.pk}).values_list("pk", flat=True))


def _answer(response, real_id, missing_id=MISSING_ID) -> tuple:
    location = response.get("Location", "")
    return response.status_code, location.replace(f"/{real_id}/", f"/{missing_id}/")


def test_admin_shows_case_records_only_for_cases_in_reach(client, staff_supervisor, two_cases):
    mine, theirs = two_cases
    client.force_login(staff_supervisor)
    tried = 0
    for label in TO_CASE:
        app, model = label.split(".")
        in_reach, out_of_reach = _records(label, mine), _records(label, theirs)
        assert in_reach and out_of_reach, f"the test needs a {label} on each case"
        for pk in in_reach:
            url = reverse(f"admin:{app}_{model}_change", args=[pk])
            assert client.get(url).status_code == 200, url
        for pk in out_of_reach:
            url = reverse(f"admin:{app}_{model}_change", args=[pk])
            missing = reverse(f"admin:{app}_{model}_change", args=[MISSING_ID])
            answer = _answer(client.get(url), pk)
            assert answer == _answer(client.get(missing), MISSING_ID), (url, answer)
            assert answer[0] == 302
            tried += 1
        changelist = client.get(reverse(f"admin:{app}_{model}_changelist"))
        assert changelist.context["cl"].result_count == len(in_reach), label
    assert tried >= len(TO_CASE)


def test_history_rows_are_for_superusers_only(client, staff_supervisor, two_cases):
    client.force_login(staff_supervisor)
    changelist = client.get(reverse("admin:checkpoint_historicalcase_changelist"))
    assert changelist.context["cl"].result_count == 0


@pytest.fixture
def administrator(db):
    user = factories.make_user(roles.ADMINISTRATOR, username="administrator")
    user.is_staff = True
    user.save()
    return user


def test_the_history_page_does_not_reveal_whether_a_record_exists(client, administrator, two_cases):
    """Django answered 403 for a real id and a redirect for a missing one."""
    mine, _ = two_cases
    client.force_login(administrator)
    for model_admin in list(admin.site._registry.values()):
        opts = model_admin.model._meta
        if model_admin.has_view_or_change_permission(_request(administrator)):
            continue  # the administrator may see these
        obj = model_admin.model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        name = f"admin:{opts.app_label}_{opts.model_name}_history"
        real = client.get(reverse(name, args=[obj.pk]))
        missing = client.get(reverse(name, args=[MISSING_ID]))
        assert _answer(real, obj.pk) == _answer(missing, MISSING_ID), opts.label
    case_history = reverse("admin:checkpoint_case_history", args=[mine.pk])
    assert client.get(case_history).status_code == 302


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
