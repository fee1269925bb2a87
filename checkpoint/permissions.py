"""What each actor may do: every write's rule, stated once (DESIGN.md 1.2).

A write is allowed when the actor's *kind and role* allow its ``Permission`` and, for a write
to a case, the case is within the actor's *reach*:

- a member of staff needs the role capability the rule names (``checkpoint.roles``: a Django
  permission held through the role's group) and must reach the case (``checkpoint.access``);
- ``SYSTEM`` (the scheduled work) may do only what a rule marks ``system``: no decision about a
  person is the scheduled work's to take;
- a ``Participant`` may do only what a rule marks ``participant``, and only on their own case.

Reach (``checkpoint.access.reaches``) is checked before role, as the screens do: a case out of
reach is not found (404), so its existence is not revealed; a case in reach with a role that
may not act is refused (403).

Every service checks both (``checkpoint.services.locking``: ``lock_case`` for a case,
``authorise`` otherwise); the state machine's transitions ask ``allows`` through
``transition_permission``; the screens ask ``allows`` to decide what to show. So the rule in
``RULES`` is the only place a permission is written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from checkpoint import roles
from checkpoint.actors import Participant, SystemActor, is_staff_user, require_actor
from checkpoint.errors import NotPermitted

if TYPE_CHECKING:
    from checkpoint.actors import Actor


class Permission(StrEnum):
    """One kind of write (or disclosure) a service performs."""

    OPEN_CASE = "open_case"
    RECORD_ASSESSMENT = "record_assessment"
    OVERRIDE_RULE = "override_rule"
    DECIDE_ELIGIBILITY = "decide_eligibility"
    MAKE_OFFER = "make_offer"
    RECORD_ANSWER = "record_answer"
    ALLOCATE = "allocate"
    HAND_OVER_CASELOAD = "hand_over_caseload"
    UPDATE_CONTACT_DETAILS = "update_contact_details"
    CORRECT_RECORD = "correct_record"
    CORRECT_CLOSED_RECORD = "correct_closed_record"
    RESOLVE_COMPLIANCE = "resolve_compliance"
    CONFIRM_REARREST = "confirm_rearrest"
    BUILD_CONTRACT = "build_contract"
    SIGN_CONTRACT = "sign_contract"
    ASSESS_NEEDS = "assess_needs"
    SUPERVISE_CONTRACT = "supervise_contract"
    LOG_HOURS = "log_hours"
    ADD_NOTE = "add_note"
    SET_REMINDERS = "set_reminders"
    OPT_OUT_OF_REMINDERS = "opt_out_of_reminders"
    REFER_BREACH = "refer_breach"
    WITHDRAW = "withdraw"
    BEGIN_COMPLETION_REVIEW = "begin_completion_review"
    DECIDE_BREACH = "decide_breach"
    SIGN_OFF = "sign_off"
    TERMINATE = "terminate"
    REFER_FOR_PROSECUTION = "refer_for_prosecution"
    CONSULT_CASE = "consult_case"
    DISCLOSE_CASE_DOCUMENT = "disclose_case_document"
    DISCLOSE_REPORT = "disclose_report"
    RUN_SCHEDULED_WORK = "run_scheduled_work"
    ERASE_PERSONAL_DATA = "erase_personal_data"
    MANAGE_ACCESS = "manage_access"


@dataclass(frozen=True)
class Rule:
    """Who may perform one permission.

    ``capability``: the role permission a member of staff needs (None: no staff role may);
    ``superuser``: only a superuser (the break-glass administrator account) may;
    ``any_staff``: every member of staff may (reach still applies);
    ``system`` / ``participant``: whether the scheduled work or the participant may;
    ``refusal``: what a refused member of staff is told.
    """

    refusal: str
    capability: str | None = None
    superuser: bool = False
    any_staff: bool = False
    system: bool = False
    participant: bool = False


_DM = "Only a decision maker can {}."
_NAV = "Only a navigator or supervisor can {}."
_SUP = "Only a supervisor can {}."

RULES: dict[Permission, Rule] = {
    Permission.OPEN_CASE: Rule(_DM.format("open a case"), roles.ASSESS),
    Permission.RECORD_ASSESSMENT: Rule(
        _DM.format("record the eligibility assessment"), roles.ASSESS
    ),
    Permission.OVERRIDE_RULE: Rule(_DM.format("override an eligibility rule"), roles.ASSESS),
    Permission.DECIDE_ELIGIBILITY: Rule(_DM.format("decide eligibility"), roles.ASSESS),
    Permission.MAKE_OFFER: Rule(_DM.format("record the offer"), roles.ASSESS),
    # Consent to take part is given in custody, to the decision maker who made the offer.
    Permission.RECORD_ANSWER: Rule(_DM.format("record the person's answer"), roles.ASSESS),
    Permission.ALLOCATE: Rule(_SUP.format("allocate a navigator"), roles.SUPERVISE),
    Permission.HAND_OVER_CASELOAD: Rule(_SUP.format("hand over a caseload"), roles.SUPERVISE),
    # Contact details are kept up to date by whoever works the case (custody records them).
    Permission.UPDATE_CONTACT_DETAILS: Rule(_NAV.format("change contact details"), roles.MANAGE),
    # DESIGN.md 1.2: whatever a person can record, they can correct or withdraw, with a
    # reason, the original kept; once the case is closed, only a supervisor may.
    Permission.CORRECT_RECORD: Rule(_NAV.format("correct or withdraw a record"), roles.MANAGE),
    Permission.CORRECT_CLOSED_RECORD: Rule(
        _SUP.format("correct a record of a closed case"), roles.SUPERVISE
    ),
    Permission.RESOLVE_COMPLIANCE: Rule(
        _NAV.format("resolve or withdraw a compliance event"), roles.MANAGE
    ),
    Permission.CONFIRM_REARREST: Rule(_NAV.format("confirm a re-arrest"), roles.MANAGE),
    Permission.BUILD_CONTRACT: Rule(_NAV.format("change the contract"), roles.MANAGE),
    Permission.SIGN_CONTRACT: Rule(_NAV.format("sign the contract"), roles.MANAGE),
    Permission.ASSESS_NEEDS: Rule(_NAV.format("assess needs"), roles.MANAGE),
    Permission.SUPERVISE_CONTRACT: Rule(_NAV.format("record this"), roles.MANAGE),
    # DESIGN.md 2: hours a participant reports themselves stay self-reported until verified.
    Permission.LOG_HOURS: Rule(_NAV.format("log hours"), roles.MANAGE, participant=True),
    Permission.ADD_NOTE: Rule(_NAV.format("add a note"), roles.MANAGE),
    Permission.SET_REMINDERS: Rule(_NAV.format("change reminders"), roles.MANAGE),
    # DESIGN.md 2: participants can opt out of reminders at any time.
    Permission.OPT_OUT_OF_REMINDERS: Rule(
        _NAV.format("change reminders"), roles.MANAGE, participant=True
    ),
    Permission.REFER_BREACH: Rule(_NAV.format("refer a breach"), roles.MANAGE),
    Permission.WITHDRAW: Rule(_NAV.format("record a withdrawal"), roles.MANAGE),
    # The end date passing is a fact of the calendar: the sweep moves the case (DESIGN.md 1.3).
    Permission.BEGIN_COMPLETION_REVIEW: Rule(
        _NAV.format("begin the completion review"), roles.MANAGE, system=True
    ),
    # DESIGN.md 1.2: a decision that ends or changes a contract's course needs a supervisor.
    Permission.DECIDE_BREACH: Rule(_SUP.format("decide on a breach"), roles.SUPERVISE),
    Permission.SIGN_OFF: Rule(_SUP.format("sign off an exit without conviction"), roles.SUPERVISE),
    Permission.TERMINATE: Rule(_SUP.format("terminate a contract"), roles.SUPERVISE),
    Permission.REFER_FOR_PROSECUTION: Rule(
        _SUP.format("refer a case for prosecution"), roles.SUPERVISE
    ),
    # Reading a record in reach is logged (DPA 2018 s.62); what may be read is checkpoint.access.
    Permission.CONSULT_CASE: Rule("Sign in to see cases.", any_staff=True),
    Permission.DISCLOSE_CASE_DOCUMENT: Rule(_NAV.format("print case documents"), roles.MANAGE),
    Permission.DISCLOSE_REPORT: Rule(
        "Only analysts and supervisors can download reports.", roles.VIEW_REPORTS
    ),
    Permission.RUN_SCHEDULED_WORK: Rule("Only the scheduled work runs this.", system=True),
    Permission.ERASE_PERSONAL_DATA: Rule(
        "Only an administrator can erase personal data.", roles.AUDIT
    ),
    # Four eyes on access (checkpoint.services.access_requests): who asks for and approves a
    # change of roles or team; the second pair of eyes is a rule of the service itself.
    Permission.MANAGE_ACCESS: Rule(
        "Only an administrator can ask for or approve a change to staff access.",
        roles.MANAGE_ACCESS,
    ),
}

# Each transition of the case's state machine and the permission it needs.
TRANSITIONS: dict[str, Permission] = {
    "decide_eligible": Permission.DECIDE_ELIGIBILITY,
    "decide_ineligible": Permission.DECIDE_ELIGIBILITY,
    "make_offer": Permission.MAKE_OFFER,
    "accept_offer": Permission.RECORD_ANSWER,
    "decline_offer": Permission.RECORD_ANSWER,
    "sign_contract": Permission.SIGN_CONTRACT,
    "withdraw": Permission.WITHDRAW,
    "refer_breach": Permission.REFER_BREACH,
    "continue_contract": Permission.DECIDE_BREACH,
    "vary_contract": Permission.DECIDE_BREACH,
    "terminate": Permission.TERMINATE,
    "begin_completion_review": Permission.BEGIN_COMPLETION_REVIEW,
    "sign_off": Permission.SIGN_OFF,
    "refer_for_prosecution": Permission.REFER_FOR_PROSECUTION,
}


def allows(actor: Actor | None, permission: Permission) -> bool:
    """Whether the actor's kind and role allow ``permission`` (reach is not considered)."""
    rule = RULES[permission]
    if isinstance(actor, SystemActor):
        return rule.system
    if isinstance(actor, Participant):
        return rule.participant
    if actor is None or not is_staff_user(actor):
        return False
    if not (getattr(actor, "is_active", False) and getattr(actor, "is_authenticated", False)):
        return False
    if rule.superuser:
        return bool(actor.is_superuser)
    if rule.any_staff:
        return True
    return rule.capability is not None and actor.has_perm(rule.capability)


def require(actor: Actor, permission: Permission) -> None:
    """Refuse (``NotPermitted``) unless the actor's kind and role allow ``permission``. Reach
    to a case is ``checkpoint.access.reaches``; the services check both, reach first
    (``checkpoint.services.locking.authorise``)."""
    require_actor(actor)
    if not allows(actor, permission):
        raise NotPermitted(refusal(actor, permission))


def refusal(actor: Actor, permission: Permission) -> str:
    """What the actor is told when ``permission`` is refused."""
    if isinstance(actor, SystemActor):
        return "This is a decision a person must take, not the scheduled work."
    if isinstance(actor, Participant):
        return "Only staff can do this."
    return RULES[permission].refusal


def transition_permission(name: str) -> Callable[[object, object], bool]:
    """The ``permission=`` of a state-machine transition: the rule of ``TRANSITIONS[name]``
    for the user django-fsm asks about (role and kind; the service has checked reach)."""
    permission = TRANSITIONS[name]

    def allowed(_case: object, actor: object) -> bool:
        return allows(actor, permission)  # type: ignore[arg-type]

    allowed.__name__ = f"may_{name}"
    return allowed
