"""The access matrix (issue 7 point 2): every URL that takes an id, as every role and as an
unrelated user of the same role, with GET and POST. None leaks and none changes anything.

Generated from the whole URL configuration (staff screens, reports and the admin). A URL with
a parameter this file cannot classify fails ``test_every_url_with_a_parameter_is_in_the_matrix``,
so no screen can be added without saying who may use it.

Expected outcome, written here by hand (not read back from ``checkpoint.access``):

Case screens (``<reference>``, and ``<pk>`` of one of the case's records):
- the case is out of the user's reach (``REACH``): 404 for GET and POST, the same answer as for
  a reference that does not exist; a record of another case under this case's reference: 404;
- in reach, but the screen needs a capability the role lacks (``SCREENS``/``CAN``): 403;
- in reach and allowed: GET 200, or 302 to another page of the same case when the screen is not
  due in the case's state; an empty POST 200 (form errors), 302 (same rule) or 405.
Refused requests POST a body that would work for the owner (``test_the_refused_body_works_for_
the_owner`` proves it), so a refusal that came after the write would be seen.

Reports (``<report>``, ``<report>/<table>.csv``: names, not record ids): 200 for the roles with
``view_reports``, 403 for everyone else; POST 405 / 403; an unknown report 404 / 403.

The admin (every ``<object_id>`` page of every registered model, the case transitions, the
password, TOTP and view-on-site pages, the app indexes): a user who is not staff is sent to the
admin sign-in (302). The Administrator role (staff, reference data and accounts only) gets, for
case data, security logs and devices, exactly the answer for an id that does not exist; for the
reference data and accounts it manages, the pages its permissions allow. A superuser (break-glass)
reaches every record (200) but no plain POST changes case data.

After every request no table but the consultation logs changed its row count, and no case its
state or version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from checkpoint.models import Case, RefusalLog
from tests.conftest import data_for_the_module, fresh
from tests.security import world
from web.admin.cases import TRANSITIONS
from web.request_limits import accepts_uploads
from web.submissions import SubmitOnceMixin

# -- What each person reaches and may do (the specification) ---------------------------------

USERS = [
    "dm",
    "dm-other",
    "nav",
    "nav-shared",
    "nav-unallocated",
    "nav-other-team",
    "sup",
    "sup-other-team",
    "analyst",
    "administrator",
    "superuser",
]
REACH = {
    # Decision makers see every case at a custody stage, and the cases they opened for 30 days
    # (the active case was opened 45 days ago): not the supervision of a case past custody.
    "dm": {"custody"},
    "dm-other": {"custody"},
    "nav": {"active"},  # allocated
    "nav-shared": {"active"},  # shared with them
    "nav-unallocated": set(),  # same team, not allocated
    "nav-other-team": set(),
    "sup": {"active", "custody"},  # their team's cases
    "sup-other-team": set(),
    "analyst": set(),  # aggregate reports only
    "administrator": set(),  # reference data and accounts only
    "superuser": {"active", "custody"},  # break-glass: everything
}
ASSESS, MANAGE, SUPERVISE, REPORTS = "assess", "manage", "supervise", "reports"
CAN = {
    "dm": {ASSESS},
    "dm-other": {ASSESS},
    "nav": {MANAGE},
    "nav-shared": {MANAGE},
    "nav-unallocated": {MANAGE},
    "nav-other-team": {MANAGE},
    "sup": {MANAGE, SUPERVISE, REPORTS},
    "sup-other-team": {MANAGE, SUPERVISE, REPORTS},
    "analyst": {REPORTS},
    "administrator": set(),
    "superuser": {ASSESS, MANAGE, SUPERVISE, REPORTS},
}
STAFF_SITE = {"administrator", "superuser"}

# Case screens -> the capability they need (None: anyone who reaches the case).
SCREENS = {
    "navigators:case": None,
    "navigators:case-history": None,
    "custody:assessment": ASSESS,
    "custody:assessment-result": ASSESS,
    "custody:offer": ASSESS,
    "navigators:needs": MANAGE,
    "navigators:contract": MANAGE,
    "navigators:contract-victim": MANAGE,
    "navigators:contract-referral": MANAGE,
    "navigators:contract-community": MANAGE,
    "navigators:contract-consent": MANAGE,
    "navigators:contract-sign": MANAGE,
    "navigators:consent-documents": MANAGE,
    "navigators:consent-document": MANAGE,  # the download of a scan
    "navigators:contract-copy": MANAGE,
    "navigators:victim-wishes": MANAGE,
    "navigators:note-new": MANAGE,
    "navigators:appointment-new": MANAGE,
    "navigators:appointment-outcome": MANAGE,
    "navigators:hours-new": MANAGE,
    "navigators:hours-verify": MANAGE,
    "navigators:new-offence": MANAGE,
    "navigators:restorative-outcome": MANAGE,
    "navigators:referral-outcome": MANAGE,
    "navigators:compliance-new": MANAGE,
    "navigators:compliance-resolve": MANAGE,
    "navigators:compliance-withdraw": MANAGE,
    "navigators:rearrest": MANAGE,
    "navigators:warning-new": MANAGE,
    "navigators:breach-refer": MANAGE,
    "navigators:withdraw": MANAGE,
    "navigators:reminders": MANAGE,
    "navigators:contact-details": MANAGE,
    "navigators:appointment-cancel": MANAGE,
    "navigators:appointment-reschedule": MANAGE,
    "navigators:hours-correct": MANAGE,
    "navigators:hours-withdraw": MANAGE,
    "navigators:note-correct": MANAGE,
    "navigators:note-withdraw": MANAGE,
    "navigators:referral-correct": MANAGE,
    "navigators:referral-withdraw": MANAGE,
    "navigators:restorative-correct": MANAGE,
    "supervisors:breach": SUPERVISE,
    "supervisors:completion": SUPERVISE,
    "supervisors:prosecution-refer": SUPERVISE,
    "supervisors:case-allocate": SUPERVISE,
    "supervisors:outcome-letter": MANAGE,
    "supervisors:prosecution-file": MANAGE,
    "supervisors:breach-letter": MANAGE,
    "navigators:contract-document": MANAGE,
    "navigators:appointment-letter": MANAGE,
    "navigators:warning-letter": MANAGE,
}
# For a screen with a <pk>, which of the case's records it names.
PK_RECORDS = {
    "navigators:appointment-outcome": "appointment",
    "navigators:hours-verify": "hours",
    "navigators:consent-document": "consent_document",
    "navigators:appointment-cancel": "appointment",
    "navigators:appointment-reschedule": "appointment",
    "navigators:hours-correct": "hours",
    "navigators:hours-withdraw": "hours",
    "navigators:note-correct": "note",
    "navigators:note-withdraw": "note",
    "navigators:referral-correct": "referral",
    "navigators:referral-withdraw": "referral",
    "navigators:compliance-resolve": "compliance_event",
    "navigators:compliance-withdraw": "compliance_event",
    "navigators:rearrest": "rearrest",
    "navigators:appointment-letter": "appointment",
}
# Screens where an empty body is a real answer: unticked boxes are not sent, so an empty POST
# from an allowed user opts the participant out of both reminders (by design).
EMPTY_BODY_ACTS = {"navigators:reminders"}
REPORT_ROUTES = {"reports:report", "reports:csv"}

# Every model registered in the admin, by who may see it there.
ADMIN_CASE_DATA = {
    f"checkpoint.{m}"
    for m in [
        "case",
        "arrest",
        "person",
        "eligibilityassessment",
        "needsassessment",
        "contract",
        "casetransition",
        "assessmentrule",
        "needitem",
        "victimwishes",
        "offendingcondition",
        "victimcondition",
        "pathwayreferral",
        "communitycondition",
        "offence",
        "appointment",
        "hourslogentry",
        "newoffencereport",
        "complianceevent",
        "compliancewarning",
        "breachreview",
        "outcome",
        "casenote",
        "caseshare",
        "caseallocation",
        "rearrestmatch",
        "accesslog",
        "deadlinealert",
    ]
} | {"notifications.message", "notifications.fakedelivery"}
# The audit tables (issue 7 point 3) hold case data too; their rows may not exist in the world
# built here, and then only an id that does not exist is tried.
ADMIN_AUDIT = {"checkpoint.disclosurelog", "checkpoint.retentionreview", "checkpoint.erasurerecord"}
# Four eyes on access: requests, their log and enrolment links (superusers only, read-only).
ADMIN_AUDIT |= {"checkpoint.accessrequest", "checkpoint.accessauditlog", "checkpoint.enrolmentlink"}
# Refusals on record and their burst alerts; contract copies sent by email (read-only).
ADMIN_AUDIT |= {"checkpoint.refusallog", "checkpoint.refusalalert", "checkpoint.contractcopy"}
ADMIN_CASE_DATA |= ADMIN_AUDIT
# The change history (django-simple-history) of every case-data model is case data.
ADMIN_CASE_DATA |= {
    f"checkpoint.historical{label.split('.')[1]}"
    for label in ADMIN_CASE_DATA
    if label.startswith("checkpoint.")
}
# The scans of signed consent forms are in the admin by their details only (the file itself is
# served by the access-checked, logged download alone); their change history too.
ADMIN_CASE_DATA |= {"checkpoint.consentdocument", "checkpoint.historicalconsentdocument"}
ADMIN_SECURITY = {
    "otp_totp.totpdevice",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "checkpoint.sweeprun",
}
# The Administrator role's own records: view and change (roles.ROLE_PERMISSIONS), no delete.
ADMINISTRATOR_CHANGES = {
    f"checkpoint.{m}"
    for m in [
        "scheme",
        "schemeversion",
        "excludedcategory",
        "offencetype",
        "pathway",
        "serviceprovider",
        "team",
        "staffprofile",
    ]
} | {"auth.user"}
ADMINISTRATOR_VIEWS = {"auth.group"}
# The admin's routes for one model (relative to its prefix), and the models allowed extras.
ADMIN_KINDS = {
    "<path:object_id>/": "bare",
    "<path:object_id>/change/": "change",
    "<path:object_id>/history/": "history",
    "<path:object_id>/delete/": "delete",
    "<path:object_id>/transition/<str:transition_name>/": "transition",
    "<id>/password/": "password",
    "<int:pk>/config/": "config",
    "<int:pk>/qrcode/": "qrcode",
}
ADMIN_EXTRAS = {
    "transition": {"checkpoint.case"},
    "password": {"auth.user"},
    "config": {"otp_totp.totpdevice"},
    "qrcode": {"otp_totp.totpdevice"},
}
MISSING_ID = "2147480000"
MISSING_REFERENCE = "CP-0000-0000"


# -- The URL configuration --------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # namespace:name, or the route itself when unnamed
    route: str
    params: tuple[str, ...]


def all_routes(resolver=None, prefix: str = "", namespace: str = ""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(p for p in (namespace, entry.namespace) if p)
            yield from all_routes(entry, route, inner)
            continue
        name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or route
        yield Route(name, route, tuple(entry.pattern.regex.groupindex))


ADMIN_OBJECT = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/(?P<rest>.+)$")


def classify(route: Route) -> tuple | None:
    """What the matrix does with a route with parameters, or None if it does not know."""
    if route.name in SCREENS:
        return ("screen", route.name)
    if route.name in REPORT_ROUTES:
        return ("report", route.name)
    if route.name == "navigators:calendar-feed":
        return ("calendar-feed",)  # no session, a token: tests/navigators/test_diary.py
    if route.name in ACCESS_SCREENS:
        return ("access", route.name)  # administrators only: test_access_screens below
    if route.name == "mfa-enrol":
        return ("enrolment-link",)  # a one-time token: tests/web/test_access_screens.py
    if route.name == "admin:view_on_site":
        return ("view-on-site",)
    if route.name == "admin:app_list":
        return ("app-index",)
    if route.route == "admin/(?P<url>.*)$":
        return ("catch-all",)  # the admin's final 404/redirect for unknown paths: no record
    match = ADMIN_OBJECT.match(route.route)
    if not match:
        return None
    label = f"{match['app']}.{match['model']}"
    kind = ADMIN_KINDS.get(match["rest"])
    known = ADMIN_CASE_DATA | ADMIN_SECURITY | ADMINISTRATOR_CHANGES | ADMINISTRATOR_VIEWS
    if kind is None or label not in known or label not in _registered():
        return None
    if kind in ADMIN_EXTRAS and label not in ADMIN_EXTRAS[kind]:
        return None
    return ("admin", label, kind)


def _registered() -> set[str]:
    return {model._meta.label_lower for model in admin.site._registry}


def parameterised_routes() -> list[Route]:
    return [r for r in all_routes() if r.params]


def test_every_url_with_a_parameter_is_in_the_matrix():
    unknown = [r.route for r in parameterised_routes() if classify(r) is None]
    assert not unknown, f"teach tests/security/test_access_matrix.py about {unknown}"
    registered = _registered()
    classified = ADMIN_CASE_DATA | ADMIN_SECURITY | ADMINISTRATOR_CHANGES | ADMINISTRATOR_VIEWS
    assert registered <= classified, f"admin models to classify: {registered - classified}"
    screens = {r.name for r in parameterised_routes() if classify(r)[0] == "screen"}
    # Every screen in the URLconf that takes a reference is in SCREENS (a stale entry is only
    # allowed for the history page, which lands separately).
    assert set(SCREENS) - screens <= {"navigators:case-history"}
    assert len(screens) >= 30


# -- Helpers ----------------------------------------------------------------------------------


def _client_for(staff, key, client):
    client.force_login(staff[key])
    return client


def _refused_body(case, url: str | None = None) -> dict:
    """Fields that, for a user allowed to, would make most screens act. A scan goes only to a
    page that takes files: any other page refuses a posted file before its view runs (413,
    web/request_limits.py), whoever asks."""
    now = timezone.now()
    body = {
        "lock_version": case.lock_version,
        "opened_at": now.isoformat(),
        "text": "Matrix note",
        "reason": "Matrix reason",
        "explanation": "Matrix explanation",
        "same_person": "no",
        "reasons": "Matrix reasons",
        "recommendation": "Matrix recommendation",
        "notes": "Matrix notes",
        "detail": "Matrix detail",
        "decision": "continue",
        "decision-decision": "eligible",
        "decision-reason": "Matrix",
        "decision-lock_version": case.lock_version,
        "decision-opened_at": now.isoformat(),
        "step": "offer",
        "outcome": "attended",
        "verifier_name": "Matrix verifier",
        "kind": "other",
        "occurred_on_0": str(now.day),
        "occurred_on_1": str(now.month),
        "occurred_on_2": str(now.year),
        "post": "yes",  # the admin's delete confirmation
    }
    if url is not None and accepts_uploads(resolve(url).func):
        body["scan"] = world.consent_scan()  # a fresh file each time (a file is read once)
    return body


def _errors(response) -> str:
    """The GOV.UK error summary's messages, for an assertion message."""
    summary = re.search(r'govuk-error-summary__list">(.*?)</ul>', response.content.decode(), re.S)
    return re.sub(r"<[^>]+>|\s+", " ", summary.group(1)) if summary else "no error summary"


