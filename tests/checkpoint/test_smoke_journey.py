from datetime import timedelta

from checkpoint import services
from checkpoint.actors import SYSTEM
from checkpoint.models import Case, CaseState, CaseTransition
from tests import factories


def test_full_journey_to_exit_without_conviction(dm, navigator, supervisor, team, now):
    case = factories.active_case(dm=dm, team=team, navigator=navigator, now=now)
    assert case.state == CaseState.ACTIVE
    later = now + timedelta(days=130)
    factories.complete_conditions(case, navigator=navigator, now=now)
    services.completion_review_begin(case_id=case.pk, by=SYSTEM, now=later)
    services.completion_sign_off(case_id=case.pk, by=supervisor, now=later)
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.EXITED_NO_CONVICTION
    assert list(CaseTransition.objects.filter(case=case).values_list("to_state", flat=True)) == [
        "eligible",
        "offered",
        "accepted",
        "active",
        "completion_review",
        "exited_no_conviction",
    ]
