"""The people and cases the security tests act on, built through the real services.

Cases are built against the real clock (the screens call services with the real now), like
``tests/supervisors/helpers.py``. Usernames are the keys the tests use to state, by hand, what
each person may reach: the expectation is written here, not read back from ``checkpoint.access``.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from checkpoint import dates, roles, services
from checkpoint.models import (
    Case,
    CaseShare,
    CaseState,
    ConsentMethod,
    Contract,
    DeadlineAlert,
    MatchKind,
    RearrestMatch,
    SweepKind,
    SweepRun,
)
from tests import factories
from tests.supervisors.helpers import breach_case, live_case, review_case

# Logs that a request is *meant* to write (a consultation is logged; sign-in is logged). Every
# other table must keep its row count whatever a refused or empty request does.
CONSULTATION_LOGS = {
    "checkpoint.accesslog",
    "checkpoint.refusallog",  # a refused request is on record (web.refusals)
    "sessions.session",
    "axes.accesslog",
    "axes.accessattempt",
    "axes.accessfailurelog",
}


def make_staff() -> dict:
    """Two teams; one person per role on team T, and unrelated people of the same roles."""
    team = factories.TeamFactory(name="Durham North")
    other_team = factories.TeamFactory(name="Darlington & South")
    staff = {
        "dm": factories.make_user(roles.DECISION_MAKER, username="dm"),
        "dm-other": factories.make_user(roles.DECISION_MAKER, username="dm-other"),
        "nav": factories.make_user(roles.NAVIGATOR, team=team, username="nav"),
        "nav-shared": factories.make_user(roles.NAVIGATOR, team=other_team, username="nav-shared"),
        "nav-unallocated": factories.make_user(
            roles.NAVIGATOR, team=team, username="nav-unallocated"
        ),
        "nav-other-team": factories.make_user(
            roles.NAVIGATOR, team=other_team, username="nav-other-team"
        ),
        "sup": factories.make_user(roles.SUPERVISOR, team=team, username="sup"),
        "sup-other-team": factories.make_user(
            roles.SUPERVISOR, team=other_team, username="sup-other-team"
        ),
        "analyst": factories.make_user(roles.ANALYST, username="analyst"),
        "administrator": factories.make_user(roles.ADMINISTRATOR, username="administrator"),
    }
    staff["administrator"].is_staff = True
    staff["administrator"].save()
    staff["superuser"] = get_user_model().objects.create_superuser(
        "superuser", "superuser@example.police.uk", None
    )
    staff["_team"], staff["_other_team"] = team, other_team
    return staff


SCAN_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _with_records(case: Case, navigator) -> Case:
    """An appointment, self-reported hours, a note, an open compliance event and a scan of the
    signed consent form."""
    now = timezone.now()
    appointment = services.appointment_schedule(
        confirm=True,
        case_id=case.pk,
        by=navigator,
        kind="navigator",
        starts_at=now + timedelta(days=1),
    )
    entry = services.hours_log(
        case_id=case.pk,
        by=navigator,
        worked_on=dates.local_date(now) - timedelta(days=1),
        hours=Decimal(3),
        activity="Litter picking",
    )
    note = services.note_add(case_id=case.pk, by=navigator, text="Met at the hub")
    event = services.compliance_event_raise(
        case_id=case.pk,
        by=navigator,
        kind="other",
        occurred_on=dates.local_date(now) - timedelta(days=1),
        detail="Did not come",
    )
    # Consent on paper, so that a scan can be stored (the builders record in-person consent).
    Contract.objects.filter(case=case).update(consent_method=ConsentMethod.PAPER_SIGNED)
    scan = services.consent_document_add(case_id=case.pk, by=navigator, upload=consent_scan())
    case = Case.objects.get(pk=case.pk)
    case.record_pks = {
        "appointment": appointment.pk,
        "hours": entry.pk,
        "note": note.pk,
        "consent_document": scan.pk,
        "compliance_event": event.pk,
        "referral": case.contract.referrals.get().pk,
    }
    return case


def consent_scan() -> SimpleUploadedFile:
    """A small valid PDF, as a browser would upload the scan of a signed consent form."""
    return SimpleUploadedFile("consent.pdf", SCAN_PDF, content_type="application/pdf")


def matrix_cases(staff) -> dict[str, Case]:
    """The cases of the access matrix.

    - ``active``: team T's active case, opened by ``dm`` longer ago than a decision maker keeps
      the cases they opened (``DECISION_MAKER_OPENED_CASE_DAYS``), allocated to ``nav``, shared
      with ``nav-shared``; it has an appointment, hours, a note and a compliance event.
    - ``custody``: team T's case at the custody stage (assessed, not yet decided), opened by
      ``dm``, allocated to nobody.
    - ``other``: the other team's active case, opened by ``dm-other``, allocated to
      ``nav-other-team`` (its records are used to try one case's URL with another's record).
    """
    team, other_team = staff["_team"], staff["_other_team"]
    active = live_case(dm=staff["dm"], team=team, navigator=staff["nav"])
    active = _with_records(active, staff["nav"])
    Case.objects.filter(pk=active.pk).update(created_at=timezone.now() - timedelta(days=45))
    CaseShare.objects.create(
        case=active, user=staff["nav-shared"], shared_by=staff["sup"], reason="Cover for leave"
    )
    custody = live_case(days_ago=0, builder=factories.open_case, dm=staff["dm"], team=team)
    services.assessment_record(case_id=custody.pk, by=staff["dm"], **factories.GOOD_FACTS)
    other = live_case(dm=staff["dm-other"], team=other_team, navigator=staff["nav-other-team"])
    other = _with_records(other, staff["nav-other-team"])
    # The scheduled work's tables, so that their admin pages have a record to try.
    SweepRun.objects.create(
        kind=SweepKind.values[0],
        started_at=timezone.now(),
        for_date=dates.local_date(timezone.now()),
    )
    DeadlineAlert.objects.create(
        case=active,
        threshold_days=28,
        deadline=dates.local_date(timezone.now()) + timedelta(days=28),
        days_left=28,
        raised_at=timezone.now(),
    )
    # A re-arrest match awaiting each active case's navigator (the custody case stands in for
    # the new arrest: only the match's screen is tried here).
    for case in (active, other):
        match = RearrestMatch.objects.create(
            active_case=case, new_case=custody, kind=MatchKind.POSSIBLE, found_at=timezone.now()
        )
        case.record_pks["rearrest"] = match.pk
    return {
        "active": active,
        "custody": Case.objects.get(pk=custody.pk),
        "other": other,
    }


def _assessed(staff):
    case = live_case(days_ago=0, builder=factories.open_case, dm=staff["dm"], team=staff["_team"])
    # Three previous convictions fail an overridable rule, so the override form shows too.
    facts = {**factories.GOOD_FACTS, "previous_convictions": 3}
    services.assessment_record(case_id=case.pk, by=staff["dm"], **facts)
    return case


def _offered(staff):
    case = live_case(
        days_ago=0, builder=factories.eligible_case, dm=staff["dm"], team=staff["_team"]
    )
    services.case_offer(case_id=case.pk, by=staff["dm"])
    return case


def _accepted(staff, *, contract: str = ""):
    case = live_case(
        days_ago=0,
        builder=factories.accepted_case,
        dm=staff["dm"],
        team=staff["_team"],
        navigator=staff["nav"],
    )
    if contract == "started":
        services.contract_open(case_id=case.pk, by=staff["nav"])
    elif contract == "ready":
        factories.build_contract(case, navigator=staff["nav"], now=timezone.now())
    return case


def _active(staff):
    case = live_case(dm=staff["dm"], team=staff["_team"], navigator=staff["nav"])
    return _with_records(case, staff["nav"])


def _rearrested(staff):
    """An active case whose participant custody has arrested again: a match awaits."""
    case = _active(staff)
    rearrest(staff, case)
    case.record_pks["rearrest"] = case.rearrests.get().pk
    return case


def _restorative_done(staff):
    """An active case whose restorative outcome is recorded (so that it can be corrected)."""
    case = _active(staff)
    services.restorative_outcome_record(case_id=case.pk, by=staff["nav"], outcome="completed")
    return case


def _ended(staff, *, then: str = ""):
    nav, sup = staff["nav"], staff["sup"]
    if then == "exited":
        case = review_case(navigator=nav, dm=staff["dm"], team=staff["_team"])
        services.completion_sign_off(case_id=case.pk, by=sup, reason="All met")
        return case
    case = live_case(dm=staff["dm"], team=staff["_team"], navigator=nav)
    services.case_withdraw(case_id=case.pk, by=nav, reason="Moved away")
    if then == "referred":
        services.prosecution_refer(case_id=case.pk, by=sup, reason="Withdrew")
    return case


# One case of team T (opened by ``dm``, navigator ``nav``) in each state a form page needs.
FORM_CASES = {
    "assessment": lambda s: live_case(
        days_ago=0, builder=factories.open_case, dm=s["dm"], team=s["_team"]
    ),
    "assessed": _assessed,
    "eligible": lambda s: live_case(
        days_ago=0, builder=factories.eligible_case, dm=s["dm"], team=s["_team"]
    ),
    "offered": _offered,
    "accepted": lambda s: _accepted(s, contract="started"),
    "accepted-new": _accepted,
    "ready": lambda s: _accepted(s, contract="ready"),
    "active": _active,
    "rearrested": _rearrested,
    "restorative-done": _restorative_done,
    "breach": lambda s: breach_case(navigator=s["nav"], dm=s["dm"], team=s["_team"]),
    "review": lambda s: review_case(navigator=s["nav"], dm=s["dm"], team=s["_team"]),
    "withdrawn": _ended,
    "exited": lambda s: _ended(s, then="exited"),
    "referred": lambda s: _ended(s, then="referred"),
}


def form_case(staff, key: str) -> Case:
    made = FORM_CASES[key](staff)
    case = Case.objects.get(pk=made.pk)
    case.record_pks = getattr(made, "record_pks", {})
    return case


def form_cases(staff) -> dict[str, Case]:
    """Every case of ``FORM_CASES``, keyed by its name."""
    cases = {key: form_case(staff, key) for key in FORM_CASES}
    assert cases["review"].state == CaseState.COMPLETION_REVIEW
    return cases


def fingerprint() -> tuple:
    """Row counts of every table but the consultation logs, and each case's state and
    version, read in two statements (cheap enough to take after every request)."""
    tables = sorted(
        {
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.label_lower not in CONSULTATION_LOGS and m._meta.managed
        }
    )
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT '{t}', COUNT(*) FROM {quote(t)}"  # noqa: S608  (names from the models)
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = tuple(cursor.fetchall())
    cases = tuple(Case.objects.order_by("pk").values_list("pk", "state", "lock_version"))
    return counts, cases


def changed(before: tuple, after: tuple) -> str:
    """What differs between two fingerprints, for an assertion message."""
    (counts_a, cases_a), (counts_b, cases_b) = before, after
    rows = [f"{a[0]}: {a[1]} -> {b[1]}" for a, b in zip(counts_a, counts_b, strict=True) if a != b]
    cases = [f"case {a} -> {b}" for a, b in zip(cases_a, cases_b, strict=False) if a != b]
    return "; ".join(rows + cases)


def rearrest(staff, case: Case) -> Case:
    """Custody opens a new case for the participant of ``case`` (their PNC ID recorded):
    a re-arrest match awaits ``case``'s navigator. Returns the new case."""
    from checkpoint.models import Person

    Person.objects.filter(pk=case.person_id).update(pnc_id="26/123456A")
    again = Person.objects.get(pk=case.person_id)
    again.pk = None  # custody records the person afresh, with the same PNC ID
    return live_case(
        days_ago=0, builder=factories.open_case, dm=staff["dm"], team=staff["_team"], person=again
    )


