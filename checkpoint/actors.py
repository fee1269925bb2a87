"""Who acts: every write to the case domain names its actor, and no write has none.

An actor is one of three kinds:

- a member of staff: a signed-in Django user (their role and team decide what they may do);
- ``SYSTEM``: the scheduled work (the compliance sweep, the deadline watch, the digest, the
  retention review), named as such in the history ("Scheduled check");
- a ``Participant``: the person on the scheme acting for themselves (opting out of reminders,
  reporting their own hours), limited to their own case.

``checkpoint.permissions`` decides what each kind may do. Storage keeps the existing shape:
history rows hold the staff user, or NULL for the system or the participant, whose kind the
row's own meaning records (a transition by NULL is the scheduled check; hours reported by
NULL are self-reported).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class SystemActor:
    """The scheduled work. There is one: ``SYSTEM``."""

    label: str = "Scheduled check"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Participant:
    """The person on the scheme, acting on their own record (``person_id``)."""

    person_id: int

    def __str__(self) -> str:
        return "The participant"


SYSTEM: Final = SystemActor()

# A member of staff is a ``User``: AUTH_USER_MODEL is Django's own (config/settings.py sets
# no other), the type django-stubs gives every foreign key to a user.
Actor: TypeAlias = "User | SystemActor | Participant"


def is_staff_user(actor: object) -> bool:
    """True for a member of staff (a user), False for the system or a participant."""
    return not isinstance(actor, SystemActor | Participant) and hasattr(actor, "has_perm")


def staff_user(actor: Actor) -> User | None:
    """The user to store as who did something, or None for the system or the participant."""
    if isinstance(actor, SystemActor | Participant):
        return None
    return actor


def user_of(actor: Actor) -> User:
    """The member of staff who acts, where only staff may (the permission check has refused
    the system and participants before this is reached)."""
    user = staff_user(actor)
    if user is None:
        raise TypeError(f"{actor} cannot do this: only a member of staff can.")
    return user


def require_actor(actor: object) -> None:
    """Refuse a missing actor: ``None`` once meant both the system and the participant."""
    if actor is None:
        raise TypeError(
            "Every write names its actor: a user, checkpoint.actors.SYSTEM or "
            "checkpoint.actors.Participant(person_id); never None."
        )
    if not (isinstance(actor, SystemActor | Participant) or is_staff_user(actor)):
        raise TypeError(f"Not an actor: {actor!r}")