def _assert_unchanged(before, what):
    after = world.fingerprint()
    assert after == before, f"{what} changed: {world.changed(before, after)}"


def _screen_urls(cases) -> list[tuple[str, str, str]]:
    """(screen name, case key, url) for every case screen and case of the matrix, plus each
    record screen under this case's reference with the other team's record (never reachable)."""
    urls = []
    routes = {r.name: r for r in parameterised_routes() if classify(r)[0] == "screen"}
    for name in sorted(routes):
        for key in ("active", "custody"):
            kwargs = {"reference": cases[key].reference}
            if name in PK_RECORDS:
                if key != "active":
                    continue
                kwargs["pk"] = cases[key].record_pks[PK_RECORDS[name]]
            urls.append((name, key, reverse(name, kwargs=kwargs)))
        if name in PK_RECORDS:
            kwargs = {
                "reference": cases["active"].reference,
                "pk": cases["other"].record_pks[PK_RECORDS[name]],
            }
            urls.append((name, "another case's record", reverse(name, kwargs=kwargs)))
    return urls


def _expected(user: str, screen: str, case_key: str) -> int | str:
    if case_key not in REACH[user]:
        return 404
    need = SCREENS[screen]
    if need and need not in CAN[user]:
        return 403
    return "allowed"


def _same_case(response, case) -> bool:
    prefixes = (f"/cases/{case.reference}/", f"/team/cases/{case.reference}/", "/custody/")
    return response.status_code == 302 and response.url.startswith(prefixes)


