"""Retention (issue 7 point 4): closed cases are listed after the configured period and, on an
administrator's confirmation, their personal data is erased everywhere, history included,
with an audit row that holds no personal data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings

from checkpoint import services
from checkpoint.actors import SYSTEM
from checkpoint.dates import local_date
from checkpoint.models import (
    AccessLog,
    Case,
    CaseState,
    ErasureRecord,
    Person,
    RetentionReview,
    ReviewStatus,
)
from checkpoint.services import consultation_record
from checkpoint.services.retention import reference_hash, retention_erase, retention_review
from tests import factories

URL = "/audit/retention/"


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "x" * 20)


@pytest.fixture
def ineligible(dm, team, navigator, now):
    """An ineligible case (closed at ``now``) with a note and a consultation logged."""
    case = factories.open_case(dm=dm, team=team, now=now)
    facts = {**factories.GOOD_FACTS, "evidential_test_met": False}
    services.assessment_record(case_id=case.pk, by=dm, now=now, **facts)
    services.assessment_decide(case_id=case.pk, by=dm, eligible=False, now=now, reason="No")
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.INELIGIBLE and case.closed_at
    consultation_record(by=dm, case=case, page="navigators:case", path=f"/cases/{case.reference}/")
    return case


def _later(now, years: int) -> date:
    return (now + timedelta(days=365 * years + 2)).date()


@override_settings(RETENTION_NO_CONVICTION_YEARS=3)
def test_the_review_lists_cases_after_the_period_once(ineligible, now):
    assert retention_review(by=SYSTEM, today=_later(now, 2)) == 0
    assert retention_review(by=SYSTEM, today=_later(now, 3)) == 1
    assert retention_review(by=SYSTEM, today=_later(now, 3)) == 0  # idempotent
    review = RetentionReview.objects.get()
    assert (review.case, review.status) == (ineligible, ReviewStatus.PENDING)


def test_the_command_lists_due_cases(ineligible, now, capsys):
    moment = (now + timedelta(days=365 * 4)).isoformat()
    call_command("review_retention", "--now", moment)
    assert "1 cases newly listed" in capsys.readouterr().out
    assert RetentionReview.objects.count() == 1


def test_erasure_removes_personal_data_everywhere_and_keeps_the_facts(ineligible, admin, now):
    person = ineligible.person
    old_reference, old_name = ineligible.reference, person.family_name
    retention_review(by=SYSTEM, today=_later(now, 4))
    [record] = retention_erase(case_ids=[ineligible.pk], by=admin)

    person = Person.objects.get(pk=person.pk)
    assert (person.given_name, person.family_name) == ("[erased]", "[erased]")
    assert person.date_of_birth == date(person.date_of_birth.year, 1, 1)
    assert person.sex and person.ethnicity  # equality fields stay for the reports
    assert all(h.family_name == "[erased]" for h in Person.history.filter(id=person.pk))
    case = Case.objects.get(pk=ineligible.pk)
    assert case.reference == f"ERASED-{case.pk}" and case.state == CaseState.INELIGIBLE
    assert not Case.history.filter(id=case.pk, reference=old_reference).exists()
    assert AccessLog.objects.get(case=case).path == "/cases/[erased]/"
    # The audit row: no name, no reference, only a keyed hash of it.
    assert record.reference_hash == reference_hash(old_reference)
    assert (record.case_id_erased, record.by, record.action) == (case.pk, admin, "minimised")
    stored = " ".join(str(v) for v in ErasureRecord.objects.values().get().values())
    assert old_reference not in stored and old_name not in stored
    assert RetentionReview.objects.get().status == ReviewStatus.MINIMISED


def test_only_administrators_can_erase(ineligible, supervisor, now):
    retention_review(by=SYSTEM, today=_later(now, 4))
    with pytest.raises(services.NotPermitted):
        retention_erase(case_ids=[ineligible.pk], by=supervisor)
    assert not ErasureRecord.objects.exists()


def test_the_screen_needs_confirmation_then_erases(client, admin, ineligible, now):
    retention_review(by=SYSTEM, today=_later(now, 4))
    client.force_login(admin)
    page = client.get(URL).content.decode()
    assert ineligible.reference in page and "Erase personal data" in page
    refused = client.post(URL, {"cases": [str(ineligible.pk)]}).content.decode()
    assert "Confirm that the personal data is to be erased" in refused
    assert not ErasureRecord.objects.exists()
    done = client.post(URL, {"cases": [str(ineligible.pk)], "confirm": "on"})
    assert done.status_code == 302
    assert ErasureRecord.objects.count() == 1
    assert "No case is awaiting review" in client.get(URL).content.decode()


def test_the_screen_is_refused_to_staff_who_are_not_administrators(client, supervisor):
    client.force_login(supervisor)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"confirm": "on"}).status_code == 403


@pytest.mark.postgres
def test_erasure_passes_the_append_only_triggers_and_closes_them_again(ineligible, admin, now):
    retention_review(by=SYSTEM, today=_later(now, 4))
    retention_erase(case_ids=[ineligible.pk], by=admin)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(current_setting('checkpoint.audit_override', true), '')")
        assert cursor.fetchone()[0] == ""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AccessLog.objects.filter(case=ineligible).update(page="edited")


# -- A whole journey erased ---------------------------------------------------------------------

GIVEN, FAMILY = "Zebedee", "Quaglino-Fairweather"
DOB = date(1991, 7, 23)
MOBILE, EMAIL = "07700900982", "zebedee.quaglino@example.org"
ADDRESS, POSTCODE = "14 Larkspur Terrace, Ferryhill", "DL17 8QQ"


@pytest.fixture
def exited(dm, team, navigator, supervisor):
    """A case driven through every stage to exited_no_conviction: contract, appointments with
    reminders (some delivered), hours, notes, transitions, consultations logged."""
    from django.utils import timezone

    from notifications import outbox

    person = factories.PersonFactory(
        given_name=GIVEN,
        family_name=FAMILY,
        date_of_birth=DOB,
        mobile=MOBILE,
        email=EMAIL,
        address_line_1=ADDRESS,
        town="Ferryhill",
        postcode=POSTCODE,
    )
    start = timezone.now() - timedelta(days=125)
    offences = [factories.offence(committed_on=local_date(start) - timedelta(days=10))]
    case = factories.accepted_case(
        dm=dm, team=team, navigator=navigator, now=start, person=person, offences=offences
    )
    services.reminders_set(case_id=case.pk, by=navigator, sms=True, email=True, now=start)
    factories.build_contract(case, navigator=navigator, now=start)
    services.contract_sign(case_id=case.pk, by=navigator, starts_on=local_date(start), now=start)
    services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=start + timedelta(days=2),
        location=f"Hub, {ADDRESS}",
        now=start,
    )
    # An hour before the appointment: its reminders go through the fake gateway.
    outbox.deliver_due(now=start + timedelta(days=2, hours=-1))
    services.note_add(case_id=case.pk, by=navigator, text=f"Met {GIVEN} at {ADDRESS}")
    factories.complete_conditions(case, navigator=navigator, now=timezone.now())
    services.completion_review_begin(case_id=case.pk, by=SYSTEM)
    services.completion_sign_off(case_id=case.pk, by=supervisor, reason=f"{GIVEN} did well")
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.EXITED_NO_CONVICTION and case.closed_at
    consultation_record(
        by=supervisor, case=case, page="navigators:case", path=f"/cases/{case.reference}/"
    )
    return case


def _personal_data_left(needles: list[str], dob: date) -> list[str]:
    """Every (table, column) of every model, history and notifications included, still
    holding one of ``needles`` as text, or the date of birth."""
    from django.apps import apps
    from django.db import models

    found = []
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
                if model._default_manager.filter(**{field.name: dob}).exists():
                    found.append(f"{model._meta.db_table}.{field.column} = {dob}")
                continue
            if not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                continue
            for needle in needles:
                lookup = f"{field.name}__icontains"
                if isinstance(field, models.JSONField):
                    rows = model._default_manager.values_list(field.name, flat=True)
                    hit = any(needle.lower() in str(v).lower() for v in rows)
                else:
                    hit = model._default_manager.filter(**{lookup: needle}).exists()
                if hit:
                    found.append(f"{model._meta.db_table}.{field.column} ~ {needle}")
    return found


def test_erasure_of_an_exited_case_leaves_no_personal_data_anywhere(
    exited, admin, client, settings
):
    from notifications.models import FakeDelivery, Message

    needles = [GIVEN, FAMILY, MOBILE, EMAIL, ADDRESS, POSTCODE, DOB.isoformat()]
    # The journey left the personal data in the places this test then searches.
    assert Message.objects.filter(case=exited).exists()
    assert FakeDelivery.objects.exists()
    assert len(_personal_data_left(needles, DOB)) > 5

    # Due for review: the no-conviction period after closing (time passed by the date given).
    retention_review(
        by=SYSTEM, today=_later(exited.closed_at, settings.RETENTION_NO_CONVICTION_YEARS)
    )
    client.force_login(admin)
    done = client.post(URL, {"cases": [str(exited.pk)], "confirm": "on"})
    assert done.status_code == 302

    left = _personal_data_left(needles, DOB)
    assert left == [], left
    record = ErasureRecord.objects.get()
    assert record.case_id_erased == exited.pk
    stored = " ".join(str(v) for v in ErasureRecord.objects.values().get().values())
    assert not [n for n in [*needles, exited.reference] if n.lower() in stored.lower()]
    assert Case.objects.get(pk=exited.pk).state == CaseState.EXITED_NO_CONVICTION


@pytest.mark.postgres
def test_after_erasing_an_exited_case_the_audit_tables_still_refuse_deletes(exited, admin):
    retention_review(by=SYSTEM, today=_later(exited.closed_at, 10))
    retention_erase(case_ids=[exited.pk], by=admin)
    from checkpoint.models import CaseTransition

    for rows in (
        AccessLog.objects.filter(case=exited),
        CaseTransition.objects.filter(case=exited),
        Person.history.filter(id=exited.person_id),
    ):
        assert rows.exists()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            rows.delete()
