"""The case: one person's journey through a scheme, as a state machine.

Only services (``checkpoint.services``) call the transitions: they lock the row, check who may
act, call the transition, save and write the ``CaseTransition`` history row in one database
transaction. The state field is protected, so nothing can assign it directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from checkpoint import deadlines
from checkpoint.permissions import transition_permission
from checkpoint.text import display_name

from .base import TimeStamped, choices_check
from .offence import Arrest
from .person import Person
from .scheme import SchemeVersion
from .staff import Team

if TYPE_CHECKING:
    from .assessment import EligibilityAssessment
    from .compliance import ComplianceEvent, ComplianceWarning
    from .contract import PathwayReferral, VictimWishes
    from .supervision import Appointment, HoursLogEntry, NewOffenceReport, RearrestMatch


class CaseState(models.TextChoices):
    ASSESSMENT = "assessment", "Assessment"
    INELIGIBLE = "ineligible", "Ineligible"
    ELIGIBLE = "eligible", "Eligible"
    OFFERED = "offered", "Offered"
    DECLINED = "declined", "Declined"
    ACCEPTED = "accepted", "Accepted"
    ACTIVE = "active", "Active"
    BREACH_REVIEW = "breach_review", "Breach review"
    COMPLETION_REVIEW = "completion_review", "Completion review"
    WITHDRAWN = "withdrawn", "Withdrawn"
    TERMINATED = "terminated", "Terminated"
    EXITED_NO_CONVICTION = "exited_no_conviction", "Exited without conviction"
    PROSECUTION_REFERRED = "prosecution_referred", "Referred for prosecution"


S = CaseState

TERMINAL_STATES = frozenset({S.INELIGIBLE, S.EXITED_NO_CONVICTION, S.PROSECUTION_REFERRED})
# States in which a contract is running (or under review) and the scheduled checks apply.
SUPERVISED_STATES = frozenset({S.ACTIVE, S.BREACH_REVIEW, S.COMPLETION_REVIEW})
# Not yet resolved: the prosecution deadline still matters.
UNRESOLVED_STATES = frozenset(set(S) - TERMINAL_STATES)


class CaseQuerySet(models.QuerySet["Case"]):
    def in_states(self, states: Iterable[str]) -> Self:
        return self.filter(state__in=list(states))

    def active(self) -> Self:
        return self.filter(state=S.ACTIVE)

    def supervised(self) -> Self:
        return self.in_states(SUPERVISED_STATES)

    def unresolved(self) -> Self:
        return self.in_states(UNRESOLVED_STATES)

    def deadline_near(self, today: date) -> Self:
        """Cases whose prosecution deadline is inside their scheme profile's warning window,
        or already passed (``checkpoint.deadlines``)."""
        return self.filter(deadline_near_q(today))


def deadline_near_q(today: date) -> Q:
    """A filter for a prosecution deadline inside the case's own scheme profile's warning
    window (``SchemeVersion.deadline_warning_days``), or passed. One small query reads the
    windows in use (a handful of scheme versions), so the filter stays on indexed columns."""
    windows = set(SchemeVersion.objects.values_list("deadline_warning_days", flat=True))
    near = Q(pk__in=[])
    for days in sorted(windows):
        near |= Q(
            scheme_version__deadline_warning_days=days,
            prosecution_deadline__lte=deadlines.warn_from(today, days),
        )
    return near


def _has_eligible_assessment(case: Case) -> bool:
    assessment = case.latest_assessment()
    return assessment is not None and assessment.is_eligible


def _has_assessment(case: Case) -> bool:
    return case.latest_assessment() is not None


def _contract_ready(case: Case) -> bool:
    contract = getattr(case, "contract", None)
    return contract is not None and not contract.blockers()


def _conditions_met(case: Case) -> bool:
    contract = getattr(case, "contract", None)
    return contract is not None and all(s.met for s in contract.condition_statuses())


class Case(ConcurrentTransitionMixin, TimeStamped):
    """A person's case in a diversion scheme.

    States and their exits (DESIGN.md 1.3, refined with ``accepted``):

    - ``assessment``: ``decide_eligible`` -> eligible (decision maker, an eligible assessment);
      ``decide_ineligible`` -> ineligible (decision maker, an assessment recorded).
    - ``ineligible``: terminal; the normal criminal justice route applies outside the scheme.
    - ``eligible``: ``make_offer`` -> offered (decision maker).
    - ``offered``: ``accept_offer`` -> accepted (consent to take part); ``decline_offer`` ->
      declined (the refusal and its reason are recorded).
    - ``declined``: ``refer_for_prosecution`` -> prosecution_referred (supervisor).
    - ``accepted``: ``sign_contract`` -> active (navigator; both mandatory conditions, the
      Community condition and the participant's consent recorded); ``withdraw`` -> withdrawn.
    - ``active``: ``refer_breach`` -> breach_review; ``begin_completion_review`` ->
      completion_review (end date reached; normally taken by the scheduled sweep);
      ``withdraw`` -> withdrawn.
    - ``breach_review``: ``continue_contract`` / ``vary_contract`` -> active; ``terminate`` ->
      terminated (all supervisor).
    - ``completion_review``: ``sign_off`` -> exited_no_conviction (supervisor, every condition
      met); ``terminate`` -> terminated (supervisor).
    - ``withdrawn`` / ``terminated``: ``refer_for_prosecution`` -> prosecution_referred.
    - ``exited_no_conviction``, ``prosecution_referred``: terminal.

    Decisions that end a case (exit, termination, prosecution referral) need a supervisor; who
    may take each transition is stated once, in ``checkpoint.permissions``.
    """

    reference = models.CharField(max_length=20, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    arrest = models.OneToOneField(Arrest, on_delete=models.PROTECT, related_name="case")
    scheme_version = models.ForeignKey(
        SchemeVersion, on_delete=models.PROTECT, related_name="cases"
    )
    state = FSMField(
        max_length=30, choices=CaseState.choices, default=CaseState.ASSESSMENT, protected=True
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases")
    navigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Denormalised from the offences (the earliest s.127 limit) so that screens and the
    # deadline watch can filter and sort on it; None means no statutory time limit.
    prosecution_deadline = models.DateField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Incremented by every edit made through a form, for optimistic locking of those forms.
    lock_version = models.PositiveIntegerField(default=0)

    objects = CaseQuerySet.as_manager()

    # Set by the selectors on the cases they return (``Prefetch(to_attr=...)`` and the like);
    # not columns, and absent from a case loaded any other way.
    appointment_list: list[Appointment]
    deadline: deadlines.DeadlineStatus
    event_list: list[ComplianceEvent]
    participant_event_list: list[ComplianceEvent]  # the participant's own non-compliance
    staff_task_list: list[ComplianceEvent]  # open tasks for staff
    done_staff_task_list: list[ComplianceEvent]
    pending_rearrest_list: list[RearrestMatch]
    hours_list: list[HoursLogEntry]
    new_offence_list: list[NewOffenceReport]
    note_list: list[CaseNote]
    referral_list: list[PathwayReferral]
    transition_list: list[CaseTransition]
    victim_list: list[VictimWishes]
    warning_list: list[ComplianceWarning]

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("assess_case", "Can assess eligibility and make offers"),
            ("manage_case", "Can manage cases as a navigator"),
            ("supervise_case", "Can take supervisor decisions on cases"),
            ("view_reports", "Can view aggregate reports"),
        ]
        indexes = [
            models.Index(fields=["state", "navigator"], name="case_state_navigator_idx"),
            models.Index(fields=["team", "state"], name="case_team_state_idx"),
        ]
        constraints = [
            choices_check("state", CaseState),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(state__in=sorted(TERMINAL_STATES)),
                name="case_closed_only_when_terminal",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    # --- reads used by guards --------------------------------------------------------------
    def latest_assessment(self) -> EligibilityAssessment | None:
        if not hasattr(self, "_latest_assessment"):
            self._latest_assessment = self.assessments.order_by("-created_at", "-pk").first()
        return self._latest_assessment

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES

    def deadline_status(self, today: date) -> deadlines.DeadlineStatus:
        """The prosecution deadline's status under this case's scheme profile's warning window
        (select ``scheme_version`` with the case)."""
        return deadlines.deadline_status(
            self.prosecution_deadline,
            today=today,
            warning_days=self.scheme_version.deadline_warning_days,
        )

    # --- transitions (call through services only) ------------------------------------------
    # django-fsm-2 types a condition as taking any Model, so each ``conditions=`` below is
    # ignored for the checker: django-fsm calls it with this Case.
    @transition(
        field=state,
        source=S.ASSESSMENT,
        target=S.ELIGIBLE,
        permission=transition_permission("decide_eligible"),
        conditions=[_has_eligible_assessment],  # type: ignore[list-item]  # see above
        custom={"label": "Record as eligible"},
    )
    def decide_eligible(self) -> None:
        """The decision maker accepts an eligible assessment."""

    @transition(
        field=state,
        source=S.ASSESSMENT,
        target=S.INELIGIBLE,
        permission=transition_permission("decide_ineligible"),
        conditions=[_has_assessment],  # type: ignore[list-item]  # see above
        custom={"label": "Record as ineligible"},
    )
    def decide_ineligible(self) -> None:
        """The decision maker finds the person ineligible; the normal route follows."""

    @transition(
        field=state,
        source=S.ELIGIBLE,
        target=S.OFFERED,
        permission=transition_permission("make_offer"),
        custom={"label": "Record the offer"},
    )
    def make_offer(self) -> None:
        """The scheme is offered; taking part is voluntary."""

    @transition(
        field=state,
        source=S.OFFERED,
        target=S.ACCEPTED,
        permission=transition_permission("accept_offer"),
        custom={"label": "Record acceptance"},
    )
    def accept_offer(self) -> None:
        """The person agrees to take part; a navigator now builds the contract."""

    @transition(
        field=state,
        source=S.OFFERED,
        target=S.DECLINED,
        permission=transition_permission("decline_offer"),
        custom={"label": "Record refusal"},
    )
    def decline_offer(self) -> None:
        """The person declines; the case returns to the prosecution route."""

    @transition(
        field=state,
        source=S.ACCEPTED,
        target=S.ACTIVE,
        permission=transition_permission("sign_contract"),
        conditions=[_contract_ready],  # type: ignore[list-item]  # see above
        custom={"label": "Sign the contract"},
    )
    def sign_contract(self) -> None:
        """The contract is signed and starts; the service sets its dates."""

    @transition(
        field=state,
        source=[S.ACCEPTED, S.ACTIVE],
        target=S.WITHDRAWN,
        permission=transition_permission("withdraw"),
        custom={"label": "Record withdrawal"},
    )
    def withdraw(self) -> None:
        """The participant withdraws from the scheme."""

    @transition(
        field=state,
        source=S.ACTIVE,
        target=S.BREACH_REVIEW,
        permission=transition_permission("refer_breach"),
        custom={"label": "Refer for breach review"},
    )
    def refer_breach(self) -> None:
        """A navigator refers non-compliance to a supervisor, with a recommendation."""

    @transition(
        field=state,
        source=S.BREACH_REVIEW,
        target=S.ACTIVE,
        permission=transition_permission("continue_contract"),
        custom={"label": "Continue the contract"},
    )
    def continue_contract(self) -> None:
        """The supervisor decides the contract continues unchanged."""

    @transition(
        field=state,
        source=S.BREACH_REVIEW,
        target=S.ACTIVE,
        permission=transition_permission("vary_contract"),
        custom={"label": "Vary the contract"},
    )
    def vary_contract(self) -> None:
        """The supervisor decides the contract continues with varied conditions."""

    @transition(
        field=state,
        source=[S.BREACH_REVIEW, S.COMPLETION_REVIEW],
        target=S.TERMINATED,
        permission=transition_permission("terminate"),
        custom={"label": "Terminate the contract"},
    )
    def terminate(self) -> None:
        """The supervisor terminates the contract; prosecution referral follows."""

    @transition(
        field=state,
        source=S.ACTIVE,
        target=S.COMPLETION_REVIEW,
        permission=transition_permission("begin_completion_review"),
        custom={"label": "Begin completion review"},
    )
    def begin_completion_review(self) -> None:
        """The contract's end date has been reached; its conditions are reviewed."""

    @transition(
        field=state,
        source=S.COMPLETION_REVIEW,
        target=S.EXITED_NO_CONVICTION,
        permission=transition_permission("sign_off"),
        conditions=[_conditions_met],  # type: ignore[list-item]  # see above
        custom={"label": "Sign off: exit without conviction"},
    )
    def sign_off(self) -> None:
        """Every condition was met: the person leaves the justice system with no conviction."""

    @transition(
        field=state,
        source=[S.DECLINED, S.WITHDRAWN, S.TERMINATED],
        target=S.PROSECUTION_REFERRED,
        permission=transition_permission("refer_for_prosecution"),
        custom={"label": "Refer for prosecution"},
    )
    def refer_for_prosecution(self) -> None:
        """The original offence goes to the prosecutor, before the statutory deadline."""


class CaseTransition(models.Model):
    """Append-only history of state changes: who, when, from, to and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")
    transition = models.CharField(max_length=40)
    from_state = models.CharField(max_length=30, choices=CaseState.choices)
    to_state = models.CharField(max_length=30, choices=CaseState.choices)
    # None means the scheduled work acted (the compliance sweep), not a person.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="casetransition_case_at_idx")]
        constraints = [
            choices_check("from_state", CaseState),
            choices_check("to_state", CaseState),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_state} -> {self.to_state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # History is append-only: corrections are new rows, never edits.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Case history rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Case history rows cannot be deleted.")

    @property
    def actor_label(self) -> str:
        if self.by is None:
            return "Scheduled check"
        return display_name(self.by)


class CaseAllocation(models.Model):
    """Append-only history of who the case was allocated to: who decided, when and why."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="allocations")
    navigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    previous_navigator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="caseallocation_case_at_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: allocated to {self.navigator_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Allocation history rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Allocation history rows cannot be deleted.")


class Withdrawable(models.Model):
    """A record that can be withdrawn (recorded in error) or replaced by a correction, with a
    reason; the original is kept (DESIGN.md 1.2: corrections are new records)."""

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        help_text="The record this one corrects (that one is withdrawn, with the reason).",
    )

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def withdrawal_complete(prefix: str) -> models.CheckConstraint:
    """A withdrawal records who and why."""
    return models.CheckConstraint(
        condition=Q(withdrawn_at__isnull=True)
        | (Q(withdrawn_by__isnull=False) & ~Q(withdrawal_reason="")),
        name=f"{prefix}_withdrawal_complete",
        violation_error_message="A withdrawal needs who withdrew it and why.",
    )


class CaseShare(models.Model):
    """A case explicitly shared with another member of staff (e.g. cover during leave)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shared_cases"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="caseshare_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case} shared with {self.user}"


class CaseNote(Withdrawable):
    """A navigator's or supervisor's note on a case. Never edited: a correction is a new note
    (``corrects``) and the old one is withdrawn with the reason."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="casenote_text_not_empty"),
            withdrawal_complete("casenote"),
        ]

    def __str__(self) -> str:
        return f"Note on {self.case} at {self.created_at:%Y-%m-%d %H:%M}"