# -- Case screens -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """The people and cases, built once for the module (every test here asks for them); each
    test's requests and writes are rolled back after it, as before."""
    with data_for_the_module(django_db_blocker):
        staff = world.make_staff()
        yield staff, world.matrix_cases(staff)


@pytest.fixture(autouse=True)
def _no_refusal_alerts(settings):
    """Each user here is refused a hundred times in a minute: every refusal is on record (the
    case screens check it), but the burst alert to administrators (tests/web/test_refusals.py)
    would write to the outbox, which must not change."""
    settings.REFUSAL_ALERT_THRESHOLD = 10**6


@pytest.fixture
def staff(_world, db):
    return fresh(_world[0])


@pytest.fixture
def cases(_world, db):
    return fresh(_world[1])


def _post_forms(html: str) -> list[str]:
    """The page's POST forms that post back to the page itself (no ``action``)."""
    found = re.findall(r"<form\b[^>]*method=\"post\"[^>]*>.*?</form>", html, re.S | re.I)
    return [form for form in found if "action=" not in form.split(">", 1)[0]]


def _view_class(url: str) -> type:
    return getattr(resolve(url).func, "view_class", object)


@pytest.mark.parametrize("user", USERS)
def test_case_screens(client, staff, cases, user):
    client = _client_for(staff, user, client)
    before = world.fingerprint()
    tried = 0
    for screen, case_key, url in _screen_urls(cases):
        case = cases.get(case_key, cases["active"])
        expected = _expected(user, screen, case_key)
        if case_key == "another case's record":
            expected = 404
        post_only = screen == "navigators:hours-verify"
        refusals = RefusalLog.objects.filter(user=staff[user], path=url).count()
        get = client.get(url)
        if expected == "allowed":
            if post_only:
                assert get.status_code == 405, (url, get.status_code)
            else:
                assert get.status_code == 200 or _same_case(get, case), (url, get.status_code)
                if get.status_code == 200 and issubclass(_view_class(url), SubmitOnceMixin):
                    # Each form posting back to it carries its one-time token (prefixed or
                    # not), so a second submission of that form saves nothing.
                    for form in _post_forms(get.content.decode()):
                        assert re.search(r'name="([\w-]+-)?form_token"', form), (url, form[:300])
            post = client.post(url, {})
            assert post.status_code in (200, 405) or _same_case(post, case), (url, post.status_code)
            if screen in EMPTY_BODY_ACTS:
                before = world.fingerprint()
        else:
            assert get.status_code == expected, (user, "GET", url, get.status_code)
            post = client.post(url, _refused_body(case, url))
            assert post.status_code == expected, (user, "POST", url, post.status_code)
            # Both refusals are on record (issue 17 point 4).
            recorded = RefusalLog.objects.filter(user=staff[user], path=url).count() - refusals
            assert recorded == 2, (user, url, "refusals recorded", recorded)
        _assert_unchanged(before, f"{user} on {url}")
        tried += 2
    # A reference that does not exist answers as a case out of reach does.
    missing = reverse("navigators:case", args=[MISSING_REFERENCE])
    assert client.get(missing).status_code == 404
    assert tried >= 2 * 60


