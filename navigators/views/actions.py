"""What a user can do next on a case, as links for the case page.

Two sources, so that the page cannot drift from the state machine:

- the transitions the case's state machine makes available to this user now (django-fsm-2:
  source state, the transition's ``conditions=`` and its permission, which is
  ``checkpoint.permissions``), each shown as the screen where a person takes it
  (``TRANSITION_SCREENS``); the scheduled work's own transitions have no screen
  (``SYSTEM_TRANSITIONS``);
- a small table of the other things a person records on a case in each state
  (``OTHER_ACTIONS``), each shown when ``checkpoint.permissions`` allows the user its write.

Every transition is in one of the two transition tables, and every URL name reverses: a test
checks both (tests/navigators/test_actions.py), so nothing is silently left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from checkpoint import permissions
from checkpoint.models import Case, CaseState
from checkpoint.permissions import Permission

S = CaseState


@dataclass(frozen=True)
class Screen:
    """A screen of a case: its link text, URL name and place in the list (lowest first)."""

    text: str
    url_name: str
    order: int
    when: Callable[[Case], bool] | None = None  # shown only when this holds


def _assessed(case: Case) -> bool:
    return case.latest_assessment() is not None


def _not_assessed(case: Case) -> bool:
    return case.latest_assessment() is None


def _allocated(case: Case) -> bool:
    return case.navigator_id is not None


def _unallocated(case: Case) -> bool:
    return case.navigator_id is None


# transition -> the screen where a person takes it; a transition with several sources may
# have one screen per source state.
TRANSITION_SCREENS: dict[str, Screen | dict[str, Screen]] = {
    "decide_eligible": Screen("Decide eligibility", "custody:assessment-result", 10),
    "decide_ineligible": Screen("Decide eligibility", "custody:assessment-result", 10),
    "make_offer": Screen("Record the offer", "custody:offer", 10),
    "accept_offer": Screen("Record the person's answer", "custody:offer", 10),
    "decline_offer": Screen("Record the person's answer", "custody:offer", 10),
    "sign_contract": Screen("Sign the contract", "navigators:contract-sign", 11),
    "withdraw": Screen("Record withdrawal", "navigators:withdraw", 90),
    "refer_breach": Screen("Refer for breach review", "navigators:breach-refer", 80),
    "continue_contract": Screen("Decide on the breach", "supervisors:breach", 10),
    "vary_contract": Screen("Decide on the breach", "supervisors:breach", 10),
    "terminate": {
        S.BREACH_REVIEW: Screen("Decide on the breach", "supervisors:breach", 10),
        S.COMPLETION_REVIEW: Screen("Review completion and sign off", "supervisors:completion", 10),
    },
    "sign_off": Screen("Review completion and sign off", "supervisors:completion", 10),
    "refer_for_prosecution": Screen("Refer for prosecution", "supervisors:prosecution-refer", 10),
}
# Taken by the scheduled work when the calendar says so (DESIGN.md 1.3), never from a page.
SYSTEM_TRANSITIONS = frozenset({"begin_completion_review"})

_NOTE = (Screen("Add a note", "navigators:note-new", 70), Permission.ADD_NOTE)
_NEEDS = (Screen("Needs assessment", "navigators:needs", 40), Permission.ASSESS_NEEDS)
_APPOINTMENT = (
    Screen("Book an appointment", "navigators:appointment-new", 20),
    Permission.SUPERVISE_CONTRACT,
)
_REMINDERS = (
    Screen("Reminders to the participant", "navigators:reminders", 60),
    Permission.SET_REMINDERS,
)
_SUPERVISE = Permission.SUPERVISE_CONTRACT


def _has_warning(case: Case) -> bool:
    listed = getattr(case, "warning_list", None)  # prefetched for the case page
    return bool(listed) if listed is not None else case.warnings.exists()


def _has_breach_decision(case: Case) -> bool:
    """A supervisor decided a breach: the case left breach review (continued, varied or
    terminated). Read from the prefetched transitions on the case page."""
    listed = getattr(case, "transition_list", None)
    if listed is None:
        return case.breach_reviews.exclude(decision="").exists()
    return any(t.from_state == S.BREACH_REVIEW for t in listed)


# The participant's documents (printed or downloaded as PDF, each a logged disclosure).
_DOCUMENT = Permission.DISCLOSE_CASE_DOCUMENT
_CONTRACT_DOCUMENT = (Screen("Print the contract", "navigators:contract-document", 76), _DOCUMENT)
_WARNING_LETTER = (
    Screen("Print the warning letter", "navigators:warning-letter", 77, _has_warning),
    _DOCUMENT,
)
_BREACH_LETTER = (
    Screen(
        "Print the breach decision letter", "supervisors:breach-letter", 78, _has_breach_decision
    ),
    _DOCUMENT,
)
_ALLOCATE = (
    Screen("Allocate a navigator", "supervisors:case-allocate", 85, _unallocated),
    Permission.ALLOCATE,
)
_REALLOCATE = (
    Screen("Reallocate to another navigator", "supervisors:case-allocate", 85, _allocated),
    Permission.ALLOCATE,
)

# state -> what else a person records on a case in that state, with the write it needs.
OTHER_ACTIONS: dict[str, tuple[tuple[Screen, Permission], ...]] = {
    S.ASSESSMENT: (
        (
            Screen("Record the eligibility assessment", "custody:assessment", 5, _not_assessed),
            Permission.RECORD_ASSESSMENT,
        ),
        (
            Screen("Correct the assessment", "custody:assessment", 20, _assessed),
            Permission.RECORD_ASSESSMENT,
        ),
    ),
    S.ACCEPTED: (
        (Screen("Build the contract", "navigators:contract", 5), Permission.BUILD_CONTRACT),
        _NEEDS,
        (
            Screen("Record the victim's wishes", "navigators:victim-wishes", 30),
            Permission.BUILD_CONTRACT,
        ),
        _APPOINTMENT,
        _REMINDERS,
        _NOTE,
        _ALLOCATE,
        _REALLOCATE,
    ),
    S.ACTIVE: (
        _APPOINTMENT,
        (Screen("Log community hours", "navigators:hours-new", 21), Permission.LOG_HOURS),
        (
            Screen("Record the restorative outcome", "navigators:restorative-outcome", 22),
            _SUPERVISE,
        ),
        (Screen("Record a referral's outcome", "navigators:referral-outcome", 23), _SUPERVISE),
        (Screen("Report a new offence", "navigators:new-offence", 24), _SUPERVISE),
        (Screen("Raise a compliance event", "navigators:compliance-new", 25), _SUPERVISE),
        (Screen("Issue a warning", "navigators:warning-new", 26), _SUPERVISE),
        _NEEDS,
        _REMINDERS,
        _NOTE,
        _ALLOCATE,
        _REALLOCATE,
        _CONTRACT_DOCUMENT,
        _WARNING_LETTER,
        _BREACH_LETTER,
    ),
    S.BREACH_REVIEW: (_NOTE, _ALLOCATE, _REALLOCATE, _CONTRACT_DOCUMENT, _WARNING_LETTER),
    S.COMPLETION_REVIEW: (_NOTE, _ALLOCATE, _REALLOCATE, _CONTRACT_DOCUMENT),
    S.EXITED_NO_CONVICTION: (
        (
            Screen("Outcome letter", "supervisors:outcome-letter", 10),
            Permission.DISCLOSE_CASE_DOCUMENT,
        ),
        _CONTRACT_DOCUMENT,
    ),
    S.TERMINATED: (_BREACH_LETTER,),
    S.PROSECUTION_REFERRED: (
        (
            Screen("Prosecution file", "supervisors:prosecution-file", 10),
            Permission.DISCLOSE_CASE_DOCUMENT,
        ),
    ),
}


# The case page groups its links by the contract condition they concern (DESIGN.md 1.1: the
# Offending, Victim, Pathway and Community conditions); everything else is about the case.
CASE_GROUP = "Case"
CONDITION_GROUPS = ("Offending", "Victim", "Pathway", "Community")
ACTION_GROUPS: dict[str, str] = {
    "navigators:new-offence": "Offending",
    "navigators:rearrest": "Offending",
    "navigators:victim-wishes": "Victim",
    "navigators:restorative-outcome": "Victim",
    "navigators:restorative-correct": "Victim",
    "navigators:referral-outcome": "Pathway",
    "navigators:referral-correct": "Pathway",
    "navigators:referral-withdraw": "Pathway",
    "navigators:hours-new": "Community",
    "navigators:hours-correct": "Community",
    "navigators:hours-withdraw": "Community",
}


def group_actions(actions: list[dict]) -> list[tuple[str, list[dict]]]:
    """The case page's links (``case_actions``) by condition, then the case's own; groups with
    no link are left out."""
    order = (*CONDITION_GROUPS, CASE_GROUP)
    groups: dict[str, list[dict]] = {name: [] for name in order}
    for action in actions:
        groups[action.get("group", CASE_GROUP)].append(action)
    return [(name, groups[name]) for name in order if groups[name]]


def transition_screen(name: str, source: str) -> Screen:
    """The screen where a person takes transition ``name`` from state ``source``."""
    screen = TRANSITION_SCREENS[name]
    return screen[source] if isinstance(screen, dict) else screen


def case_actions(case: Case, user) -> list[dict]:
    """The links for the case page, the next step first, each screen once."""
    screens = [
        transition_screen(t.name, case.state)
        # Added to Case by django-fsm's FSMField (for ``state``), out of the checker's sight.
        for t in case.get_available_user_state_transitions(user)  # type: ignore[attr-defined]
        if t.name not in SYSTEM_TRANSITIONS
    ]
    screens += [
        screen
        for screen, needs in OTHER_ACTIONS.get(case.state, ())
        if permissions.allows(user, needs) and (screen.when is None or screen.when(case))
    ]
    actions, seen = [], set()
    for screen in sorted(screens, key=lambda s: s.order):
        href = reverse(screen.url_name, args=[case.reference])
        if href not in seen:
            seen.add(href)
            actions.append(
                {
                    "text": _text(case, screen),
                    "href": href,
                    "group": ACTION_GROUPS.get(screen.url_name, CASE_GROUP),
                }
            )
    return actions


def _text(case: Case, screen: Screen) -> str:
    refer = screen.url_name == "supervisors:prosecution-refer"
    if refer and case.deadline_status(timezone.localdate()).time_barred:
        return f"{screen.text} (time-barred)"
    return screen.text


def case_url(name: str, case: Case) -> str:
    """A case screen's URL."""
    return reverse(f"navigators:{name}", args=[case.reference])


def appointment_outcome_url(case: Case, appointment) -> str:
    return reverse("navigators:appointment-outcome", args=[case.reference, appointment.pk])
