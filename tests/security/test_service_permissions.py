"""Every public service, called directly as every kind of actor: the core refuses wherever the
screen would refuse (DESIGN.md 1.2: rules and permissions live in the core; the screens, the
admin, scheduled work and an API are only callers).

Generated from the access rules the access matrix states by hand (``REACH`` and ``CAN`` in
``test_access_matrix``, not read back from ``checkpoint.access`` or ``checkpoint.permissions``):
for each service, the screen that calls it (or, for a service no screen calls, the capability
written here) decides who may act. For each actor:

- the case out of the actor's reach: ``CaseNotFound`` (the screen's 404);
- in reach, without the capability: ``NotPermitted`` (the screen's 403);
- otherwise the call succeeds, with a body that is valid for that service.

The scheduled work (``SYSTEM``) may only do what scheduled work does, and the participant only
opt out of reminders and report their own hours, on their own case. Each call runs in a
savepoint that is rolled back, so every actor meets the same case.

``test_every_public_service_is_in_the_spec`` fails when a service is added without saying who
may call it, and ``test_the_generated_test_fails_without_the_core_check`` shows that taking the
core's check away makes this test fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from checkpoint import access, dates, permissions, roles, services
from checkpoint.actors import SYSTEM, Participant
from checkpoint.models import (
    Case,
    CaseNote,
    CaseShare,
    CaseState,
    CommunityKind,
    ConsentMethod,
    Pathway,
    Person,
    RestorativeApproach,
    RetentionReview,
)
from checkpoint.services import CaseNotFound, NotPermitted
from checkpoint.services.needs import NeedInput
from tests import factories
from tests.conftest import data_for_the_module, fresh
from tests.security import world
from tests.security.test_access_matrix import ASSESS, CAN, MANAGE, REPORTS, SCREENS, SUPERVISE
from tests.supervisors.helpers import live_case

S = CaseState
# Every user of the access matrix, the scheduled work, and two participants.
STAFF = [
    "dm",
    "dm-other",
    "nav",
    "nav-shared",
    "nav-unallocated",
    "nav-other-team",
    "sup",
    "sup-other-team",
    "analyst",
    "administrator",
    "superuser",
]
ACTORS = [*STAFF, "system", "participant", "other-participant"]
CUSTODY = {S.ASSESSMENT, S.ELIGIBLE, S.OFFERED, S.ACCEPTED}
SUPERUSER_ONLY = "superuser only"
SYSTEM_ONLY = "system only"
ANY_STAFF = "any member of staff"  # reading a case in reach (and logging that it was read)
# Staff access (four eyes): the Administrator role and superusers (roles.MANAGE_ACCESS), and the
# audit screens' erasure (roles.AUDIT).
ADMINISTRATORS = "administrators"


def reaches(actor: str, case: Case | None) -> bool:
    """Who reaches a case of team T opened by ``dm`` (just now: inside the decision maker's
    window), allocated to ``nav`` (once accepted) and shared with ``nav-shared`` (the matrix's
    ``REACH``, for a case in any state)."""
    if case is None:
        return True
    if actor == "dm-other":
        return case.state in CUSTODY  # every decision maker: the custody stages, to accepted
    if actor == "nav":
        return case.navigator_id is not None
    return actor in {"dm", "nav-shared", "sup", "superuser", "system", "participant"}


@dataclass(frozen=True)
class Spec:
    """A service's call and who may make it.

    ``screen``: the case screen that calls it (its capability is the matrix's ``SCREENS``);
    ``need``: otherwise, the capability written here (``SUPERUSER_ONLY``, ``SYSTEM_ONLY``);
    ``system`` / ``participant``: whether the scheduled work / the participant may call it.
    """

    call: Callable[..., Any]
    case: str | None  # which case the call acts on (a key of ``CASES``), or none
    screen: str | None = None
    need: str | None = None
    system: bool = False
    participant: bool = False
    team_bound: bool = False  # a supervisor of another team is refused (no case to reach)

    @property
    def capability(self) -> str | None:
        return SCREENS[self.screen] if self.screen else self.need


def expected(spec: Spec, actor: str, case: Case | None) -> str:
    """'ok', 'not found' or 'refused' for one actor, from the rules above."""
    if actor == "other-participant":
        return "not found" if case is not None else "refused"
    if not reaches(actor, case):
        return "not found"
    if actor == "system":
        return "ok" if spec.system else "refused"
    if actor == "participant":
        return "ok" if spec.participant else "refused"
    capability = spec.capability
    if capability == SYSTEM_ONLY:
        return "refused"
    if capability == SUPERUSER_ONLY:
        return "ok" if actor == "superuser" else "refused"
    if capability == ANY_STAFF:
        return "ok"
    if capability == ADMINISTRATORS:
        return "ok" if actor in {"administrator", "superuser"} else "refused"
    if spec.team_bound and actor == "sup-other-team":
        return "refused"
    return "ok" if capability in CAN[actor] else "refused"


# -- The cases the services act on (team T, opened by dm, navigator nav, shared with nav-shared)


def _gps_case(staff) -> Case:
    start = timezone.now() - timedelta(days=40)
    today = dates.local_date(start)
    offence = factories.offence(committed_on=today - timedelta(days=10))
    case = factories.accepted_case(
        dm=staff["dm"], team=staff["_team"], navigator=staff["nav"], now=start, offences=[offence]
    )
    nav = staff["nav"]
    factories.build_contract(case, navigator=nav, now=start)
    services.community_set(
        case_id=case.pk,
        by=nav,
        kind=CommunityKind.GPS_TAG,
        gps_starts_on=today,
        gps_ends_on=today + timedelta(days=30),
    )
    return services.contract_sign(case_id=case.pk, by=nav, starts_on=today, now=start)


def _high_risk(staff) -> Case:
    """Assessed, with one failed rule that Durham lets a decision maker override (risk band)."""
    case = world.form_case(staff, "assessment")
    facts = {**factories.GOOD_FACTS, "risk_band": "high"}
    services.assessment_record(case_id=case.pk, by=staff["dm"], **facts)
    return case


def _reachable_by_text(staff) -> Case:
    """An active case whose participant gave a mobile number (reminders can start)."""
    case = world.form_case(staff, "active")
    Person.objects.filter(pk=case.person_id).update(mobile="07700 900123")
    return case


def _rearrested(staff) -> Case:
    """An active case whose participant custody has just arrested again (a pending match)."""
    case = world.form_case(staff, "active")
    world.rearrest(staff, case)
    return case


def _restorative_done(staff) -> Case:
    """An active case whose restorative approach has an outcome recorded."""
    case = world.form_case(staff, "active")
    services.restorative_outcome_record(case_id=case.pk, by=staff["nav"], outcome="completed")
    return case


def _closed_with_note(staff) -> Case:
    """A case that exited with no conviction, with a note written while it ran."""
    case = world.form_case(staff, "exited")
    note = CaseNote.objects.create(case=case, author=staff["nav"], text="Met at the hub")
    case.record_pks = {"note": note.pk}
    return case


def _ended_contract(staff) -> Case:
    """An active case whose contract's end date has passed (the sweep has not run yet)."""
    return live_case(dm=staff["dm"], team=staff["_team"], navigator=staff["nav"], days_ago=125)


def _exited_for_erasure(staff) -> Case:
    case = world.form_case(staff, "exited")
    services.retention_review(
        by=SYSTEM, today=dates.local_date(timezone.now()) + timedelta(days=4000)
    )
    assert RetentionReview.objects.filter(case=case).exists()
    return case


CASES: dict[str, Callable[[dict], Case]] = {
    "assessment": lambda s: world.form_case(s, "assessment"),
    "assessed": lambda s: world.form_case(s, "assessed"),
    "high-risk": _high_risk,
    "has-mobile": _reachable_by_text,
    "eligible": lambda s: world.form_case(s, "eligible"),
    "offered": lambda s: world.form_case(s, "offered"),
    "accepted-new": lambda s: world.form_case(s, "accepted-new"),
    "accepted": lambda s: world.form_case(s, "accepted"),
    "ready": lambda s: world.form_case(s, "ready"),
    "active": lambda s: world.form_case(s, "active"),
    "gps": _gps_case,
    "rearrested": _rearrested,
    "restorative-done": _restorative_done,
    "closed-with-note": _closed_with_note,
    "ended": _ended_contract,
    "breach": lambda s: world.form_case(s, "breach"),
    "review": lambda s: world.form_case(s, "review"),
    "withdrawn": lambda s: world.form_case(s, "withdrawn"),
    "exited": lambda s: world.form_case(s, "exited"),
    "erasable": _exited_for_erasure,
}


# -- Each public service, with a body that works for an actor allowed to call it ------------


def _now() -> Any:
    return timezone.now()


def _today() -> Any:
    return dates.local_date(timezone.now())


def _pending_access_request(staff) -> Any:
    """A request waiting for approval, asked for by a third administrator (so that neither
    actor who may approve is the one who asked)."""
    from checkpoint.models import AccessRequest

    asker = factories.make_user(roles.ADMINISTRATOR, username="spec-asker")
    return AccessRequest.objects.create(
        kind="change",
        user=staff["analyst"],
        add_roles=["Supervisor"],
        reason="Spec",
        requested_by=asker,
        expires_at=timezone.now() + timedelta(hours=1),
    )


def _enrolment_token(by, staff, *, claimed: bool = False) -> tuple[str, Any]:
    """An enrolment link for ``by`` (or, for an actor who is not staff, for ``nav``)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from checkpoint.models import EnrolmentLink
    from checkpoint.services.access_requests import token_hash

    user = by if hasattr(by, "has_perm") else staff["nav"]
    TOTPDevice.objects.filter(user=user).delete()
    link = EnrolmentLink.objects.create(
        user=user,
        token_hash=token_hash(f"spec-{user.pk}"),
        created_by=staff["superuser"],
        expires_at=timezone.now() + timedelta(hours=1),
        used_at=timezone.now() if claimed else None,
    )
    return f"spec-{user.pk}", link


def _enrolment_complete(by, staff) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _, link = _enrolment_token(by, staff, claimed=True)
    device = TOTPDevice.objects.create(user=link.user, name="App", confirmed=False)
    return services.enrolment_complete(by=by, device_id=device.pk, link_id=link.pk)


SPECS: dict[str, Spec] = {
    "case_open": Spec(
        lambda c, by, x: factories.open_case(dm=by, team=x["_team"], now=_now()),
        None,
        need=ASSESS,
    ),
    "assessment_record": Spec(
        lambda c, by, x: services.assessment_record(case_id=c.pk, by=by, **factories.GOOD_FACTS),
        "assessment",
        screen="custody:assessment",
    ),
    "assessment_override_rule": Spec(
        lambda c, by, x: services.assessment_override_rule(
            case_id=c.pk,
            by=by,
            code="risk_band",
            justification="The risk tool overstates the risk: no offending for ten years.",
        ),
        "high-risk",
        screen="custody:assessment-result",
    ),
    "assessment_decide": Spec(
        lambda c, by, x: services.assessment_decide(
            case_id=c.pk, by=by, eligible=False, reason="Three recent convictions"
        ),
        "assessed",
        screen="custody:assessment-result",
    ),
    "case_offer": Spec(
        lambda c, by, x: services.case_offer(case_id=c.pk, by=by),
        "eligible",
        screen="custody:offer",
    ),
    "offer_accept": Spec(
        lambda c, by, x: services.offer_accept(case_id=c.pk, by=by),
        "offered",
        screen="custody:offer",
    ),
    "offer_decline": Spec(
        lambda c, by, x: services.offer_decline(case_id=c.pk, by=by, reason="Said no"),
        "offered",
        screen="custody:offer",
    ),
    "case_allocate": Spec(
        lambda c, by, x: services.case_allocate(
            case_ids=[c.pk], by=by, navigator=x["nav-unallocated"], reason="Cover for leave"
        ),
        "accepted",
        screen="supervisors:case-allocate",
    ),
    "caseload_handover": Spec(
        lambda c, by, x: services.caseload_handover(
            by=by,
            from_navigator=x["nav"],
            assignments=dict.fromkeys(
                Case.objects.filter(navigator=x["nav"])
                .exclude(state__in=["exited_no_conviction", "prosecution_referred"])
                .values_list("pk", flat=True),
                x["nav-unallocated"],
            ),
            reason="Nadia is leaving the team",
        ),
        None,
        need=SUPERVISE,
        team_bound=True,
    ),
    "unallocated_alerts": Spec(
        lambda c, by, x: services.unallocated_alerts(by=by, now=_now()),
        None,
        need=SYSTEM_ONLY,
        system=True,
    ),
    "contract_open": Spec(
        lambda c, by, x: services.contract_open(case_id=c.pk, by=by),
        "accepted-new",
        screen="navigators:contract",
    ),
    "victim_wishes_record": Spec(
        lambda c, by, x: services.victim_wishes_record(
            case_id=c.pk,
            by=by,
            name="Aoife Ní Bhriain",
            restorative_preference="letter",
            keep_informed=False,
        ),
        "accepted",
        screen="navigators:victim-wishes",
    ),
    "victim_condition_set": Spec(
        lambda c, by, x: services.victim_condition_set(
            case_id=c.pk, by=by, approach=RestorativeApproach.LETTER
        ),
        "accepted",
        screen="navigators:contract-victim",
    ),
    "referral_add": Spec(
        lambda c, by, x: services.referral_add(
            case_id=c.pk,
            by=by,
            provider_id=x["provider"].pk,
            pathway_id=Pathway.objects.get(code="drugs").pk,
            what="Drug awareness course",
            frequency="Weekly",
            required_sessions=4,
        ),
        "accepted",
        screen="navigators:contract-referral",
    ),
    "community_set": Spec(
        lambda c, by, x: services.community_set(
            case_id=c.pk, by=by, kind=CommunityKind.HOURS, hours_required=24
        ),
        "accepted",
        screen="navigators:contract-community",
    ),
    "consent_record": Spec(
        lambda c, by, x: services.consent_record(
            case_id=c.pk, by=by, method=ConsentMethod.IN_PERSON, given_on=_today()
        ),
        "accepted",
        screen="navigators:contract-consent",
    ),
    "contract_sign": Spec(
        lambda c, by, x: services.contract_sign(case_id=c.pk, by=by, starts_on=_today()),
        "ready",
        screen="navigators:contract-sign",
    ),
    "consent_document_add": Spec(
        lambda c, by, x: services.consent_document_add(
            case_id=c.pk, by=by, upload=world.consent_scan()
        ),
        "active",
        screen="navigators:consent-documents",
    ),
    "contract_copy_send": Spec(
        lambda c, by, x: services.contract_copy_send(
            case_id=c.pk, by=by, email="participant@example.org", consent=True
        ),
        "active",
        screen="navigators:contract-copy",
    ),
    "needs_assessment_record": Spec(
        lambda c, by, x: services.needs_assessment_record(
            case_id=c.pk,
            by=by,
            items=[NeedInput(pathway_id=Pathway.objects.get(code="drugs").pk, level="high")],
        ),
        "active",
        screen="navigators:needs",
    ),
    "appointment_schedule": Spec(
        lambda c, by, x: services.appointment_schedule(
            confirm=True,
            case_id=c.pk,
            by=by,
            kind="navigator",
            starts_at=_now() + timedelta(days=2),
        ),
        "active",
        screen="navigators:appointment-new",
    ),
    "appointment_record_outcome": Spec(
        lambda c, by, x: services.appointment_record_outcome(
            appointment_id=c.record_pks["appointment"],
            by=by,
            outcome="rescheduled",
            rescheduled_to=_now() + timedelta(days=3),
        ),
        "active",
        screen="navigators:appointment-outcome",
    ),
    "hours_log": Spec(
        lambda c, by, x: services.hours_log(
            case_id=c.pk,
            by=by,
            worked_on=_today() - timedelta(days=1),
            hours=Decimal(2),
            activity="Litter picking",
        ),
        "active",
        screen="navigators:hours-new",
        participant=True,  # self-reported, awaiting verification
    ),
    "hours_verify": Spec(
        lambda c, by, x: services.hours_verify(entry_id=c.record_pks["hours"], by=by),
        "active",
        screen="navigators:hours-verify",
    ),
    "new_offence_report": Spec(
        lambda c, by, x: services.new_offence_report(
            case_id=c.pk,
            by=by,
            occurred_on=_today() - timedelta(days=1),
            description="Arrested for shoplifting",
        ),
        "active",
        screen="navigators:new-offence",
    ),
    "compliance_event_raise": Spec(
        lambda c, by, x: services.compliance_event_raise(
            case_id=c.pk,
            by=by,
            kind="other",
            occurred_on=_today() - timedelta(days=1),
            detail="Did not answer",
        ),
        "active",
        screen="navigators:compliance-new",
    ),
    "warning_issue": Spec(
        lambda c, by, x: services.warning_issue(
            case_id=c.pk,
            by=by,
            reason="Missed the session",
            event_ids=list(c.compliance_events.values_list("pk", flat=True)),
        ),
        "active",
        screen="navigators:warning-new",
    ),
    "note_add": Spec(
        lambda c, by, x: services.note_add(case_id=c.pk, by=by, text="Called the participant"),
        "active",
        screen="navigators:note-new",
    ),
    "restorative_outcome_record": Spec(
        lambda c, by, x: services.restorative_outcome_record(
            case_id=c.pk, by=by, outcome="completed"
        ),
        "active",
        screen="navigators:restorative-outcome",
    ),
    "referral_status_set": Spec(
        lambda c, by, x: services.referral_status_set(
            referral_id=c.contract.referrals.get().pk, by=by, status="not_completed"
        ),
        "active",
        screen="navigators:referral-outcome",
    ),
    "gps_tag_complete": Spec(
        lambda c, by, x: services.gps_tag_complete(
            case_id=c.pk, by=by, completed_on=c.contract.community_condition.gps_ends_on
        ),
        "gps",
        need=MANAGE,  # recorded by a navigator (no screen of its own yet)
    ),
    "reminders_set": Spec(
        lambda c, by, x: services.reminders_set(case_id=c.pk, by=by, sms=False, email=False),
        "active",
        screen="navigators:reminders",
        participant=True,  # opting out: a participant may, at any time
    ),
    "breach_refer": Spec(
        lambda c, by, x: services.breach_refer(case_id=c.pk, by=by, recommendation="Missed"),
        "active",
        screen="navigators:breach-refer",
    ),
    "case_withdraw": Spec(
        lambda c, by, x: services.case_withdraw(case_id=c.pk, by=by, reason="Moved away"),
        "active",
        screen="navigators:withdraw",
    ),
    "completion_review_begin": Spec(
        lambda c, by, x: services.completion_review_begin(case_id=c.pk, by=by),
        "ended",
        need=MANAGE,  # normally the scheduled work, which may
        system=True,
    ),
    "breach_decide": Spec(
        lambda c, by, x: services.breach_decide(
            case_id=c.pk, by=by, decision="continue", reasons="A first lapse"
        ),
        "breach",
        screen="supervisors:breach",
    ),
    "completion_sign_off": Spec(
        lambda c, by, x: services.completion_sign_off(case_id=c.pk, by=by, reason="All met"),
        "review",
        screen="supervisors:completion",
    ),
    "completion_terminate": Spec(
        lambda c, by, x: services.completion_terminate(case_id=c.pk, by=by, reasons="Not met"),
        "review",
        screen="supervisors:completion",
    ),
    "prosecution_refer": Spec(
        lambda c, by, x: services.prosecution_refer(case_id=c.pk, by=by, reason="Withdrew"),
        "withdrawn",
        screen="supervisors:prosecution-refer",
    ),
    "disclosure_record": Spec(
        lambda c, by, x: services.disclosure_record(
            by=by,
            kind="outcome_letter",
            what="outcome letter",
            case=c,
            recipient="The participant",
            justification="Their own letter",
        ),
        "exited",
        screen="supervisors:outcome-letter",
    ),
    "consultation_record": Spec(
        lambda c, by, x: services.consultation_record(
            by=by, case=c, page="navigators:case", path=f"/cases/{c.reference}/"
        ),
        "active",
        need=ANY_STAFF,  # every case screen logs its reading: the screen's reach decides
    ),
    "case_lock_expecting": Spec(
        lambda c, by, x: services.case_lock_expecting(
            case_id=c.pk, by=by, version=c.lock_version, opened_at=_now()
        ),
        "active",
        need=ANY_STAFF,  # a form's version check, before the service that checks its role
    ),
    "compliance_event_resolve": Spec(
        lambda c, by, x: services.compliance_event_resolve(
            event_id=c.compliance_events.open().first().pk,
            by=by,
            explanation="In hospital that day; the discharge letter is on file",
        ),
        "active",
        screen="navigators:compliance-resolve",
    ),
    "compliance_event_withdraw": Spec(
        lambda c, by, x: services.compliance_event_withdraw(
            event_id=c.compliance_events.open().first().pk, by=by, reason="Raised on the wrong case"
        ),
        "active",
        screen="navigators:compliance-withdraw",
    ),
    "rearrest_confirm": Spec(
        lambda c, by, x: services.rearrest_confirm(match_id=c.rearrests.get().pk, by=by),
        "rearrested",
        screen="navigators:rearrest",
    ),
    "rearrest_dismiss": Spec(
        lambda c, by, x: services.rearrest_dismiss(
            match_id=c.rearrests.get().pk, by=by, reason="A different person: other middle name"
        ),
        "rearrested",
        screen="navigators:rearrest",
    ),
    "appointment_cancel": Spec(
        lambda c, by, x: services.appointment_cancel(
            appointment_id=c.record_pks["appointment"], by=by, reason="Booked on the wrong day"
        ),
        "active",
        screen="navigators:appointment-cancel",
    ),
    "appointment_reschedule": Spec(
        lambda c, by, x: services.appointment_reschedule(
            appointment_id=c.record_pks["appointment"],
            by=by,
            starts_at=_now() + timedelta(days=2),
            reason="The participant starts a job that day",
            confirm=True,
        ),
        "active",
        screen="navigators:appointment-reschedule",
    ),
    "person_contact_update": Spec(
        lambda c, by, x: services.person_contact_update(
            case_id=c.pk,
            by=by,
            mobile="07700 900456",
            email="",
            address_line_1="12 O'Shea Terrace",
            town="Durham",
            postcode="dh1 1aa",
        ),
        "active",
        screen="navigators:contact-details",
    ),
    "hours_correct": Spec(
        lambda c, by, x: services.hours_correct(
            entry_id=c.record_pks["hours"],
            by=by,
            reason="Two hours, not three",
            worked_on=_today() - timedelta(days=1),
            hours=Decimal(2),
            activity="Litter picking",
        ),
        "active",
        screen="navigators:hours-correct",
    ),
    "hours_withdraw": Spec(
        lambda c, by, x: services.hours_withdraw(
            entry_id=c.record_pks["hours"], by=by, reason="Logged on the wrong case"
        ),
        "active",
        screen="navigators:hours-withdraw",
    ),
    "note_correct": Spec(
        lambda c, by, x: services.note_correct(
            note_id=c.record_pks["note"], by=by, text="Met at the library", reason="Wrong place"
        ),
        "active",
        screen="navigators:note-correct",
    ),
    "note_withdraw": Spec(
        lambda c, by, x: services.note_withdraw(
            note_id=c.record_pks["note"], by=by, reason="Written on the wrong case"
        ),
        "active",
        screen="navigators:note-withdraw",
    ),
    "referral_correct": Spec(
        lambda c, by, x: services.referral_correct(
            referral_id=c.contract.referrals.get().pk,
            by=by,
            reason="Fortnightly, as agreed with the provider",
            what="Drug awareness course",
            frequency="Fortnightly",
            required_sessions=3,
        ),
        "active",
        screen="navigators:referral-correct",
    ),
    "referral_withdraw": Spec(
        lambda c, by, x: services.referral_withdraw(
            referral_id=c.contract.referrals.get().pk, by=by, reason="Referred to the wrong service"
        ),
        "active",
        screen="navigators:referral-withdraw",
    ),
    "restorative_outcome_correct": Spec(
        lambda c, by, x: services.restorative_outcome_correct(
            case_id=c.pk,
            by=by,
            outcome="victim_withdrew",
            recorded_on=_today(),
            reason="The victim withdrew; completed was a slip",
        ),
        "restorative-done",
        screen="navigators:restorative-correct",
    ),
    "retention_review": Spec(
        lambda c, by, x: services.retention_review(by=by, today=_today()),
        None,
        need=SYSTEM_ONLY,
        system=True,
    ),
    "retention_erase": Spec(
        lambda c, by, x: services.retention_erase(case_ids=[x["erasable"].pk], by=by),
        None,
        need=ADMINISTRATORS,  # the Administrator role, at /audit/retention/ (DPA 2018 s.47)
    ),
    "access_change_request": Spec(
        lambda c, by, x: services.access_change_request(
            by=by, user_id=x["analyst"].pk, roles_wanted={"Analyst", "Supervisor"}, reason="Spec"
        ),
        None,
        need=ADMINISTRATORS,
    ),
    "authenticator_reset_request": Spec(
        lambda c, by, x: services.authenticator_reset_request(
            by=by, user_id=x["nav"].pk, reason="Lost phone"
        ),
        None,
        need=ADMINISTRATORS,
    ),
    "access_request_approve": Spec(
        lambda c, by, x: services.access_request_approve(
            by=by, request_id=_pending_access_request(x).pk
        ),
        None,
        need=ADMINISTRATORS,
    ),
    "access_request_reject": Spec(
        lambda c, by, x: services.access_request_reject(
            by=by, request_id=_pending_access_request(x).pk, reason="Not needed"
        ),
        None,
        need=ADMINISTRATORS,
    ),
    # A member of staff uses their own enrolment link (reach does not apply: no case).
    "enrolment_link_claim": Spec(
        lambda c, by, x: services.enrolment_link_claim(by=by, token=_enrolment_token(by, x)[0]),
        None,
        need=ANY_STAFF,
    ),
    "enrolment_complete": Spec(
        lambda c, by, x: _enrolment_complete(by, x),
        None,
        need=ANY_STAFF,
    ),
    "compliance_sweep": Spec(
        lambda c, by, x: services.compliance_sweep(by=by, now=_now()),
        None,
        need=SYSTEM_ONLY,
        system=True,
    ),
    "deadline_watch": Spec(
        lambda c, by, x: services.deadline_watch(by=by, now=_now()),
        None,
        need=SYSTEM_ONLY,
        system=True,
    ),
    "staff_digest": Spec(
        lambda c, by, x: services.staff_digest(by=by, now=_now()),
        None,
        need=SYSTEM_ONLY,
        system=True,
    ),
    "consent_orphans_remove": Spec(
        lambda c, by, x: services.consent_orphans_remove(by=by),
        None,
        need=SYSTEM_ONLY,
        system=True,
    ),
}
# Services with a second rule for part of what they do: a report download (no case), and a
# participant starting reminders (only staff record that consent).
EXTRA_SPECS: dict[str, Spec] = {
    "disclosure_record (report CSV)": Spec(
        lambda c, by, x: services.disclosure_record(
            by=by,
            kind="report_csv",
            what="equality report, sex",
            recipient="Force equality board",
            justification="Quarterly monitoring",
        ),
        None,
        need=REPORTS,
    ),
    "note_withdraw (closed case)": Spec(
        lambda c, by, x: services.note_withdraw(
            note_id=c.record_pks["note"], by=by, reason="Written on the wrong case"
        ),
        "closed-with-note",
        need=SUPERVISE,  # once a case is closed, only a supervisor corrects its record
    ),
    "reminders_set (opting in)": Spec(
        lambda c, by, x: services.reminders_set(case_id=c.pk, by=by, sms=True, email=False),
        "has-mobile",
        screen="navigators:reminders",
    ),
}
ALL_SPECS = {**SPECS, **EXTRA_SPECS}


def _not_services() -> set[str]:
    """Names in ``services.__all__`` that are not services (errors, input records)."""
    return {name for name in services.__all__ if not name.islower()}


def test_every_public_service_is_in_the_spec():
    public = set(services.__all__) - _not_services()
    assert public == set(SPECS), (
        f"say who may call {sorted(public - set(SPECS))} in {__name__}"
        if public - set(SPECS)
        else f"no such service: {sorted(set(SPECS) - public)}"
    )
    assert len(public) >= 40


# -- Running one service as every actor ------------------------------------------------------


class _RolledBack(Exception):
    pass


def _attempt(call: Callable[[], Any]) -> str:
    """What happened, with every change rolled back: 'ok', 'not found', 'refused' or the error."""
    try:
        with transaction.atomic():
            call()
            raise _RolledBack
    except _RolledBack:
        return "ok"
    except CaseNotFound:
        return "not found"
    except NotPermitted:
        return "refused"
    except Exception as err:  # anything else is a finding too, named for the report
        return f"{type(err).__name__}: {err}"


def _actor(name: str, staff: dict, case: Case | None) -> Any:
    if name == "system":
        return SYSTEM
    if name == "participant":
        return Participant(case.person_id if case else staff["_person"].pk)
    if name == "other-participant":
        return Participant(staff["_person"].pk)
    return staff[name]


@pytest.fixture(scope="module")
def _people(django_db_setup, django_db_blocker):
    """The actors, built once for the module; each test's cases and calls are rolled back."""
    with data_for_the_module(django_db_blocker):
        people = world.make_staff()
        people["_person"] = factories.PersonFactory()  # on no case of the tests
        people["provider"] = factories.ServiceProviderFactory(pathways=["drugs"])
        yield people


@pytest.fixture
def staff(_people, db):
    return fresh(_people)


def mismatches(name: str, spec: Spec, staff: dict) -> tuple[list[str], int]:
    """Every actor whose outcome differs from the rules, and how many actors were tried."""
    case = CASES[spec.case](staff) if spec.case else None
    if case is not None:
        CaseShare.objects.get_or_create(
            case=case,
            user=staff["nav-shared"],
            defaults={"shared_by": staff["sup"], "reason": "Cover"},
        )
        case = _with_records(case)
    if name == "retention_erase":
        staff["erasable"] = CASES["erasable"](staff)
    found = []
    for actor in ACTORS:
        want = expected(spec, actor, case)
        got = _attempt(lambda a=actor: spec.call(case, _actor(a, staff, case), staff))
        if got != want:
            found.append(f"{name} as {actor}: expected {want}, got {got}")
    return found, len(ACTORS)


def _with_records(case: Case) -> Case:
    fresh = Case.objects.select_related("contract").get(pk=case.pk)
    fresh.record_pks = getattr(case, "record_pks", {})
    return fresh


@pytest.mark.parametrize("name", list(ALL_SPECS))
def test_the_core_refuses_wherever_the_screen_would(staff, name):
    found, tried = mismatches(name, ALL_SPECS[name], staff)
    assert not found, "\n".join(found)
    assert tried == len(ACTORS) == 14


def test_the_generated_test_fails_without_the_core_check(staff, monkeypatch):
    """Taking the core's permission check away (as if a service had none) is caught."""
    monkeypatch.setattr(permissions, "require", lambda *args, **kwargs: None)
    monkeypatch.setattr(access, "reaches", lambda *args, **kwargs: True)
    found, _ = mismatches("note_add", SPECS["note_add"], staff)
    assert any("note_add as analyst: expected not found, got ok" in f for f in found), found
    found, _ = mismatches("case_open", SPECS["case_open"], staff)
    assert any("case_open as analyst: expected refused" in f for f in found), found