@pytest.mark.parametrize(
    ("user", "screen", "case_key", "state_after"),
    [
        ("nav", "navigators:note-new", "active", "active"),
        ("nav", "navigators:withdraw", "active", "withdrawn"),
        ("nav", "navigators:hours-verify", "active", "active"),
        ("nav", "navigators:reminders", "active", "active"),
        ("nav", "navigators:consent-documents", "active", "active"),
        ("nav", "navigators:compliance-resolve", "active", "active"),
        ("nav", "navigators:rearrest", "active", "active"),
        ("dm", "custody:assessment-result", "custody", "eligible"),
    ],
)
def test_the_refused_body_works_for_the_owner(
    client, staff, cases, user, screen, case_key, state_after
):
    """The body the refused users post is not inert: from the right user it acts."""
    client = _client_for(staff, user, client)
    case = cases[case_key]
    kwargs = {"reference": case.reference}
    if screen in PK_RECORDS:
        kwargs["pk"] = case.record_pks[PK_RECORDS[screen]]
    before = world.fingerprint()
    url = reverse(screen, kwargs=kwargs)
    response = client.post(url, _refused_body(case, url))
    assert response.status_code == 302, _errors(response)
    case_after = Case.objects.get(pk=case.pk)
    assert case_after.state == state_after
    # Every service locks the case, which moves its version on (a note adds a row as well).
    assert case_after.lock_version > case.lock_version or screen == "navigators:note-new"
    assert world.changed(before, world.fingerprint())


