"""factory_boy factories and journey builders that drive cases through the real services."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.utils import bulk_create_with_history

from checkpoint import dates, eligibility, roles, services
from checkpoint.models import (
    Appointment,
    AppointmentKind,
    AppointmentOutcome,
    Arrest,
    Case,
    CaseAllocation,
    CaseState,
    CaseTransition,
    CommunityCondition,
    CommunityKind,
    ConsentMethod,
    Contract,
    EligibilityAssessment,
    Offence,
    OffenceType,
    OffendingCondition,
    Pathway,
    PathwayReferral,
    Person,
    RestorativeApproach,
    SchemeVersion,
    ServiceProvider,
    StaffProfile,
    Team,
    VictimCondition,
)
from checkpoint.services.assessment import _facts as assessment_facts
from checkpoint.services.assessment import _store_rule_results as store_rule_results
from checkpoint.services.intake import DEFAULT_SCHEME, new_reference

LONDON = dates.LONDON
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=LONDON)
# The password of the accounts that tests sign in with through the sign-in form.
PASSWORD = "Correct-horse-battery-9"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.police.uk")


def make_user(role: str, *, team: Team | None = None, username: str | None = None):
    """A member of staff in ``role`` (and ``team``), with the role's permissions."""
    # The role groups are made by migration (post_migrate) and restored after every flush.
    group = Group.objects.filter(name=role).first() or roles.sync_roles()[role]
    user = UserFactory(**({"username": username} if username else {}))
    user.groups.add(group)
    StaffProfile.objects.update_or_create(user=user, defaults={"team": team})
    return get_user_model().objects.get(pk=user.pk)  # fresh: no cached permissions


def make_administrator(username: str):
    """An administrator (staff, so the admin site is theirs too)."""
    user = make_user(roles.ADMINISTRATOR, username=username)
    user.is_staff = True
    user.save()
    return user


def totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator app, created when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)


def totp_code(device: TOTPDevice) -> str:
    """A code the device accepts now: the current time step, or the next one if the current
    step was used already (a device accepts each step once, and one step either side)."""
    device.refresh_from_db()
    now_step = int(time.time()) // device.step
    step = max(now_step, device.last_t + 1)
    if step > now_step + device.tolerance:
        time.sleep(device.step)  # signed in twice within one step already: wait for the next
        return totp_code(device)
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = step * device.step
    return f"{generator.token():0{device.digits}d}"


