"""Putting mistakes right without deleting anything (DESIGN.md 1.2: whatever a person can
record, they can correct or withdraw, with a reason, the original kept).

Two ways, by what the record is:

- an entry (community hours, a note) is *replaced*: the correction is a new entry that names
  the one it corrects, and the old one is withdrawn with the reason; or simply *withdrawn*
  (recorded in error). Withdrawn entries are kept and shown struck through; they count for
  nothing (hours, the conditions).
- a detail (contact details and address, a referral's terms, the restorative outcome) is
  *changed in place*: its change history (django-simple-history) keeps every earlier value, with
  who, when and the reason given (``history_change_reason``).

Who may: whoever works the case (``CORRECT_RECORD``) while it is open; once it is closed, a
supervisor only (``CORRECT_CLOSED_RECORD``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from checkpoint.actors import Actor, user_of
from checkpoint.models import (
    Case,
    CaseNote,
    HoursLogEntry,
    PathwayReferral,
    Person,
    ReferralStatus,
    RestorativeOutcome,
    VictimCondition,
)
from checkpoint.permissions import Permission
from checkpoint.text import long_date
from notifications import outbox
from notifications.models import Channel

from .common import require_text, resolve_now, today_of
from .errors import InvalidInput, RecordNotFound, TransitionBlocked
from .locking import authorise, lock_case
from .supervision import check_hours_entry, check_restorative_outcome

# Royal Mail's format, loosely: outward code, a space (optional), inward code.
UK_POSTCODE = re.compile(r"^(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})$")
REASON_MESSAGE = "Enter why it is being corrected"


def _lock_for_correction(case_id: int | None, by: Actor, *related: str) -> Case:
    case = lock_case(case_id, by=by, needs=Permission.CORRECT_RECORD, related=related)
    if case.is_terminal:
        authorise(by, Permission.CORRECT_CLOSED_RECORD, case=case)
    return case


def _reason(reason: str) -> str:
    return require_text(reason, field="reason", message=REASON_MESSAGE)


def normalise_postcode(value: str) -> str:
    """A UK postcode as printed on a letter (upper case, one space before the inward code),
    or "" for none; ``InvalidInput`` when it is not one."""
    compact = "".join(value.split()).upper()
    if not compact:
        return ""
    printed = f"{compact[:-3]} {compact[-3:]}"
    if not UK_POSTCODE.match(printed):
        raise InvalidInput("Enter a real postcode, like DH1 5AB", field="postcode")
    return printed


@transaction.atomic
def person_contact_update(
    *,
    case_id: int,
    by: Actor,
    mobile: str,
    email: str,
    address_line_1: str = "",
    address_line_2: str = "",
    town: str = "",
    county: str = "",
    postcode: str = "",
    no_fixed_abode: bool = False,
    preferred_language: str | None = None,
    needs_interpreter: bool | None = None,
    interpreter_language: str = "",
    needs_easy_read: bool | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Person:
    """Change the participant's contact details, postal address and, when given (not None),
    how to write to them (its history keeps the old ones). Removing the mobile or email stops
    the reminders sent there, at once."""
    now = resolve_now(now)
    case = lock_case(case_id, by=by, needs=Permission.UPDATE_CONTACT_DETAILS)
    person = Person.objects.select_for_update().get(pk=case.person_id)
    address = postal_address_fields(
        address_line_1, address_line_2, town, postcode, no_fixed_abode, county=county
    )
    person.mobile, person.email = mobile.strip(), email.strip()
    for name, value in address.items():
        setattr(person, name, value)
    if preferred_language is not None:
        person.preferred_language = preferred_language
    if needs_interpreter is not None:
        for name, value in communication_needs_fields(
            needs_interpreter, interpreter_language
        ).items():
            setattr(person, name, value)
    if needs_easy_read is not None:
        person.needs_easy_read = needs_easy_read
    stopped = _stop_reminders_without_contact(person)
    _validate(person)
    person._change_reason = reason.strip()[:100] or "Contact details updated"  # type: ignore[attr-defined]  # simple-history reads it
    person.save()
    if stopped:
        outbox.cancel_participant_messages(person.pk, stopped)
    return person


def postal_address_fields(
    line_1: str, line_2: str, town: str, postcode: str, nfa: bool, *, county: str = ""
) -> dict[str, Any]:
    """A UK postal address checked and tidied (the postcode normalised), or no fixed abode:
    the Person fields to set. ``InvalidInput`` names the field at fault."""
    fields = {
        "address_line_1": line_1.strip(),
        "address_line_2": line_2.strip(),
        "town": town.strip(),
        "county": county.strip(),
        "postcode": normalise_postcode(postcode),
        "no_fixed_abode": nfa,
    }
    filled = ("address_line_1", "address_line_2", "town", "county", "postcode")
    if nfa and any(fields[name] for name in filled):
        raise InvalidInput(
            "Either enter the address or choose no fixed abode, not both", field="address_line_1"
        )
    if not nfa and (fields["address_line_1"] or fields["postcode"]):
        if not fields["address_line_1"]:
            raise InvalidInput("Enter the first line of the address", field="address_line_1")
        if not fields["postcode"]:
            raise InvalidInput("Enter the postcode", field="postcode")
    return fields


def communication_needs_fields(
    needs_interpreter: bool, interpreter_language: str
) -> dict[str, Any]:
    """Whether an interpreter is needed and in which language (required when one is)."""
    language = interpreter_language.strip()
    if needs_interpreter and not language:
        raise InvalidInput(
            "Enter the language the interpreter must speak", field="interpreter_language"
        )
    return {
        "needs_interpreter": needs_interpreter,
        "interpreter_language": language if needs_interpreter else "",
    }


def _stop_reminders_without_contact(person: Person) -> list[str]:
    stopped: list[str] = []
    if person.sms_reminders and not person.mobile:
        person.sms_reminders = False
        stopped.append(Channel.SMS)
    if person.email_reminders and not person.email:
        person.email_reminders = False
        stopped.append(Channel.EMAIL)
    return stopped


def _validate(person: Person) -> None:
    try:
        person.full_clean()
    except ValidationError as err:
        field, messages = next(iter(err.message_dict.items()))
        raise InvalidInput(messages[0], field=field) from None


# --- entries: corrected by a new entry, or withdrawn -----------------------------------------
def _entry_of(model: type[HoursLogEntry] | type[CaseNote], pk: int, case: Case) -> Any:
    lookup = "community_condition__contract__case" if model is HoursLogEntry else "case"
    entry = model.objects.filter(pk=pk, **{lookup: case}).first()
    if entry is None:
        raise RecordNotFound("Entry")
    if entry.withdrawn_at is not None:
        raise TransitionBlocked(
            f"This entry was already withdrawn on {long_date(today_of(entry.withdrawn_at))}."
        )
    return entry


def _withdraw(entry: HoursLogEntry | CaseNote, *, by: Actor, at: datetime, reason: str) -> None:
    entry.withdrawn_at, entry.withdrawn_by, entry.withdrawal_reason = at, user_of(by), reason
    entry.save()


def _case_of_hours(entry_id: int) -> int | None:
    return (
        HoursLogEntry.objects.filter(pk=entry_id)
        .values_list("community_condition__contract__case_id", flat=True)
        .first()
    )


@transaction.atomic
def hours_withdraw(
    *, entry_id: int, by: Actor, reason: str, now: datetime | None = None
) -> HoursLogEntry:
    """Withdraw an hours entry recorded in error: kept, struck through, no longer counted."""
    now = resolve_now(now)
    case = _lock_for_correction(_case_of_hours(entry_id), by)
    entry = _entry_of(HoursLogEntry, entry_id, case)
    _withdraw(entry, by=by, at=now, reason=_reason(reason))
    return entry  # type: ignore[no-any-return]


@transaction.atomic
def hours_correct(
    *,
    entry_id: int,
    by: Actor,
    reason: str,
    worked_on: date,
    hours: Decimal,
    activity: str,
    placement: str = "",
    now: datetime | None = None,
) -> HoursLogEntry:
    """Replace an hours entry by a corrected one (the old one is withdrawn with the reason).
    The correction keeps the original's verification: a navigator corrects what was checked."""
    now = resolve_now(now)
    case = _lock_for_correction(_case_of_hours(entry_id), by, "contract")
    old = _entry_of(HoursLogEntry, entry_id, case)
    reason = _reason(reason)
    check_hours_entry(case.contract, worked_on, hours, today=today_of(now))
    _withdraw(old, by=by, at=now, reason=reason)
    return HoursLogEntry.objects.create(
        community_condition=old.community_condition,
        worked_on=worked_on,
        hours=hours,
        activity=require_text(activity, field="activity", message="Enter the work done"),
        placement=placement.strip(),
        reported_by=user_of(by),
        verified_by=user_of(by) if old.verified_at else None,
        verified_at=now if old.verified_at else None,
        verifier_name=old.verifier_name,
        corrects=old,
    )