# -- Reports ----------------------------------------------------------------------------------


_REPORT_URLS: list[str] = []


def _report_urls(client_for_analyst) -> list[str]:
    """Every report page and each CSV it links to (read once: the same for every test)."""
    from reports.views import BUILDERS

    if _REPORT_URLS:
        return _REPORT_URLS
    urls = _REPORT_URLS
    for slug in BUILDERS:
        page = reverse("reports:report", args=[slug])
        urls.append(page)
        body = client_for_analyst.get(page).content.decode()
        csvs = sorted(set(re.findall(rf'href="(/reports/{slug}/[\w-]+\.csv)', body)))
        assert csvs, f"no CSV on {page}"
        urls += csvs
    return urls


@pytest.mark.parametrize("user", USERS)
def test_reports(client, staff, cases, user):
    from tests.conftest import StaffClient

    analyst = StaffClient()
    analyst.force_login(staff["analyst"])
    urls = _report_urls(analyst)
    client = _client_for(staff, user, client)
    allowed = REPORTS in CAN[user]
    before = world.fingerprint()
    for url in urls:
        assert client.get(url).status_code == (200 if allowed else 403), (user, url)
        posted = client.post(url, {"team": "1"}).status_code
        # A CSV is a disclosure: where it asks for a justification, a POST without one is that
        # form again with its error (200); the report pages take no POST (405).
        expected = ({200, 405} if url.endswith(".csv") else {405}) if allowed else {403}
        assert posted in expected, (user, url, posted)
    assert client.get("/reports/no-such-report/").status_code == (404 if allowed else 403)
    _assert_unchanged(before, f"{user} on the reports")
    assert len(urls) >= 15


