"""Message bodies are plain text (issue 18 point 5): names with apostrophes, accents, ampersands
and angle brackets arrive as typed, by SMS and email, in English and Welsh. Before, bodies were
rendered as HTML and "Mr Dáithí O'Shea" arrived as "Mr Dáithí O&#x27;Shea".

The fake GOV.UK Notify gateway records what would be sent (``FakeDelivery``); delivery is
driven with an explicit ``now``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from checkpoint import services
from checkpoint.models import Language, RestorativePreference
from checkpoint.services.reminders import reminders_set
from checkpoint.services.victims import notify_victims
from notifications import outbox
from notifications.models import FakeDelivery
from notifications.rendering import render
from tests import factories

pytestmark = pytest.mark.django_db

NOW = factories.NOW
NAMES = ["Mr Dáithí O'Shea", "Ní Bhriain & <Sons>"]
PLACE = "Tŷ'r Cwm & <Annex>"
ESCAPES = ["&#x27;", "&#39;", "&amp;", "&lt;", "&gt;", "&quot;"]
CONTEXTS = {
    "appointment_reminder": {
        "given_name": NAMES[0],
        "when": "2026-03-05T10:00:00+00:00",
        "location": PLACE,
        "phone": "0191 375 2000",
    },
    "victim_contract_signed": {
        "name": NAMES[1],
        "reference": "CP-2026-0001",
        "ends_on": "2026-07-01",
        "phone": "0191 375 2000",
    },
    "victim_outcome": {
        "name": NAMES[0],
        "reference": "CP-2026-0001",
        "outcome": "exited_no_conviction",
        "phone": "0191 375 2000",
    },
    "contract_copy": {
        "given_name": NAMES[1],
        "signed_on": "2026-03-02T10:00:00+00:00",
        "available_until": "2026-08-31T10:00:00+00:00",
        "phone": "0191 375 2000",
    },
}


@pytest.fixture(autouse=True)
def no_real_notify(settings):
    settings.NOTIFY_API_KEY = ""


def assert_plain(text: str, *expected: str) -> None:
    for value in expected:
        assert value in text
    for escape in ESCAPES:
        assert escape not in text, f"HTML escape {escape!r} in a plain-text message: {text!r}"


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("template", sorted(CONTEXTS))
def test_every_participant_and_victim_template_renders_plain_text(template, language):
    context = CONTEXTS[template]
    subject, body = render(template, context, language=language)
    names = [v for k, v in context.items() if k in {"given_name", "name", "location"}]
    assert_plain(body, *names)
    assert_plain(subject)


def test_the_welsh_text_is_welsh_and_the_english_english():
    _, english = render("victim_outcome", CONTEXTS["victim_outcome"], language="en")
    _, welsh = render("victim_outcome", CONTEXTS["victim_outcome"], language="cy")
    assert english.startswith("Hello Mr Dáithí O'Shea, the Checkpoint contract was completed")
    assert welsh.startswith("Helo Mr Dáithí O'Shea, cafodd y contract Checkpoint ei gwblhau")
    # Dates in Welsh come from Django's own Welsh catalogue (month and day names).
    _, body = render("appointment_reminder", CONTEXTS["appointment_reminder"], language="cy")
    assert "apwyntiad: Dydd Iau 5 Mawrth am 10:00, Tŷ'r Cwm & <Annex>" in body


def test_staff_messages_stay_english_and_plain():
    subject, body = render(
        "rearrest_alert",
        {"reference": "CP-1", "kind": "Name & <date>", "url": "http://x/?a=1&b=2"},
        language="cy",
    )
    assert subject == "Possible re-arrest of a participant: CP-1"
    assert_plain(body, "(name & <date>)", "http://x/?a=1&b=2")


@pytest.mark.parametrize("language", [Language.ENGLISH, Language.WELSH])
@pytest.mark.parametrize("channel", ["sms", "email"])
def test_victim_updates_arrive_as_typed(dm, team, navigator, channel, language):
    case = factories.active_case(dm=dm, team=team, navigator=navigator)
    for number, name in enumerate(NAMES):
        contact = (
            {"mobile": f"07700 90098{number}"}
            if channel == "sms"
            else {"email": f"victim{number}@example.org"}
        )
        services.victim_wishes_record(
            case_id=case.pk,
            by=navigator,
            name=name,
            restorative_preference=RestorativePreference.LETTER,
            keep_informed=True,
            preferred_language=language,
            **contact,
        )
    assert notify_victims(case, event="outcome", now=NOW, outcome="exited_no_conviction") == 2

    outbox.deliver_due(now=NOW + timedelta(seconds=1))

    hello = "Helo" if language == Language.WELSH else "Hello"
    bodies = sorted(FakeDelivery.objects.filter(channel=channel).values_list("body", flat=True))
    assert len(bodies) == 2
    for name, body in zip(sorted(NAMES), bodies, strict=True):
        assert_plain(body, f"{hello} {name},")


@pytest.mark.parametrize("language", [Language.ENGLISH, Language.WELSH])
@pytest.mark.parametrize("channel", ["sms", "email"])
def test_participant_reminders_arrive_as_typed(dm, team, navigator, channel, language):
    person = factories.PersonFactory(
        given_name=NAMES[0],
        mobile="07700 900982",
        email="daithi@example.org",
        preferred_language=language,
    )
    case = factories.active_case(dm=dm, team=team, navigator=navigator, person=person)
    reminders_set(
        case_id=case.pk, by=navigator, sms=channel == "sms", email=channel == "email", now=NOW
    )
    appointment = services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=NOW + timedelta(days=3),
        location=PLACE,
        now=NOW,
    )

    outbox.deliver_due(now=appointment.starts_at - timedelta(hours=47))

    delivery = FakeDelivery.objects.get()
    assert delivery.channel == channel
    hello = "Helo" if language == Language.WELSH else "Hello"
    assert_plain(delivery.body, f"{hello} {NAMES[0]},", PLACE)


def test_a_participant_who_changes_language_gets_the_next_message_in_the_new_one(
    dm, team, navigator
):
    person = factories.PersonFactory(given_name="Sam", mobile="07700 900982")
    case = factories.active_case(dm=dm, team=team, navigator=navigator, person=person)
    reminders_set(case_id=case.pk, by=navigator, sms=True, email=False, now=NOW)
    appointment = services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=NOW + timedelta(days=3),
        location="Aykley Heads",
        now=NOW,
    )
    type(person).objects.filter(pk=person.pk).update(preferred_language=Language.WELSH)

    outbox.deliver_due(now=appointment.starts_at - timedelta(hours=47))

    assert FakeDelivery.objects.get().body.startswith("Helo Sam,")


def test_the_victims_language_is_recorded_with_their_wishes(client, dm, team, navigator):
    case = factories.active_case(dm=dm, team=team, navigator=navigator)
    client.force_login(navigator)
    url = reverse("navigators:victim-wishes", args=[case.reference])
    assert "Language for the victim&#x27;s updates" in client.get(url).text
    base = {"restorative_preference": "letter", "keep_informed": "on"}

    client.post(
        url, {**base, "name": NAMES[0], "mobile": "07700 900981", "preferred_language": "cy"}
    )
    client.post(url, {**base, "name": NAMES[1], "mobile": "07700 900982"})  # not asked: English

    assert list(case.victims.order_by("pk").values_list("preferred_language", flat=True)) == [
        "cy",
        "en",
    ]
