"""What a user can do next on a case, as links for the case page.

Screens are added as URL names under ``navigators:``; a name that does not exist yet is
skipped, so the case page never links to a screen that is not there.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from checkpoint import roles
from checkpoint.models import CaseState

S = CaseState
ASSESS, MANAGE, SUPERVISE = roles.ASSESS, roles.MANAGE, roles.SUPERVISE

# state -> [(label, url name, permission)]; the first allowed one is the primary action.
ACTIONS = {
    S.ASSESSMENT: [("Record the eligibility assessment", "assessment", ASSESS)],
    S.ELIGIBLE: [("Record the offer", "offer", ASSESS)],
    S.OFFERED: [("Record the person's answer", "offer", ASSESS)],
    S.ACCEPTED: [
        ("Build the contract", "contract", MANAGE),
        ("Needs assessment", "needs", MANAGE),
        ("Record the victim's wishes", "victim-wishes", MANAGE),
        ("Book an appointment", "appointment-new", MANAGE),
        ("Reminders to the participant", "reminders", MANAGE),
        ("Add a note", "note-new", MANAGE),
        ("Record withdrawal", "withdraw", MANAGE),
    ],
    S.ACTIVE: [
        ("Book an appointment", "appointment-new", MANAGE),
        ("Log community hours", "hours-new", MANAGE),
        ("Record the restorative outcome", "restorative-outcome", MANAGE),
        ("Record a referral's outcome", "referral-outcome", MANAGE),
        ("Report a new offence", "new-offence", MANAGE),
        ("Raise a compliance event", "compliance-new", MANAGE),
        ("Issue a warning", "warning-new", MANAGE),
        ("Refer for breach review", "breach-refer", MANAGE),
        ("Needs assessment", "needs", MANAGE),
        ("Reminders to the participant", "reminders", MANAGE),
        ("Add a note", "note-new", MANAGE),
        ("Record withdrawal", "withdraw", MANAGE),
    ],
    S.BREACH_REVIEW: [
        ("Decide on the breach", "supervisors:breach", SUPERVISE),
        ("Add a note", "note-new", MANAGE),
    ],
    S.COMPLETION_REVIEW: [
        ("Review completion and sign off", "supervisors:completion", SUPERVISE),
        ("Add a note", "note-new", MANAGE),
    ],
    S.DECLINED: [("Refer for prosecution", "supervisors:prosecution-refer", SUPERVISE)],
    S.WITHDRAWN: [("Refer for prosecution", "supervisors:prosecution-refer", SUPERVISE)],
    S.TERMINATED: [("Refer for prosecution", "supervisors:prosecution-refer", SUPERVISE)],
    S.EXITED_NO_CONVICTION: [("Outcome letter", "supervisors:outcome-letter", MANAGE)],
    S.PROSECUTION_REFERRED: [("Prosecution file", "supervisors:prosecution-file", MANAGE)],
}


ASSESSED = [
    ("Decide eligibility", "assessment-result", ASSESS),
    ("Correct the assessment", "assessment", ASSESS),
]


def case_actions(case, user) -> list[dict]:
    actions = []
    steps = ACTIONS.get(case.state, [])
    if case.state == S.ASSESSMENT and case.latest_assessment() is not None:
        steps = ASSESSED
    for text, name, permission in steps:
        if not user.has_perm(permission):
            continue
        try:
            # Names without a namespace are navigator screens.
            full_name = name if ":" in name else f"navigators:{name}"
            href = reverse(full_name, args=[case.reference])
        except NoReverseMatch:
            continue
        actions.append({"text": text, "href": href})
    return actions


def named_url(name: str, case) -> str | None:
    """A case screen's URL, or None while that screen does not exist."""
    try:
        return reverse(f"navigators:{name}", args=[case.reference])
    except NoReverseMatch:
        return None


def appointment_outcome_url(case, appointment) -> str | None:
    try:
        return reverse("navigators:appointment-outcome", args=[case.reference, appointment.pk])
    except NoReverseMatch:
        return None