def _case_of_note(note_id: int) -> int | None:
    return CaseNote.objects.filter(pk=note_id).values_list("case_id", flat=True).first()


@transaction.atomic
def note_withdraw(*, note_id: int, by: Actor, reason: str, now: datetime | None = None) -> CaseNote:
    """Withdraw a note written in error (on the wrong case, say): kept, struck through."""
    now = resolve_now(now)
    case = _lock_for_correction(_case_of_note(note_id), by)
    note = _entry_of(CaseNote, note_id, case)
    _withdraw(note, by=by, at=now, reason=_reason(reason))
    return note  # type: ignore[no-any-return]


@transaction.atomic
def note_correct(
    *, note_id: int, by: Actor, text: str, reason: str, now: datetime | None = None
) -> CaseNote:
    """Replace a note by a corrected one; the original is withdrawn with the reason."""
    now = resolve_now(now)
    case = _lock_for_correction(_case_of_note(note_id), by)
    old = _entry_of(CaseNote, note_id, case)
    reason = _reason(reason)
    text = require_text(text, field="text", message="Enter the note")
    _withdraw(old, by=by, at=now, reason=reason)
    return CaseNote.objects.create(case=case, author=user_of(by), text=text, corrects=old)


# --- details changed in place, their history keeping the old values --------------------------
def _referral(referral_id: int, by: Actor) -> tuple[Case, PathwayReferral]:
    case_id = (
        PathwayReferral.objects.filter(pk=referral_id)
        .values_list("contract__case_id", flat=True)
        .first()
    )
    case = _lock_for_correction(case_id, by)
    referral = PathwayReferral.objects.get(pk=referral_id)
    if referral.status == ReferralStatus.WITHDRAWN:
        raise TransitionBlocked("This referral was withdrawn.")
    return case, referral