def admin_records(staff, case: Case) -> None:
    """A row in every table the admin shows that the cases above leave empty, tied to
    ``case`` where the table holds case data."""
    from axes.models import AccessAttempt, AccessFailureLog
    from axes.models import AccessLog as AxesAccessLog

    from checkpoint.models import AccessLog, OffenceType, Pathway
    from checkpoint.services.needs import NeedInput, needs_assessment_record
    from notifications import outbox
    from notifications.models import FakeDelivery

    nav, now = staff["nav"], timezone.now()
    today = dates.local_date(now)
    pathway = Pathway.objects.order_by("pk").first()
    needs_assessment_record(
        case_id=case.pk, by=nav, items=[NeedInput(pathway_id=pathway.pk, level="high")]
    )
    services.victim_wishes_record(
        case_id=case.pk,
        by=nav,
        name="A victim",
        restorative_preference="letter",
        keep_informed=False,
    )
    services.new_offence_report(
        case_id=case.pk,
        by=nav,
        occurred_on=today - timedelta(days=1),
        description="Shoplifting",
        offence_type_id=OffenceType.objects.get(code="THEFT-SHOP").pk,
    )
    event = case.compliance_events.filter(resolved_at__isnull=True).first()
    services.warning_issue(case_id=case.pk, by=nav, reason="Missed", event_ids=[event.pk])
    AccessLog.objects.create(
        user=nav, person_id=case.person_id, case=case, page="navigators:case", path="/"
    )
    outbox.enqueue(
        key=f"matrix-{case.pk}",
        channel="sms",
        audience="participant",
        recipient="07700900000",
        template="appointment_reminder",
        context={},
        send_after=now,
        case=case,
        person=case.person,
    )
    FakeDelivery.objects.create(
        provider_id="matrix-1", reference="m", channel="sms", recipient="07700900000", body="x"
    )
    for model in (AccessAttempt, AccessFailureLog, AxesAccessLog):
        fields = {"username": "nav", "ip_address": "192.0.2.1", "user_agent": "test"}
        if model is AccessAttempt:
            fields["failures_since_start"] = 1
        model.objects.create(**fields)
    factories.totp_device(nav)
    rearrest(staff, case)
    # A breach review and an outcome, on cases of their own.
    breach_case(navigator=nav, dm=staff["dm"], team=staff["_team"])
    referred = live_case(dm=staff["dm"], team=staff["_team"], navigator=nav)
    services.case_withdraw(case_id=referred.pk, by=nav, reason="Moved away")
    services.prosecution_refer(case_id=referred.pk, by=staff["sup"], reason="Withdrew")
