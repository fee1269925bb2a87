"""A small population of cases driven through the real services, for the report tests.

Sixteen people, by sex (hand-counted figures in tests/reports/test_figures.py):

- Female (6): two found ineligible; one offered who declined and was referred for prosecution
  (March 2026); two who completed (exited without conviction, July 2026); one still active.
  Assessed 6, eligible 4, offered 4, accepted 3, completed 2.
- Male (10): two not yet assessed; two ineligible; one eligible not yet offered; one who
  declined; one who completed (July 2026); one who reoffended during the contract, was
  terminated and referred for prosecution (March 2026); two still active.
  Assessed 8, eligible 6, offered 5, accepted 4, completed 1.

Every accepted case has one drugs referral, each to its own provider; the three completed
cases completed theirs. All arrests are on 2 March 2026 at 07:00 (three hours before NOW).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from checkpoint import roles, services
from checkpoint.models import Case
from reports.services import report_facts_refresh
from tests import factories
from tests.conftest import data_for_the_module

NOW = factories.NOW
AT_END = datetime(2026, 7, 2, 9, 0, tzinfo=factories.LONDON)  # contracts' end date
BREACH_AT = NOW + timedelta(days=10)


_names = iter(range(1, 10**6))


def person(sex: str, *, born: date = date(1995, 6, 15), ethnicity: str = "W1", veteran="no"):
    n = next(_names)  # names found nowhere else on a page, so a leak cannot hide
    return factories.PersonFactory(
        given_name=f"Quillon{n}",
        family_name=f"Vexbridge{n}",
        sex=sex,
        date_of_birth=born,
        ethnicity=ethnicity,
        veteran_status=veteran,
    )


def ineligible(p, *, dm, team):
    case = factories.open_case(dm=dm, team=team, person=p)
    facts = {**factories.GOOD_FACTS, "evidential_test_met": False}
    services.assessment_record(case_id=case.pk, by=dm, now=NOW, **facts)
    services.assessment_decide(case_id=case.pk, by=dm, eligible=False, now=NOW)


def declined(p, *, dm, team, supervisor=None):
    case = factories.eligible_case(dm=dm, team=team, person=p)
    services.case_offer(case_id=case.pk, by=dm, now=NOW)
    services.offer_decline(case_id=case.pk, by=dm, reason="Does not want to take part", now=NOW)
    if supervisor is not None:
        services.prosecution_refer(case_id=case.pk, by=supervisor, reason="Declined", now=NOW)


def completed(p, *, dm, team, navigator, supervisor):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, person=p)
    factories.complete_conditions(case, navigator=navigator, now=NOW)
    services.completion_review_begin(case_id=case.pk, by=navigator, now=AT_END)
    services.completion_sign_off(case_id=case.pk, by=supervisor, now=AT_END)


def reoffended(p, *, dm, team, navigator, supervisor):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, person=p)
    services.new_offence_report(
        case_id=case.pk,
        by=navigator,
        occurred_on=BREACH_AT.date() - timedelta(days=1),
        description="Shoplifting",
        now=BREACH_AT,
    )
    services.breach_refer(case_id=case.pk, by=navigator, recommendation="Terminate", now=BREACH_AT)
    services.breach_decide(
        case_id=case.pk, by=supervisor, decision="terminate", reasons="New offence", now=BREACH_AT
    )
    services.prosecution_refer(case_id=case.pk, by=supervisor, reason="Terminated", now=BREACH_AT)


def build_population(*, dm, navigator, supervisor, team) -> None:
    """The sixteen cases above, with the report summary refreshed."""
    staff = {"dm": dm, "team": team}
    full = {**staff, "navigator": navigator, "supervisor": supervisor}
    young = date(2005, 1, 1)  # 21 at arrest: a young adult
    for p in (person("female", born=young), person("female", ethnicity="B2")):
        ineligible(p, **staff)
    declined(person("female", born=young, ethnicity="A1"), **staff, supervisor=supervisor)
    for p in (person("female", veteran="yes"), person("female", ethnicity="M1")):
        completed(p, **full)
    factories.active_case(**staff, navigator=navigator, person=person("female"))

    for _ in range(2):
        factories.open_case(**staff, person=person("male"))
    for p in (person("male", born=young), person("male", ethnicity="B1")):
        ineligible(p, **staff)
    factories.eligible_case(**staff, person=person("male", ethnicity="NS"))
    declined(person("male", born=date(1960, 1, 1)), **staff)
    completed(person("male", born=young), **full)
    reoffended(person("male", veteran="yes"), **full)
    for p in (person("male"), person("male", veteran="prefer_not_to_say")):
        factories.active_case(**staff, navigator=navigator, person=p)
    report_facts_refresh(now=AT_END + timedelta(days=1))


@pytest.fixture(scope="module")
def _population_built(django_db_setup, django_db_blocker):
    """The population, built once for each module that uses it (it was built again for every
    test, the sixteen journeys taking most of each test's time). The staff are the ones the
    ``dm``, ``navigator``, ``supervisor`` and ``team`` fixtures return (same usernames, same
    team), so a test that also asks for them gets the people who built the cases.

    A module using it must use it in all of its database tests: a test of the same module
    that does not ask for it may still run while it is there."""
    with data_for_the_module(django_db_blocker):
        team = factories.TeamFactory(name="Durham North")
        build_population(
            dm=factories.make_user(roles.DECISION_MAKER, username="dm"),
            navigator=factories.make_user(roles.NAVIGATOR, team=team, username="nav"),
            supervisor=factories.make_user(roles.SUPERVISOR, team=team, username="sup"),
            team=team,
        )
        yield


@pytest.fixture
def population(_population_built, db):
    """The sixteen cases, with the report summary refreshed (each test's changes are rolled
    back). Returns the cases, read afresh for each test."""
    return list(Case.objects.select_related("person").order_by("pk"))