def verify_session(client, user) -> None:
    """Mark a test client's signed-in session as having passed the second factor."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Faker("first_name", locale="en_GB")
    family_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(1995, 6, 15)


class ServiceProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvider
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Service {n}")

    @factory.post_generation
    def pathways(self, create, extracted, **kwargs):
        codes = extracted or ["drugs"]
        self.pathways.set(Pathway.objects.filter(code__in=codes))


def offence(code: str = "THEFT-SHOP", *, committed_on: date | None = None, **kwargs):
    offence_type = OffenceType.objects.get(code=code)
    return services.OffenceInput(
        offence_type_id=offence_type.pk,
        committed_on=committed_on or (NOW.date() - timedelta(days=10)),
        has_victim=kwargs.pop("has_victim", offence_type.victim_usual),
        **kwargs,
    )


_custody = iter(range(1, 10**9))


def open_case(*, dm, team, offences=None, person=None, now: datetime = NOW, **kwargs) -> Case:
    return services.case_open(
        by=dm,
        person=person or PersonFactory(),
        team=team,
        now=now,
        custody_reference=f"DU/{next(_custody):06d}/26",
        arrested_at=now - timedelta(hours=3),
        offences=offences or [offence()],
        **kwargs,
    )


GOOD_FACTS = {
    "evidential_test_met": True,
    "admission": "admitted",
    "previous_convictions": 0,
    "custodial_sentence_likely": False,
    "risk_band": "moderate",
    "risk_source": "Custody risk tool, reviewed by the decision maker",
}


def eligible_case(*, dm, team, now: datetime = NOW, **kwargs) -> Case:
    case = open_case(dm=dm, team=team, now=now, **kwargs)
    services.assessment_record(case_id=case.pk, by=dm, now=now, **GOOD_FACTS)
    return services.assessment_decide(case_id=case.pk, by=dm, eligible=True, now=now)


def accepted_case(*, dm, team, navigator, now: datetime = NOW, **kwargs) -> Case:
    case = eligible_case(dm=dm, team=team, now=now, **kwargs)
    services.case_offer(case_id=case.pk, by=dm, now=now)
    return services.offer_accept(case_id=case.pk, by=dm, navigator=navigator, now=now)


def build_contract(
    case: Case, *, navigator, provider=None, hours: int = 24, now: datetime = NOW
) -> None:
    """Every condition plus consent: ready to sign."""
    provider = provider or ServiceProviderFactory(pathways=["drugs"])
    services.contract_open(case_id=case.pk, by=navigator)
    services.victim_condition_set(
        case_id=case.pk, by=navigator, approach=RestorativeApproach.LETTER
    )
    services.referral_add(
        case_id=case.pk,
        by=navigator,
        provider_id=provider.pk,
        pathway_id=Pathway.objects.get(code="drugs").pk,
        what="Drug awareness course",
        frequency="Weekly",
        required_sessions=4,
    )
    services.community_set(
        case_id=case.pk, by=navigator, kind=CommunityKind.HOURS, hours_required=hours
    )
    services.consent_record(
        case_id=case.pk,
        by=navigator,
        method=ConsentMethod.IN_PERSON,
        given_on=dates.local_date(now),
        now=now,
    )


def active_case(*, dm, team, navigator, now: datetime = NOW, hours: int = 24, **kwargs) -> Case:
    case = accepted_case(dm=dm, team=team, navigator=navigator, now=now, **kwargs)
    build_contract(case, navigator=navigator, hours=hours, now=now)
    return services.contract_sign(
        case_id=case.pk, by=navigator, starts_on=dates.local_date(now), now=now
    )


def complete_conditions(case: Case, *, navigator, now: datetime) -> None:
    """Record evidence that every condition was met (hours verified, referrals completed)."""
    contract = Case.objects.get(pk=case.pk).contract
    community = contract.community_condition
    services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=contract.starts_on,
        hours=Decimal(community.hours_required) / 2,
        activity="Gardening",
        verified=True,
        now=now,
    )
    services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=contract.starts_on,
        hours=Decimal(community.hours_required) / 2,
        activity="Gardening",
        verified=True,
        now=now,
    )
    attend_every_session(contract, navigator=navigator)
    contract.referrals.update(status="completed")
    victim = contract.victim_condition
    victim.outcome, victim.outcome_recorded_on = "completed", contract.starts_on
    victim.save()


class AppointmentFactory(factory.django.DjangoModelFactory):
    """An appointment on an existing case, written directly (for tests that read appointments;
    tests of booking and recording go through the services). Traits: ``attended``,
    ``missed`` (an unacceptable absence), ``service`` (a session of one of the case's
    referrals, passed as ``referral``)."""

    class Meta:
        model = Appointment

    kind = AppointmentKind.NAVIGATOR
    starts_at = NOW + timedelta(days=1)
    location = "Aykley Heads"
    created_by = factory.LazyAttribute(lambda a: a.case.navigator)

    class Params:
        attended = factory.Trait(
            outcome=AppointmentOutcome.ATTENDED,
            outcome_recorded_at=factory.LazyAttribute(lambda a: a.starts_at + timedelta(hours=2)),
            outcome_recorded_by=factory.SelfAttribute("created_by"),
        )
        missed = factory.Trait(
            outcome=AppointmentOutcome.UNACCEPTABLE_ABSENCE,
            outcome_recorded_at=factory.LazyAttribute(lambda a: a.starts_at + timedelta(hours=2)),
            outcome_recorded_by=factory.SelfAttribute("created_by"),
        )
        service = factory.Trait(kind=AppointmentKind.SERVICE)


def attend_every_session(contract, *, navigator) -> None:
    """Record each referral's required sessions as attended (the evidence a completed referral
    needs), on the days after the contract started."""
    start = dates.start_of_local_day(contract.starts_on) + timedelta(hours=10)
    Appointment.objects.bulk_create(
        AppointmentFactory.build(
            case_id=contract.case_id,
            service=True,
            attended=True,
            referral=referral,
            starts_at=start + timedelta(days=n),
            created_by=navigator,
        )
        for referral in contract.referrals.all()
        for n in range(referral.required_sessions)
    )


class ArrestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arrest

    person = factory.SubFactory(PersonFactory)
    custody_reference = factory.LazyFunction(lambda: f"DU/{next(_custody):06d}/26")
    arrested_at = NOW - timedelta(hours=3)
    recorded_by = factory.LazyFunction(lambda: make_user(roles.DECISION_MAKER))


# The way the services take a case to each state a CaseFactory trait reaches, in order.
_WAY = [
    ("decide_eligible", CaseState.ASSESSMENT, CaseState.ELIGIBLE),
    ("make_offer", CaseState.ELIGIBLE, CaseState.OFFERED),
    ("accept_offer", CaseState.OFFERED, CaseState.ACCEPTED),
    ("sign_contract", CaseState.ACCEPTED, CaseState.ACTIVE),
]


class CaseFactory(factory.django.DjangoModelFactory):
    """A case written straight to its tables, for tests that only read cases (a page, a
    caseload, a search): the rows the services leave, without their checks, locks and
    audit, in about a third of the queries. Tests of what the services do build their cases
    through them (``open_case``, ``active_case``...).

    Without a trait the case awaits its eligibility assessment, for one offence
    (``offence_code``) committed ten days before ``now``. Traits take it as far as the
    services would: ``eligible`` (an assessment every rule passed, and the decision),
    ``accepted`` (offered, accepted, the navigator allocated), ``active`` (a signed contract:
    a letter of apology, one drugs referral, ``hours`` of community work, consent given in
    person). tests/test_factories.py checks each against the same case built through the
    services: the same rows in the same tables, with the same values.
    """

    class Meta:
        model = Case
        skip_postgeneration_save = True

    class Params:
        eligible = factory.Trait(state=CaseState.ELIGIBLE)
        accepted = factory.Trait(state=CaseState.ACCEPTED)
        active = factory.Trait(state=CaseState.ACTIVE)

    # Not columns: taken out in _create.
    now = NOW
    offence_code = "THEFT-SHOP"
    committed_on = factory.LazyAttribute(lambda c: dates.local_date(c.now) - timedelta(days=10))
    hours = 24

    reference = factory.LazyFunction(new_reference)
    person = factory.SubFactory(PersonFactory)
    opened_by = factory.LazyFunction(lambda: make_user(roles.DECISION_MAKER))
    arrest = factory.SubFactory(
        ArrestFactory,
        person=factory.SelfAttribute("..person"),
        recorded_by=factory.SelfAttribute("..opened_by"),
        arrested_at=factory.LazyAttribute(lambda a: a.factory_parent.now - timedelta(hours=3)),
    )
    scheme_version = factory.LazyAttribute(
        lambda c: SchemeVersion.objects.current_for(DEFAULT_SCHEME, dates.local_date(c.now))
    )
    state = CaseState.ASSESSMENT
    team = factory.SubFactory(TeamFactory)
    navigator = factory.LazyAttribute(
        lambda c: (
            make_user(roles.NAVIGATOR, team=c.team)
            if c.state in (CaseState.ACCEPTED, CaseState.ACTIVE)
            else None
        )
    )

    @classmethod
    def _create(cls, model_class, *args, now, offence_code, committed_on, hours, **kwargs):
        way = [step for step in _WAY if _before(step[2], kwargs["state"])]
        if kwargs["state"] not in (CaseState.ASSESSMENT, *(to for _a, _f, to in way)):
            raise ValueError(f"No trait reaches '{kwargs['state']}': build it through the services")
        offence_type = OffenceType.objects.get(code=offence_code)
        offence = Offence(
            offence_type=offence_type,
            committed_on=committed_on,
            has_victim=offence_type.victim_usual,
            gravity_score=offence_type.default_gravity_score,
        )
        case = super()._create(
            model_class, *args, prosecution_deadline=offence.prosecution_deadline(), **kwargs
        )
        offence.arrest = case.arrest
        bulk_create_with_history([offence], Offence, default_user=case.opened_by)
        if way:
            _passed_assessment(case, now=now)
        for action, from_state, to_state in way:
            _took(case, action, from_state, to_state, now=now, hours=hours)
        return case


def _before(state: str, goal: str) -> bool:
    """Whether the way to ``goal`` passes through (or ends at) ``state``."""
    order = [to for _a, _f, to in _WAY]
    return goal in order and order.index(state) <= order.index(goal)


def _passed_assessment(case: Case, *, now: datetime) -> None:
    """The assessment ``eligible_case`` records (GOOD_FACTS), every rule's result stored."""
    facts = {key: value for key, value in GOOD_FACTS.items() if key != "risk_source"}
    # The facts and the rules' stored results as the assessment service makes them.
    results = eligibility.evaluate(
        case.scheme_version.policy(), assessment_facts(case, **facts), dates.local_date(now)
    )
    assessment = EligibilityAssessment.objects.create(
        case=case,
        scheme_version=case.scheme_version,
        assessed_on=dates.local_date(now),
        assessed_by=case.opened_by,
        is_eligible=eligibility.decide(results, set()).eligible,
        **GOOD_FACTS,
    )
    if not assessment.is_eligible:
        raise ValueError(f"{case.arrest.offences.get()} fails a rule: no eligible trait for it")
    store_rule_results(assessment, results)


