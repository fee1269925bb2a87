"""The actions a case page offers: the state machine's transitions (through their screens)
plus a small table of other writes, so the two cannot drift; every URL name reverses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from checkpoint import permissions
from checkpoint.blockers import BlockerCode
from checkpoint.models import Case, CaseState
from navigators.views.actions import (
    OTHER_ACTIONS,
    SYSTEM_TRANSITIONS,
    TRANSITION_SCREENS,
    case_actions,
    transition_screen,
)
from navigators.views.contract import BLOCKER_PAGES
from tests.security import world
from web.context import NAVIGATION

S = CaseState


def all_transitions() -> list:
    return list(Case._meta.get_field("state").get_all_transitions(Case))


def test_every_transition_has_a_screen_or_is_the_scheduled_works():
    names = {t.name for t in all_transitions()}
    assert names == set(TRANSITION_SCREENS) | SYSTEM_TRANSITIONS
    assert not set(TRANSITION_SCREENS) & SYSTEM_TRANSITIONS
    # The permission of each transition is stated in checkpoint.permissions.
    assert names == set(permissions.TRANSITIONS)
    for transition in all_transitions():
        if transition.name not in SYSTEM_TRANSITIONS:
            assert transition_screen(transition.name, transition.source).url_name


def test_every_url_name_in_the_tables_reverses():
    screens = [s for s in TRANSITION_SCREENS.values() if not isinstance(s, dict)]
    screens += [
        s
        for by_source in TRANSITION_SCREENS.values()
        if isinstance(by_source, dict)
        for s in by_source.values()
    ]
    screens += [screen for actions in OTHER_ACTIONS.values() for screen, _ in actions]
    for screen in screens:
        assert reverse(screen.url_name, args=["CP-0000-0000"])
    for name in BLOCKER_PAGES.values():
        assert reverse(name, args=["CP-0000-0000"])
    for _text, name, _who in NAVIGATION:
        assert reverse(name)


def test_every_reason_a_contract_cannot_be_signed_leads_to_its_page():
    signing = {
        BlockerCode.OFFENDING_CONDITION_MISSING,
        BlockerCode.VICTIM_CONDITION_MISSING,
        BlockerCode.PATHWAY_REFERRAL_MISSING,
        BlockerCode.COMMUNITY_CONDITION_MISSING,
        BlockerCode.COMMUNITY_HOURS_OUT_OF_RANGE,
        BlockerCode.CONSENT_MISSING,
        BlockerCode.CONSENT_NOT_ON_SIGNED_FORM,
        BlockerCode.CONSENT_SCAN_MISSING,
    }
    assert set(BLOCKER_PAGES) == signing


@pytest.fixture
def staff(db):
    return world.make_staff()


def _texts(staff, who: str, key: str) -> list[str]:
    case = world.form_case(staff, key)
    return [a["text"] for a in case_actions(Case.objects.get(pk=case.pk), staff[who])]


@pytest.mark.parametrize(
    ("who", "key", "first", "also", "never"),
    [
        ("dm", "assessment", "Record the eligibility assessment", [], ["Decide eligibility"]),
        ("dm", "assessed", "Decide eligibility", ["Correct the assessment"], []),
        ("dm", "eligible", "Record the offer", [], []),
        ("dm", "offered", "Record the person's answer", [], []),
        ("nav", "accepted", "Build the contract", ["Record withdrawal"], ["Sign the contract"]),
        ("nav", "ready", "Build the contract", ["Sign the contract"], []),
        (
            "nav",
            "active",
            "Book an appointment",
            ["Log community hours", "Refer for breach review", "Record withdrawal"],
            ["Decide on the breach"],
        ),
        ("sup", "breach", "Decide on the breach", ["Add a note"], []),
        ("nav", "breach", "Add a note", [], ["Decide on the breach"]),
        ("sup", "review", "Review completion and sign off", [], []),
        ("sup", "withdrawn", "Refer for prosecution", [], []),
        ("nav", "withdrawn", None, [], ["Refer for prosecution"]),
        ("nav", "exited", "Outcome letter", [], []),
        ("dm", "active", None, [], ["Record withdrawal", "Book an appointment"]),
    ],
)
def test_the_case_page_offers_what_the_user_may_do_next(staff, who, key, first, also, never):
    texts = _texts(staff, who, key)
    assert (texts[0] if texts else None) == first, texts
    assert set(also) <= set(texts), texts
    assert not set(never) & set(texts), texts
    assert len(texts) == len(set(texts))
