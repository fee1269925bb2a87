"""Every participant-facing text exists in Welsh (issue 18 point 3).

"Participant-facing" is every translatable string in the templates that reach participants and
victims: the messages in ``notifications/templates/notifications/`` that load ``i18n`` (the
reminders, victim updates and the contract copy; staff messages have no translations) and every
document in ``web/templates/documents/`` (contract and letters, standard and easy read). The
strings are read from the templates themselves (Django's ``templatize``, as makemessages does),
so a string added to a template without a Welsh translation fails here, not in the post.

For each: the Welsh catalogue (``locale/cy/LC_MESSAGES/django.po``) has it, translated and not
fuzzy, with the same placeholders, and marked for a Welsh speaker to confirm.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "cy" / "LC_MESSAGES" / "django.po"
NOTE = "Needs confirming by a Welsh speaker"
# The messages sent to participants and victims (the outbox's audiences other than staff).
PARTICIPANT_MESSAGES = {
    "appointment_reminder",
    "victim_contract_signed",
    "victim_outcome",
    "contract_copy",
}
STRING = r"""u(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
CALL = re.compile(rf"\b(n?p?gettext)\(((?:{STRING}\s*,?\s*)+)")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def participant_templates() -> list[Path]:
    messages = sorted((ROOT / "notifications/templates/notifications").glob("*.txt"))
    documents = sorted((ROOT / "web/templates/documents").rglob("*.html"))
    return [
        path
        for path in messages + documents
        if path.stem in PARTICIPANT_MESSAGES or "documents" in path.parts
    ]


def extracted(paths: list[Path] | None = None) -> dict[tuple[str | None, str], list[str]]:
    """(context, msgid) -> where it is used, for every participant-facing string."""
    found: dict[tuple[str | None, str], list[str]] = {}
    for path in participant_templates() if paths is None else paths:
        for function, args in CALL.findall(templatize(path.read_text(), origin=str(path))):
            strings = ast.literal_eval(f"({args.rstrip().rstrip(',')},)")
            context = strings[0] if function.startswith(("pgettext", "npgettext")) else None
            msgid = strings[1] if context is not None else strings[0]
            found.setdefault((context, msgid), []).append(str(path.relative_to(ROOT)))
    return found


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def coverage(
    catalogue_path: Path = CATALOGUE, paths: list[Path] | None = None
) -> tuple[int, int, list[str]]:
    """(translated, total, problems) over the participant-facing strings."""
    catalogue = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(catalogue_path))}
    problems, translated = [], 0
    strings = extracted(paths)
    for key, used_in in strings.items():
        entry = catalogue.get(key)
        where = f"{key[1][:70]!r} ({used_in[0]})"
        if entry is None:
            problems.append(f"not in the catalogue (run makemessages): {where}")
            continue
        if not entry.translated():
            problems.append(f"no Welsh translation (or fuzzy): {where}")
            continue
        translated += 1
        welsh = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
        for text in welsh:
            if placeholders(text) != placeholders(entry.msgid):
                problems.append(
                    f"placeholders differ: {where}: {sorted(placeholders(entry.msgid))} "
                    f"!= {sorted(placeholders(text))}"
                )
        if NOTE not in entry.tcomment:
            problems.append(f"not marked '{NOTE}': {where}")
    return translated, len(strings), problems


def test_the_participant_facing_templates_are_found():
    paths = {p.relative_to(ROOT).as_posix() for p in participant_templates()}
    assert {f"notifications/templates/notifications/{m}.txt" for m in PARTICIPANT_MESSAGES} <= (
        paths
    )
    assert len(extracted()) >= 14


def test_every_participant_facing_string_has_a_welsh_translation_with_its_placeholders():
    translated, total, problems = coverage()
    print(f"Welsh coverage of participant-facing strings: {translated}/{total}")
    assert problems == []
    assert translated == total


def test_the_compiled_catalogue_is_current():
    # scripts/_bootstrap.sh compiles it (manage.py compile_translations); never committed.
    call_command("compile_translations", "--check")


def test_the_check_fails_on_an_untranslated_or_mismatched_string(tmp_path):
    """The test above can fail: a catalogue with a missing placeholder and an empty entry."""
    messages = [p for p in participant_templates() if p.stem in PARTICIPANT_MESSAGES]
    po = polib.pofile(str(CATALOGUE))
    entries = [e for e in po if "%(" in e.msgid and "notifications/" in e.occurrences[0][0]]
    entries[0].msgstr = re.sub(r"%\(\w+\)s", "", entries[0].msgstr)
    entries[1].msgstr = ""
    broken = tmp_path / "django.po"
    po.save(str(broken))
    assert coverage(CATALOGUE, messages)[2] == []
    translated, total, problems = coverage(broken, messages)
    assert translated == total - 1
    assert any(p.startswith("placeholders differ") for p in problems)
    assert any(p.startswith("no Welsh translation") for p in problems)


def test_staff_messages_are_not_translated():
    for path in (ROOT / "notifications/templates/notifications").glob("*.txt"):
        if path.stem not in PARTICIPANT_MESSAGES:
            assert "i18n" not in path.read_text(), f"{path.name} is a staff message: English"


@pytest.mark.django_db
def test_staff_screens_stay_english_whatever_the_browser_asks():
    assert "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE
    response = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="cy")
    assert response.status_code == 200
    assert 'lang="en-GB"' in response.text
    assert translation.get_language() in {"en-gb", None}