def _took(case: Case, action: str, from_state: str, to_state: str, *, now, hours: int) -> None:
    """The rows a service leaves when it takes ``action``: its transition, and the
    allocation or the signed contract that goes with it."""
    by = case.navigator if action == "sign_contract" else case.opened_by
    reason = "Agreed to take part" if action == "accept_offer" else ""
    CaseTransition.objects.create(
        case=case,
        transition=action,
        from_state=from_state,
        to_state=to_state,
        by=by,
        at=now,
        reason=reason,
    )
    if action == "accept_offer" and case.navigator is not None:
        CaseAllocation.objects.create(
            case=case,
            navigator=case.navigator,
            by=case.opened_by,
            at=now,
            reason="Allocated when the person accepted",
        )
    if action == "sign_contract":
        _signed_contract(case, now=now, hours=hours)


def _signed_contract(case: Case, *, now: datetime, hours: int) -> None:
    """The contract ``active_case`` signs (``build_contract``'s conditions and consent)."""
    scheme, today, navigator = case.scheme_version, dates.local_date(now), case.navigator
    contract = Contract.objects.create(
        case=case,
        created_by=navigator,
        consent_method=ConsentMethod.IN_PERSON,
        consent_given_on=today,
        consent_recorded_by=navigator,
        starts_on=today,
        ends_on=dates.contract_end(today, scheme.contract_months),
        signed_at=now,
    )
    OffendingCondition.objects.create(contract=contract)
    VictimCondition.objects.create(
        contract=contract,
        approach=RestorativeApproach.LETTER,
        due_on=today + timedelta(days=scheme.restorative_due_days),
    )
    PathwayReferral.objects.create(
        contract=contract,
        provider=ServiceProviderFactory(pathways=["drugs"]),
        pathway=Pathway.objects.get(code="drugs"),
        what="Drug awareness course",
        frequency="Weekly",
        required_sessions=4,
    )
    CommunityCondition.objects.create(
        contract=contract, kind=CommunityKind.HOURS, hours_required=hours
    )


DISCLOSURE = {"recipient": "J Smith, Crown Prosecution Service", "justification": "Charging file"}


def disclose(client, path: str, params: dict | None = None, **justification):
    """Open a document or CSV that is a disclosure: answer the justification form (DPA 2018
    s.62), then follow to the document. Returns the document's response."""
    from urllib.parse import urlencode

    address = f"{path}?{urlencode(params, doseq=True)}" if params else path
    answered = client.post(address, {**DISCLOSURE, **justification})
    assert answered.status_code == 302, answered.status_code
    return client.get(answered["Location"])
