"""Demo teams and accounts, one or more per role. Documented in README.md."""

from __future__ import annotations

from base64 import b32decode
from binascii import hexlify

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from checkpoint import roles
from checkpoint.models import StaffProfile, Team

# Published in README.md on purpose; seed_demo refuses to run with DEBUG off.
DEMO_PASSWORD = "Checkpoint-demo-2026"  # noqa: S105 # nosec B105

# The demo accounts' authenticator-app key (base32, as apps take it), published in README.md
# like the password: demo accounts exist only where seed_demo ran, which refuses DEBUG off.
# A fixed key lets anyone trying the demo add it to an app once, or run `manage.py demo_code`.
DEMO_TOTP_SECRET = "CHECKPOINTDEMOKEYFORDEMOSONLYXYZ"  # noqa: S105 # nosec B105

TEAMS = [
    ("Durham North", "Chester-le-Street, Consett, Stanley"),
    ("Darlington & South", "Darlington, Bishop Auckland, Newton Aycliffe"),
]

# username, first, last, role, team index (None: no team), staff (admin site)
ACCOUNTS = [
    ("decision", "Dana", "Mitchell", roles.DECISION_MAKER, None, False),
    ("navigator", "Nadia", "Khan", roles.NAVIGATOR, 0, False),
    ("navigator2", "Sam", "Okafor", roles.NAVIGATOR, 0, False),
    ("navigator3", "Ellie", "Turner", roles.NAVIGATOR, 1, False),
    ("navigator4", "Gareth", "Lloyd", roles.NAVIGATOR, 1, False),
    ("supervisor", "Priya", "Shah", roles.SUPERVISOR, 0, False),
    ("supervisor2", "Tom", "Hughes", roles.SUPERVISOR, 1, False),
    ("analyst", "Alex", "Reid", roles.ANALYST, None, False),
    ("admin", "Morgan", "Ellis", roles.ADMINISTRATOR, None, True),
    # A second administrator: a change of access one administrator asks for, another approves.
    ("admin2", "Jordan", "Pryce", roles.ADMINISTRATOR, None, True),
]


def demo_totp_key() -> str:
    """The demo key as django-otp stores it (hex)."""
    return hexlify(b32decode(DEMO_TOTP_SECRET)).decode()


def ensure_staff() -> dict[str, object]:
    """Create or reset the demo teams and accounts (idempotent). Returns users by username."""
    groups = roles.sync_roles()
    teams = [
        Team.objects.update_or_create(name=name, defaults={"area": area})[0] for name, area in TEAMS
    ]
    User = get_user_model()
    users: dict[str, object] = {}
    for username, first, last, role, team_index, staff in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": staff,
                "email": f"{username}@checkpoint.example",
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([groups[role]] if role in groups else [Group.objects.get(name=role)])
        team = teams[team_index] if team_index is not None else None
        StaffProfile.objects.update_or_create(user=user, defaults={"team": team})
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(
            user=user, name="Demo authenticator", key=demo_totp_key(), confirmed=True
        )
        users[username] = User.objects.get(pk=user.pk)
    users["_teams"] = teams
    return users
