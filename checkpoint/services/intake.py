"""Opening a case in custody: the person, the arrest and the offences."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from checkpoint import dates
from checkpoint.actors import Actor, user_of
from checkpoint.models import (
    Arrest,
    Case,
    Offence,
    OffenceClass,
    OffenceType,
    Person,
    SchemeVersion,
    Team,
)
from checkpoint.permissions import Permission

from .common import require_not_future, require_plain_text, resolve_now, today_of
from .corrections import communication_needs_fields, postal_address_fields
from .errors import InvalidInput
from .locking import authorise
from .rearrest import find_rearrests

logger = logging.getLogger(__name__)

DEFAULT_SCHEME = "durham-checkpoint"
# Crockford's base32 without I, L, O, U: easy to read aloud over a radio or phone.
_REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class OffenceInput:
    offence_type_id: int
    committed_on: date
    has_victim: bool
    gravity_score: int | None = None
    location: str = ""
    description: str = ""


def new_reference() -> str:
    """A random case reference such as ``CP-7KQ4-M2XD`` (10^12 space; retried on clash)."""
    chars = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))
    return f"CP-{chars[:4]}-{chars[4:]}"


def _scheme_version(scheme_code: str, today: date) -> SchemeVersion:
    version = SchemeVersion.objects.current_for(scheme_code, today)
    if version is None:
        raise InvalidInput("No published version of this scheme is in force today", field="scheme")
    return version


def _offence_rows(arrest: Arrest, offences: list[OffenceInput], today: date) -> list[Offence]:
    if not offences:
        raise InvalidInput("Add at least one offence", field="offences")
    types = OffenceType.objects.in_bulk([o.offence_type_id for o in offences])
    rows = []
    for item in offences:
        offence_type = types.get(item.offence_type_id)
        if offence_type is None:
            raise InvalidInput("Select an offence from the list", field="offence_type")
        if offence_type.offence_class not in OffenceClass.values:
            raise InvalidInput("The offence has an unknown offence class", field="offence_type")
        require_not_future(
            item.committed_on, today=today, field="committed_on", what="The date of the offence"
        )
        if dates.local_date(arrest.arrested_at) < item.committed_on:
            raise InvalidInput("The offence cannot be after the arrest", field="committed_on")
        gravity = item.gravity_score or offence_type.default_gravity_score
        if not 1 <= gravity <= 4:
            raise InvalidInput("Gravity score must be between 1 and 4", field="gravity_score")
        rows.append(
            Offence(
                arrest=arrest,
                offence_type=offence_type,
                committed_on=item.committed_on,
                has_victim=item.has_victim,
                gravity_score=gravity,
                location=item.location,
                description=item.description,
            )
        )
    return rows


def _validate_person(person: Person) -> None:
    """Model validation, reported as a domain error on the first field at fault."""
    try:
        person.full_clean()
    except ValidationError as err:
        field, messages = next(iter(err.message_dict.items()))
        raise InvalidInput(
            messages[0], field=None if field == NON_FIELD_ERRORS else field
        ) from None


def _tidy_address_and_needs(person: Person) -> None:
    """The postal address checked as a UK address (postcode normalised) or no fixed abode,
    and the interpreter's language required when one is needed: the same rules as a later
    correction (``corrections.person_contact_update``)."""
    fields = {
        **postal_address_fields(
            person.address_line_1,
            person.address_line_2,
            person.town,
            person.postcode,
            person.no_fixed_abode,
            county=person.county,
        ),
        **communication_needs_fields(person.needs_interpreter, person.interpreter_language),
    }
    for name, value in fields.items():
        setattr(person, name, value)


def _deadline(rows: list[Offence]) -> date | None:
    return dates.earliest_deadline([row.prosecution_deadline() for row in rows])


@transaction.atomic
def case_open(
    *,
    by: Actor,
    person: Person,
    custody_reference: str,
    arrested_at: datetime,
    offences: list[OffenceInput],
    team: Team,
    scheme_code: str = DEFAULT_SCHEME,
    station: str = "",
    now: datetime | None = None,
) -> Case:
    """Open a case for an arrested person, ready for the eligibility assessment."""
    now = resolve_now(now)
    today = today_of(now)
    authorise(by, Permission.OPEN_CASE)
    user = user_of(by)
    if arrested_at > now:
        raise InvalidInput("The arrest time must be in the past", field="arrested_at")
    version = _scheme_version(scheme_code, today)
    if person.pk is None:
        for name, what in (("given_name", "Given name"), ("family_name", "Family name")):
            require_plain_text(getattr(person, name), field=name, what=what)
        _tidy_address_and_needs(person)
        _validate_person(person)
        person.save()
    arrest = Arrest(
        person=person,
        custody_reference=require_plain_text(
            custody_reference, field="custody_reference", what="The custody reference"
        ),
        arrested_at=arrested_at,
        station=station,
        recorded_by=user,
    )
    try:
        with transaction.atomic():
            arrest.save()
    except IntegrityError:
        raise InvalidInput(
            "A case already exists for this custody reference", field="custody_reference"
        ) from None
    rows = _offence_rows(arrest, offences, today)
    bulk_create_with_history(rows, Offence, default_user=user)  # history of each offence
    case = _insert_case(
        person=person, arrest=arrest, version=version, team=team, by=user, deadline=_deadline(rows)
    )
    logger.info("case %s opened", case.pk)
    find_rearrests(case, now=now)
    return case


def _insert_case(
    *,
    person: Person,
    arrest: Arrest,
    version: SchemeVersion,
    team: Team,
    by: User,
    deadline: date | None,
) -> Case:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                case: Case = Case.objects.create(
                    reference=new_reference(),
                    person=person,
                    arrest=arrest,
                    scheme_version=version,
                    team=team,
                    opened_by=by,
                    prosecution_deadline=deadline,
                )
                return case
        except IntegrityError:
            continue  # reference clash (about 1 in 10^12 per attempt); draw another
    raise RuntimeError("Could not allocate a unique case reference.")
