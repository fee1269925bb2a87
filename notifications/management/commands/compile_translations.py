"""Compile the translation catalogues (``locale/*/LC_MESSAGES/*.po``) to the ``.mo`` files
Django reads, in Python (polib): no GNU gettext needed, so the set-up scripts run it on any
machine and the ``.mo`` files are never committed (.gitignore). Run by scripts/_bootstrap.sh.

``--check`` compiles nothing and fails if a ``.mo`` is missing or differs from its ``.po``.
Fuzzy and untranslated entries are left out, so they fall back to English.

After changing a participant-facing template, extract its strings into the catalogue (this
needs GNU gettext, Debian's ``gettext``, on the developer's machine only), write the Welsh with
the comment "Needs confirming by a Welsh speaker", then compile::

    python manage.py makemessages -l cy -e txt,html,py --no-wrap --ignore='node_modules/*' \
        --ignore='build/*' --ignore='tests/*' --ignore='bench/*' --ignore='docs/*'
    python manage.py compile_translations

``tests/notifications/test_translations.py`` fails while a participant-facing string has no
Welsh translation or its placeholders differ.
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogues() -> list[Path]:
    return sorted(
        po for folder in settings.LOCALE_PATHS for po in Path(folder).glob("*/LC_MESSAGES/*.po")
    )


def compiled(po: Path) -> bytes:
    return polib.pofile(str(po)).to_binary()


class Command(BaseCommand):
    help = "Compile locale/*.po to .mo (Python, no gettext needed); --check to verify only."
    requires_system_checks: list[str] = []  # set-up step: needs no database or URLs

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Fail if a .mo is missing or out of date."
        )

    def handle(self, *args, check=False, **options):
        stale = []
        for po in catalogues():
            mo = po.with_suffix(".mo")
            binary = compiled(po)
            if mo.exists() and mo.read_bytes() == binary:
                continue
            if check:
                stale.append(str(mo))
                continue
            mo.write_bytes(binary)
            self.stdout.write(f"Compiled {po}")
        if stale:
            raise CommandError(
                "Out of date (run manage.py compile_translations): " + ", ".join(stale)
            )