@transaction.atomic
def referral_correct(
    *,
    referral_id: int,
    by: Actor,
    reason: str,
    what: str,
    frequency: str,
    required_sessions: int,
) -> PathwayReferral:
    """Correct a referral's terms (what, how often, the sessions required)."""
    _case, referral = _referral(referral_id, by)
    referral.what = require_text(what, field="what", message="Enter what the participant will do")
    referral.frequency = require_text(frequency, field="frequency", message="Enter how often")
    if not 1 <= required_sessions <= 100:
        raise InvalidInput("Required sessions must be between 1 and 100", field="required_sessions")
    referral.required_sessions = required_sessions
    referral._change_reason = _reason(reason)[:100]  # type: ignore[attr-defined]  # simple-history reads it
    referral.save()
    return referral


@transaction.atomic
def referral_withdraw(*, referral_id: int, by: Actor, reason: str) -> PathwayReferral:
    """Withdraw a referral made in error: kept, marked withdrawn, no longer a condition."""
    _case, referral = _referral(referral_id, by)
    referral.status, referral.status_reason = ReferralStatus.WITHDRAWN, _reason(reason)
    referral._change_reason = referral.status_reason[:100]  # type: ignore[attr-defined]
    referral.save()
    return referral


@transaction.atomic
def restorative_outcome_correct(
    *,
    case_id: int,
    by: Actor,
    outcome: str,
    recorded_on: date,
    reason: str,
    notes: str = "",
    now: datetime | None = None,
) -> VictimCondition:
    """Correct the recorded outcome of the restorative approach (the history keeps the one it
    replaces, with the reason)."""
    now = resolve_now(now)
    case = _lock_for_correction(case_id, by, "contract__victim_condition")
    condition: VictimCondition | None = getattr(case.contract, "victim_condition", None)
    if condition is None or condition.outcome == RestorativeOutcome.PENDING:
        raise TransitionBlocked("There is no restorative outcome recorded to correct.")
    check_restorative_outcome(case.contract, outcome, recorded_on, today=today_of(now))
    condition.outcome, condition.outcome_recorded_on = outcome, recorded_on
    condition.outcome_notes = notes.strip()
    condition._change_reason = _reason(reason)[:100]  # type: ignore[attr-defined]
    condition.save()
    return condition