# -- The access screens (four eyes on access) ------------------------------------------------

# Who may ask for and approve changes of access: administrators (and superusers), no one else.
ACCESS_SCREENS = {"access:change", "access:reset", "access:request"}
ACCESS_MANAGERS = {"administrator", "superuser"}


@pytest.mark.parametrize("user", USERS)
def test_access_screens(client, staff, cases, user):
    from checkpoint.services import access_change_request

    waiting = access_change_request(
        by=staff["superuser"],
        user_id=staff["analyst"].pk,
        roles_wanted={"Analyst", "Supervisor"},
        reason="Matrix request",
    )
    account = staff["nav"].pk
    urls = [
        reverse("access:list"),
        reverse("access:accounts"),
        reverse("access:change", args=[account]),
        reverse("access:reset", args=[account]),
        reverse("access:request", args=[waiting.pk]),
    ]
    client = _client_for(staff, user, client)
    before = world.fingerprint()
    body = {"action": "approve", "roles": ["Supervisor"], "team": "none", "reason": "Matrix"}
    for url in urls:
        get = client.get(url)
        if user in ACCESS_MANAGERS:
            assert get.status_code == 200, (user, url, get.status_code)
            continue
        assert get.status_code == 403, (user, "GET", url, get.status_code)
        post = client.post(url, body)
        assert post.status_code == 403, (user, "POST", url, post.status_code)
    # A record that does not exist: 404 for those who may use the screens, 403 for the others.
    missing = client.get(reverse("access:request", args=[MISSING_ID]))
    assert missing.status_code == (404 if user in ACCESS_MANAGERS else 403)
    _assert_unchanged(before, f"{user} on the access screens")


