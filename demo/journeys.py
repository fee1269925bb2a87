"""Demo cases built through the real services, each with a believable timeline.

Every case is driven with ``now`` values in the past, so the history rows, dates and guards
are exactly what the services produce in real use. The dates stay believable: every step of a
case happens before the moment the demo is built and in the order of its journey (consent
never after today, the case opened before anything else happens to it), and nobody is seen on
a weekend or an England and Wales bank holiday (tests/demo/test_demo_data.py checks this).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model

from checkpoint import dates, services
from checkpoint.models import (
    Case,
    CaseState,
    CommunityKind,
    ConsentMethod,
    OffenceType,
    RestorativeApproach,
    RestorativePreference,
    ServiceProvider,
    Team,
)

from .people import random_person

S = CaseState

# How many demo cases end in each state (about 300 in all).
PLAN = {
    S.ASSESSMENT: 14,
    S.INELIGIBLE: 22,
    S.ELIGIBLE: 8,
    S.OFFERED: 10,
    S.DECLINED: 8,
    S.ACCEPTED: 14,
    S.ACTIVE: 90,
    S.BREACH_REVIEW: 12,
    S.COMPLETION_REVIEW: 16,
    S.WITHDRAWN: 6,
    S.TERMINATED: 8,
    S.EXITED_NO_CONVICTION: 60,
    S.PROSECUTION_REFERRED: 20,
}
CUSTODY_REF_PREFIX = "DEMO/"


@dataclass
class Cast:
    dm: User
    navigators: list[User]
    supervisors: dict[int, User]  # team id -> supervisor
    teams: list[Team]
    providers: list[ServiceProvider]


class Journey:
    """Builds one case up to its target state."""

    case: Case  # opened by ``build``'s first step

    def __init__(self, index: int, target: str, cast: Cast, rng: random.Random, today: date):
        self.i, self.target, self.cast, self.rng, self.today = index, target, cast, rng, today
        self.navigator = rng.choice(cast.navigators)
        team = self.navigator.staff_profile.team
        if team is None:  # every demo navigator has a team (``staff.ACCOUNTS``)
            raise ValueError(f"Demo navigator {self.navigator} has no team")
        self.team = team
        self.supervisor = cast.supervisors[self.team.pk]

    def at(self, day: date, hour: int = 10, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=dates.LONDON)

    def backdate(self, model: type[Model], pk: int, moment: datetime) -> None:
        """Give a row the moment it was made in the story (``created_at`` is set by the
        database clock, which is the moment the demo is built)."""
        model._default_manager.filter(pk=pk).update(created_at=moment)

    # --- the journey ------------------------------------------------------------------------
    def build(self) -> None:
        start = self._contract_start()
        opened = start - timedelta(days=self.rng.randint(3, 9)) if start else self._custody_day()
        self._open(opened)
        if not self._assess(opened):
            return
        if self.target == S.ELIGIBLE:
            return
        services.case_offer(case_id=self.case.pk, by=self.cast.dm, now=self.at(opened, 13))
        if self.target == S.OFFERED:
            return
        if self.target in (S.DECLINED,) or (
            self.target == S.PROSECUTION_REFERRED and self.i % 4 == 0
        ):
            self._decline(opened)
            return
        services.offer_accept(
            case_id=self.case.pk, by=self.cast.dm, navigator=self.navigator, now=self.at(opened, 14)
        )
        if self.target == S.ACCEPTED:
            self._start_contract(opened + timedelta(days=1))
            return
        if start is None:  # every target past "accepted" has a contract start
            raise ValueError(f"No contract start for a {self.target} case")
        self._sign(start)
        self._supervise(start)

    def _contract_start(self) -> date | None:
        t, today, r = self.target, self.today, self.rng
        if t in (S.ASSESSMENT, S.INELIGIBLE, S.ELIGIBLE, S.OFFERED, S.DECLINED, S.ACCEPTED):
            return None
        if t == S.ACTIVE:
            start = today - timedelta(days=r.randint(3, 110))
        elif t == S.BREACH_REVIEW:
            start = today - timedelta(days=r.randint(30, 100))
        elif t == S.COMPLETION_REVIEW:
            start = dates.add_months(today - timedelta(days=r.randint(1, 12)), -4)
        else:
            start = dates.add_months(today - timedelta(days=r.randint(10, 220)), -4)
        return working_day(start, step=-1)  # contracts are signed in the office

    def _custody_day(self) -> date:
        # Never today: the day's steps (opened 09:00, offered 13:00...) must all be past.
        # An accepted case's contract is started the next day, which must be past too.
        if self.target == S.INELIGIBLE or self.target == S.DECLINED:
            return self.today - timedelta(days=self.rng.randint(1, 200))
        if self.target == S.ACCEPTED:
            return self.today - timedelta(days=self.rng.randint(2, 6))
        return self.today - timedelta(days=self.rng.randint(1, 6))

    def _open(self, day: date) -> None:
        person = random_person(self.rng, self.i)
        person.save()
        offence_type = self._offence_type()
        self.summary_victim = offence_type.victim_usual
        committed = day - timedelta(days=self.rng.randint(1, 40))
        if self.target == S.INELIGIBLE and self.i % 3 == 1:
            committed = day - timedelta(days=self.rng.randint(100, 160))  # too old
        self.case = services.case_open(
            by=self.cast.dm,
            person=person,
            team=self.team,
            station="Durham Custody Suite",
            custody_reference=f"{CUSTODY_REF_PREFIX}{self.i:05d}",
            now=self.at(day, 9),
            arrested_at=self.at(day, 2, self.rng.randint(0, 59)),
            offences=[
                services.OffenceInput(
                    offence_type_id=offence_type.pk,
                    committed_on=committed,
                    has_victim=offence_type.victim_usual,
                )
            ],
        )
        self.backdate(Case, self.case.pk, self.at(day, 9))

    def _offence_type(self) -> OffenceType:
        eligible_types = list(
            OffenceType.objects.filter(excluded_category__isnull=True, default_gravity_score__lte=3)
        )
        if self.target == S.INELIGIBLE and self.i % 3 == 0:
            return self.rng.choice(
                list(OffenceType.objects.filter(excluded_category__isnull=False))
            )
        return self.rng.choice(eligible_types)

    def _assess(self, day: date) -> bool:
        facts: dict[str, Any] = {
            "evidential_test_met": True,
            "admission": "admitted",
            "previous_convictions": self.rng.choice([0, 0, 0, 1, 1, 2]),
            "custodial_sentence_likely": False,
            "risk_band": self.rng.choice(["low", "moderate", "moderate"]),
            "risk_source": "Custody risk screening tool, reviewed by the decision maker",
        }
        if self.target == S.INELIGIBLE and self.i % 3 == 2:
            facts.update(risk_band="high", previous_convictions=self.rng.randint(4, 9))
        if self.target == S.ASSESSMENT and self.i % 2:
            return False  # facts not yet recorded
        services.assessment_record(
            case_id=self.case.pk, by=self.cast.dm, now=self.at(day, 11), **facts
        )
        if self.target == S.ASSESSMENT:
            return False
        eligible = self.target != S.INELIGIBLE
        services.assessment_decide(
            case_id=self.case.pk, by=self.cast.dm, eligible=eligible, now=self.at(day, 12)
        )
        return eligible

    def _decline(self, day: date) -> None:
        services.offer_decline(
            case_id=self.case.pk,
            by=self.cast.dm,
            now=self.at(day, 14),
            reason=self.rng.choice(
                [
                    "Wants to contest the matter in court",
                    "Does not want to work with a navigator",
                    "Prefers to accept a charge",
                ]
            ),
        )
        if self.target == S.PROSECUTION_REFERRED:
            services.prosecution_refer(
                case_id=self.case.pk,
                by=self.supervisor,
                reason="Declined Checkpoint; file to CPS",
                now=self.at(day + timedelta(days=2)),
            )

    # --- contract ---------------------------------------------------------------------------
    def _start_contract(self, day: date) -> None:
        case_id, nav = self.case.pk, self.navigator
        services.contract_open(case_id=case_id, by=nav)
        approach = RestorativeApproach.NO_VICTIM
        if self.summary_victim:
            preference = self.rng.choice(list(RestorativePreference.values))
            services.victim_wishes_record(
                case_id=case_id,
                by=nav,
                name="Victim (demo)",
                now=self.at(day, 9),
                restorative_preference=preference,
                keep_informed=self.rng.random() < 0.4,
                email="victim.demo@example.org",
            )
            approach = {
                RestorativePreference.NO_CONTACT: RestorativeApproach.VICTIM_DECLINED,
                RestorativePreference.LETTER: RestorativeApproach.LETTER,
                RestorativePreference.FACE_TO_FACE: RestorativeApproach.FACE_TO_FACE,
                RestorativePreference.SHUTTLE: RestorativeApproach.SHUTTLE,
            }[RestorativePreference(preference)]
        services.victim_condition_set(case_id=case_id, by=nav, approach=approach)
        self._referrals()
        if self.rng.random() < 0.9:
            services.community_set(
                case_id=case_id,
                by=nav,
                kind=CommunityKind.HOURS,
                hours_required=self.rng.choice([18, 20, 24, 24, 30, 36]),
            )
        else:
            services.community_set(
                case_id=case_id,
                by=nav,
                kind=CommunityKind.GPS_TAG,
                gps_starts_on=day,
                gps_ends_on=day + timedelta(days=60),
            )
        services.consent_record(
            case_id=case_id,
            by=nav,
            method=ConsentMethod.IN_PERSON,
            given_on=day,
            now=self.at(day, 10),
        )

    def _referrals(self) -> None:
        for provider in self.rng.sample(self.cast.providers, self.rng.choice([1, 1, 2])):
            if provider.women_only and self.case.person.sex != "female":
                continue
            pathway = provider.pathways.first()
            if pathway is None:  # every demo provider offers a pathway (``directory``)
                raise ValueError(f"Demo provider {provider} offers no pathway")
            services.referral_add(
                case_id=self.case.pk,
                by=self.navigator,
                provider_id=provider.pk,
                pathway_id=pathway.pk,
                what=f"{pathway.name} sessions",
                frequency="Weekly",
                required_sessions=self.rng.choice([3, 4, 6]),
            )
        if not self.case.contract.referrals.exists():
            self._referrals()

    def _sign(self, start: date) -> None:
        self._start_contract(start)
        services.contract_sign(
            case_id=self.case.pk, by=self.navigator, starts_on=start, now=self.at(start, 11)
        )
        self.case.refresh_from_db()

    # --- supervision and outcome (see supervise.py) -----------------------------------------
    def _supervise(self, start: date) -> None:
        from .supervise import supervise

        supervise(self, start)


def working_day(day: date, *, step: int = 1) -> date:
    """``day``, or the nearest weekday that is not a bank holiday in England and Wales,
    looking forward (``step=1``) or back (``step=-1``)."""
    while day.weekday() >= 5 or dates.bank_holiday(day):
        day += timedelta(days=step)
    return day


def demo_cases_exist() -> bool:
    from checkpoint.models import Arrest

    return Arrest.objects.filter(custody_reference__startswith=CUSTODY_REF_PREFIX).exists()


def plan_targets() -> list[str]:
    targets: list[str] = [state for state, n in PLAN.items() for _ in range(n)]
    random.Random(7).shuffle(targets)  # nosec B311 # demo data: no security use
    return targets
