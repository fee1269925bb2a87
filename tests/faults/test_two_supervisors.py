"""Two supervisors of one team deciding the same breach at the same moment, over HTTP.

Both open the breach review of the same case, one chooses to continue the contract and the
other to terminate it, and both press "Save the decision" at the same instant (threads
released by a barrier, each with its own real HTTP session against the live server).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from checkpoint import dates, roles, services
from checkpoint.models import BreachReview, Case, CaseState, CaseTransition
from tests import factories

from .web import fields, open_form, run_together, signed_in, submit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 3


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def supervisors(team, supervisor):
    second = factories.make_user(roles.SUPERVISOR, team=team, username="sup2")
    return {
        "continue": named(supervisor, "Sam", "First"),
        "terminate": named(second, "Tess", "Second"),
    }


def breach_case(*, dm, team, navigator) -> Case:
    start = timezone.now() - timedelta(days=3)
    case = factories.active_case(
        dm=dm,
        team=team,
        navigator=navigator,
        now=start,
        offences=[factories.offence(committed_on=dates.local_date(start) - timedelta(days=10))],
    )
    services.breach_refer(
        case_id=case.pk,
        by=navigator,
        recommendation="Missed three sessions",
        now=timezone.now() - timedelta(days=1),
    )
    return case


def test_two_decisions_on_one_breach_one_is_recorded_the_other_is_told_by_whom(
    live_server, dm, team, navigator, supervisors
):
    """Proves: of two simultaneous decisions (continue and terminate) on the same breach,
    exactly one is recorded, with exactly one new CaseTransition and the review decided by
    that supervisor; the other supervisor gets the form back (200, never a 500) saying the
    case moved on from breach review, to what and by whom, with their choice and reasons
    still in the form; resubmitting it is refused as there is no breach left to decide, and
    still writes nothing."""
    sessions = {d: signed_in(live_server.url, user) for d, user in supervisors.items()}
    reasons = {"continue": "Engaging again since the referral", "terminate": "A further offence"}
    for _ in range(ROUNDS):
        case = breach_case(dm=dm, team=team, navigator=navigator)
        before = CaseTransition.objects.filter(case=case).count()
        path = reverse("supervisors:breach", args=[case.reference])
        hidden = {d: open_form(session, path) for d, session in sessions.items()}

        def decide(decision, path=path, hidden=hidden):
            data = {**hidden[decision], "decision": decision, "reasons": reasons[decision]}
            return submit(sessions[decision], path, data)

        results = run_together({d: (lambda d=d: decide(d)) for d in supervisors})

        statuses = {d: r.value.status_code for d, r in results.items()}
        assert sorted(statuses.values()) == [200, 302], statuses
        winner = next(d for d, status in statuses.items() if status == 302)
        loser = next(d for d in supervisors if d != winner)
        case.refresh_from_db()
        assert (
            case.state == {"continue": CaseState.ACTIVE, "terminate": CaseState.TERMINATED}[winner]
        )
        review = BreachReview.objects.get(case=case)
        assert (review.decision, review.decided_by_id) == (winner, supervisors[winner].pk)
        new = list(CaseTransition.objects.filter(case=case).order_by("pk")[before:])
        assert [(t.from_state, t.to_state, t.by_id) for t in new] == [
            (CaseState.BREACH_REVIEW, case.state, supervisors[winner].pk)
        ]

        body = results[loser].value.text
        assert "<title>Error: " in body
        assert (
            "This case changed since you opened this page: "
            f"Breach review → {case.get_state_display()} "
            f"({supervisors[winner].get_full_name()}, "
            f"{timezone.localtime(new[0].at):%H:%M})"
        ) in body
        typed = fields(body)
        assert typed.checked.get("decision") == loser
        assert typed.textareas["reasons"].strip() == reasons[loser]

        again = submit(
            sessions[loser],
            path,
            {**typed.values, "decision": loser, **{"reasons": reasons[loser]}},
        )
        assert again.status_code == 200
        assert "so there is no breach to decide" in again.text
        assert CaseTransition.objects.filter(case=case).count() == before + 1
        assert BreachReview.objects.get(case=case).decision == winner