# -- The admin --------------------------------------------------------------------------------


def _admin_object(label: str):
    from django.apps import apps

    model = apps.get_model(label)
    obj = model.objects.order_by("pk").first()
    assert obj is not None or label in ADMIN_AUDIT, f"the matrix needs a {label} to try"
    return obj


def _admin_urls(cases) -> list[tuple[str, str, str, str]]:
    """(model label, kind, url, url of the same page for an id that does not exist)."""
    urls = []
    for route in parameterised_routes():
        found = classify(route)
        if found[0] != "admin":
            continue
        _, label, kind = found
        app, model = label.split(".")
        prefix = f"/admin/{app}/{model}/"
        if kind == "transition":
            for case in (cases["active"], cases["custody"]):
                for name in [*TRANSITIONS, "not-a-transition", "delete"]:
                    tail = f"transition/{name}/"
                    urls.append(
                        (label, kind, f"{prefix}{case.pk}/{tail}", f"{prefix}{MISSING_ID}/{tail}")
                    )
            continue
        tail = {"bare": "", "password": "password/", "config": "config/", "qrcode": "qrcode/"}
        tail = tail.get(kind, f"{kind}/")
        obj = _admin_object(label)
        pk = obj.pk if obj is not None else MISSING_ID
        urls.append((label, kind, f"{prefix}{pk}/{tail}", f"{prefix}{MISSING_ID}/{tail}"))
    return urls


def _site_urls() -> list[tuple[str, str, str]]:
    """view-on-site for every case-data model, and each app index."""
    urls = []
    for label in sorted(ADMIN_CASE_DATA & _registered()):
        obj = _admin_object(label)
        if obj is None:
            continue
        ct = ContentType.objects.get_for_model(obj).pk
        urls.append(("view-on-site", f"/admin/r/{ct}/{obj.pk}/", f"/admin/r/{ct}/{MISSING_ID}/"))
    for app in sorted({label.split(".")[0] for label in _registered()}):
        urls.append(("app-index", f"/admin/{app}/", f"/admin/{app}/"))
    return urls


# Case data is read-only in the admin (it changes through the services); a lost TOTP device
# and a lockout are cleared by deleting them.
READ_ONLY_IN_ADMIN = ADMIN_CASE_DATA | {"checkpoint.sweeprun"}


