"""Two navigators editing the same case at the same moment, through the real HTTP stack.

The case's navigator and a colleague it is shared with (CaseShare: cover during leave) each
have a real HTTP session against the live server. Both open the same form, fill it in, and
submit at the same instant (threads released by a barrier). Each request runs in its own
server thread with its own database connection; the services lock the case row (PostgreSQL:
``SELECT ... FOR UPDATE``; SQLite: the IMMEDIATE transaction) so the two are serialised.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from checkpoint import dates, roles, services
from checkpoint.models import Appointment, Case, CaseNote, CaseShare, ComplianceEvent
from tests import factories

from .web import fields, open_form, run_together, signed_in, submit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUNDS = 3  # each round is a fresh race; over a few rounds either person may win


def named(user, first: str, last: str):
    user.first_name, user.last_name = first, last
    user.save()
    return user


@pytest.fixture
def owner(navigator):
    return named(navigator, "Nadia", "Owner")


@pytest.fixture
def cover(team, supervisor):
    return named(
        factories.make_user(roles.NAVIGATOR, team=team, username="cover"), "Colin", "Cover"
    )


@pytest.fixture
def case(dm, team, owner, cover, supervisor):
    """An active case started three days ago (the views use the real clock), shared with the
    covering navigator."""
    start = timezone.now() - timedelta(days=3)
    committed_on = dates.local_date(start) - timedelta(days=10)
    case = factories.active_case(
        dm=dm,
        team=team,
        navigator=owner,
        now=start,
        offences=[factories.offence(committed_on=committed_on)],
    )
    CaseShare.objects.create(case=case, user=cover, shared_by=supervisor, reason="Annual leave")
    return case


def past_appointment(case, owner) -> Appointment:
    start = timezone.now() - timedelta(days=2)
    return services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=owner,
        kind="navigator",
        starts_at=timezone.now() - timedelta(hours=3),
        now=start,
    )


def test_two_outcomes_for_one_appointment_one_is_saved_the_other_is_told(
    live_server, case, owner, cover
):
    """Proves: when both navigators record a different outcome of the same appointment at once,
    exactly one outcome is saved (and only its consequences: the compliance event of an
    unacceptable absence exists only if that outcome won); the other gets the form back, not
    a 500, with an error naming the outcome saved, who saved it and when, and with every value
    they typed still in the fields, so nothing they wrote is lost."""
    people = {
        "owner": (owner, "attended", "Came on time; talked about housing"),
        "cover": (cover, "unacceptable_absence", "Did not come; phoned twice, no answer"),
    }
    sessions = {name: signed_in(live_server.url, user) for name, (user, *_) in people.items()}
    winners = set()
    for _ in range(ROUNDS):
        appointment = past_appointment(case, owner)
        path = reverse("navigators:appointment-outcome", args=[case.reference, appointment.pk])
        hidden = {name: open_form(session, path) for name, session in sessions.items()}

        def post(name, path=path, hidden=hidden):
            _user, outcome, notes = people[name]
            return submit(
                sessions[name], path, {**hidden[name], "outcome": outcome, "notes": notes}
            )

        results = run_together({name: (lambda n=name: post(n)) for name in people})

        statuses = {name: r.value.status_code for name, r in results.items()}
        assert sorted(statuses.values()) == [200, 302], statuses
        winner = next(name for name, status in statuses.items() if status == 302)
        loser = next(name for name in people if name != winner)
        winners.add(winner)
        saved = Appointment.objects.get(pk=appointment.pk)
        win_user, win_outcome, win_notes = people[winner]
        assert (saved.outcome, saved.outcome_notes) == (win_outcome, win_notes)
        assert saved.outcome_recorded_by_id == win_user.pk
        absences = ComplianceEvent.objects.filter(dedupe_key=f"absence:appointment:{saved.pk}")
        assert absences.count() == (win_outcome == "unacceptable_absence")

        body = results[loser].value.text
        assert "<title>Error: " in body
        assert "govuk-error-summary" in body
        assert (
            "This appointment&#x27;s outcome has already been recorded: "
            f"&#x27;{saved.get_outcome_display()}&#x27;, by {win_user.get_full_name()} at "
            f"{timezone.localtime(saved.outcome_recorded_at):%H:%M}."
        ) in body
        typed = fields(body)
        _user, lose_outcome, lose_notes = people[loser]
        assert typed.checked.get("outcome") == lose_outcome
        assert typed.textareas["notes"].strip() == lose_notes

    # Not a requirement (the race decides), only a note if the rounds all went one way.
    assert winners <= {"owner", "cover"}


def test_two_notes_at_the_same_moment_are_both_kept(live_server, case, owner, cover):
    """Proves: notes can coexist, so two notes submitted at the same instant are both saved
    (each request is redirected to the case with 'Note added') and neither overwrites the
    other; the case page then lists both."""
    texts = {"owner": "Phoned about the hostel place", "cover": "Dropped off the travel warrant"}
    users = {"owner": owner, "cover": cover}
    sessions = {name: signed_in(live_server.url, user) for name, user in users.items()}
    path = reverse("navigators:note-new", args=[case.reference])
    hidden = {name: open_form(session, path) for name, session in sessions.items()}

    results = run_together(
        {
            name: (lambda n=name: submit(sessions[n], path, {**hidden[n], "text": texts[n]}))
            for name in users
        }
    )

    assert {name: r.value.status_code for name, r in results.items()} == {
        "owner": 302,
        "cover": 302,
    }
    notes = dict(CaseNote.objects.filter(case=case).values_list("author__username", "text"))
    assert notes == {owner.username: texts["owner"], cover.username: texts["cover"]}
    owner_session = sessions["owner"]
    page = owner_session.get(
        owner_session.base_url + reverse("navigators:case", args=[case.reference])
    )
    assert texts["owner"] in page.text and texts["cover"] in page.text


def test_a_stale_form_is_refused_naming_the_change_and_the_resubmission_is_kept(
    live_server, case, owner, cover
):
    """Proves the optimistic lock through HTTP for forms that carry the case version: the owner
    refers the case for a breach review while the covering navigator, on a form opened before,
    records a withdrawal. Whichever is second is refused with the change that beat it (the
    state change, by whom, at what time) and its typed reason kept; the form now carries the
    current version, so resubmitting it applies to the case as it now is."""
    sessions = {
        "owner": signed_in(live_server.url, owner),
        "cover": signed_in(live_server.url, cover),
    }
    refer = reverse("navigators:breach-refer", args=[case.reference])
    withdraw = reverse("navigators:withdraw", args=[case.reference])
    hidden_refer = open_form(sessions["owner"], refer)
    hidden_withdraw = open_form(sessions["cover"], withdraw)
    refer_data = {**hidden_refer, "recommendation": "Two missed appointments in a row"}
    withdraw_data = {**hidden_withdraw, "reason": "Participant withdrew consent by letter"}

    results = run_together(
        {
            "owner": lambda: submit(sessions["owner"], refer, refer_data),
            "cover": lambda: submit(sessions["cover"], withdraw, withdraw_data),
        }
    )

    statuses = {name: r.value.status_code for name, r in results.items()}
    assert sorted(statuses.values()) == [200, 302], statuses
    loser = next(name for name, status in statuses.items() if status == 200)
    body = results[loser].value.text
    assert "This case changed since you opened this page: Active → " in body
    winner_user = cover if loser == "owner" else owner
    assert f"({escape(winner_user.get_full_name())}, " in body
    typed = fields(body)
    if loser == "owner":
        assert typed.textareas["recommendation"].strip() == refer_data["recommendation"]
    else:
        assert typed.textareas["reason"].strip() == withdraw_data["reason"]
    # The returned form carries the version the case is at now: a resubmission is judged on
    # the case as it is (here refused or accepted by the rules, never by a stale version).
    assert int(typed.values["lock_version"]) == Case.objects.get(pk=case.pk).lock_version
    path, data = (refer, refer_data) if loser == "owner" else (withdraw, withdraw_data)
    again = submit(sessions[loser], path, {**data, **typed.values})
    assert again.status_code in {200, 302}
    assert "changed since you opened" not in again.text