def _admin_expected(user: str, label: str, kind: str, method: str) -> int | str:
    """The status a staff user gets on one admin page of a real record."""
    if user == "administrator":
        if label == "checkpoint.case":
            return "as if missing"  # CaseAdmin's queryset is scoped by checkpoint.access
        if label in ADMIN_CASE_DATA | ADMIN_SECURITY:
            # Refused: 403 from the change and delete pages whether or not the id exists; the
            # history page (which looked the record up first, 403 against 302) answers as for
            # a missing id (web.admin.base.HistoryAsMissingMixin).
            return "as if missing" if kind in ("bare", "history") else "refused"
        if kind == "bare":
            return 302
        if kind == "delete":
            return 403
        if method == "POST" and kind == "change" and label in ADMINISTRATOR_VIEWS:
            return 403
        if method == "POST" and kind == "change" and label == "checkpoint.schemeversion":
            return 403  # the first version is published: read-only (it was a 500)
        return 200
    # The superuser reaches every record; read-only models refuse to delete; no one sees a
    # TOTP device's secret (OTP_ADMIN_HIDE_SENSITIVE_DATA).
    if kind in ("config", "qrcode"):
        return 403
    if kind == "bare":
        return 302
    if kind == "delete" and label in READ_ONLY_IN_ADMIN | {"checkpoint.schemeversion"}:
        # (the first scheme version is published, and a published version is kept)
        return 403
    if method == "GET":
        return 200
    return "no change"


@pytest.mark.parametrize("user", USERS)
def test_admin(client, staff, cases, user):
    world.admin_records(staff, cases["active"])
    client = _client_for(staff, user, client)
    before = world.fingerprint()
    # The superuser may act in the admin: its POSTs are empty (a filled delete confirmation
    # would delete); everyone else posts a body that would work.
    body = {} if user == "superuser" else _refused_body(cases["active"])
    tried = 0
    for label, kind, url, missing in _admin_urls(cases):
        for method in ("GET", "POST"):
            if user == "superuser" and kind == "transition" and method == "POST":
                continue  # a superuser's empty POST may take a transition with no reason
            send = client.get if method == "GET" else lambda u: client.post(u, body)
            response = send(url)
            tried += 1
            where = (user, method, url, response.status_code)
            if user not in STAFF_SITE:
                assert response.status_code == 302, where
                assert response.url.startswith("/admin/login/"), where
                continue
            expected = _admin_expected(user, label, kind, method)
            if url == missing:  # an audit table with no row here: only a missing id is tried
                expected = "not found or refused"
            if kind == "transition":
                expected = _transition_expected(user, url)
            if expected == "as if missing":
                twin = send(missing)
                assert response.status_code != 200, where
                assert _answer(response, url, missing) == _answer(twin), where
            elif expected == "not found or refused":
                assert response.status_code in (302, 403), where
            elif expected == "refused":
                assert (
                    response.status_code == 403
                    or response.status_code == send(missing).status_code == 302
                ), where
            elif expected == "no change":
                assert response.status_code in (200, 302, 403), where
            else:
                assert response.status_code == expected, where
        if user == "superuser" and (
            label not in READ_ONLY_IN_ADMIN or label == "notifications.message"
        ):
            # An empty save of a lockout, an account or an outbox message (which keeps the
            # change permission for its retry action; every field is read-only) is logged.
            before = world.fingerprint()
        if user in STAFF_SITE:
            # (Everyone else was sent to the sign-in page: the check after the walk suffices.)
            _assert_unchanged(before, f"{user} on {url}")
    for kind, url, missing in _site_urls():
        for method in ("GET", "POST"):
            send = client.get if method == "GET" else lambda u: client.post(u, body)
            response = send(url)
            tried += 1
            where = (user, method, url, response.status_code)
            if user not in STAFF_SITE:
                assert response.status_code == 302 and response.url.startswith("/admin/login/")
            elif kind == "view-on-site":
                assert response.status_code == 404 == send(missing).status_code, where
            else:
                assert response.status_code in (200, 404), where
    _assert_unchanged(before, f"{user} on the admin")
    assert tried >= 300


def _answer(response, url: str = "", missing: str = "") -> tuple:
    """Status and redirect target, with the record's id written as the missing one."""
    location = response.get("Location") or ""
    if url:
        location = location.replace(url, missing)
        real_id = url.split("/")[4]
        location = location.replace(f"/{real_id}/", f"/{MISSING_ID}/")
    return response.status_code, location


def _transition_expected(user: str, url: str) -> int | str:
    if user == "administrator":
        return "as if missing"
    name = url.rstrip("/").rsplit("/", 1)[-1]
    return 200 if name in TRANSITIONS else 404
