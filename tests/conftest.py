"""Shared fixtures: staff in each role, one team, a fixed 'now'."""

from __future__ import annotations

import importlib
import os
import shutil

import pytest
from django.db import connection
from django.test import Client

from checkpoint import roles
from tests import factories


def pytest_collection_modifyitems(config, items):
    """Skip tests marked for PostgreSQL or Redis when those are not configured; set up the
    browser tests (here, in the root conftest, so it applies whatever else is collected)."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgis"))
    on_redis = os.environ.get("CELERY_BROKER_URL", "").startswith("redis")
    has_chromium = bool(shutil.which("chromium"))
    for item in items:
        if "tests/browser/" in str(item.fspath):
            # The live server needs committed data (a transactional test); serialized rollback
            # restores the migrations' reference data after the flush that ends each one.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
            if not has_chromium:
                item.add_marker(
                    pytest.mark.skip(reason="chromium is not installed (scripts/test installs it)")
                )
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "redis" in item.keywords and not on_redis:
            item.add_marker(pytest.mark.skip(reason="needs Redis (set CELERY_BROKER_URL)"))


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Transactional tests end with a flush that empties every table, including the
    migrations' reference data (offences, schemes, pathways). Serialized rollback should
    restore it but proved unreliable once Playwright's event loop had run in the same worker,
    so it is reloaded here when missing."""
    if not _is_transactional(request):
        if "db" in request.fixturenames:
            request.getfixturevalue("db")
            _restore_after_a_flush()
        return
    from django.apps import apps

    from checkpoint.models import OffenceType

    if not OffenceType.objects.exists():
        _load_reference_data(apps)
        roles.sync_roles()


def _load_reference_data(apps) -> None:
    """The migrations' reference data (offences, schemes, pathways) and each profile's fixed
    eligibility rules, as migrating does."""
    importlib.import_module("checkpoint.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("checkpoint.migrations.0015_fix_statutory_rules_per_profile").declare(
        apps, None
    )


def _restore_after_a_flush() -> None:
    """A test run just after a transactional test with serialized rollback can find the tables
    that flush emptied still empty (permissions and content types are only recreated when the
    next such test starts): rebuild them inside this test's transaction when that happens."""
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.core.management.sql import emit_post_migrate_signal

    from checkpoint.models import OffenceType

    if not Permission.objects.filter(codename="assess_case").exists():
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    if not OffenceType.objects.exists():
        _load_reference_data(apps)
        roles.sync_roles()


@pytest.fixture(autouse=True)
def _audit_tables_flushable(request):
    """On PostgreSQL the audit tables refuse TRUNCATE (migration 0010), and a transactional
    test ends with a flush that truncates every table. Its teardown (which runs after this
    one's, as this fixture asks for it first) runs with the maintenance override for this
    connection only; Django closes the connection after a transactional test, so the override
    never reaches another test."""
    if not _is_transactional(request) or connection.vendor != "postgresql":
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET checkpoint.audit_override = 'maintenance'")


@pytest.fixture(autouse=True, scope="session")
def _private_uploads(tmp_path_factory):
    """Uploaded scans go to a folder of this test session (one per xdist worker), never to
    the developer's var/ folder. Tests that look at the files set their own folder too."""
    from django.test import override_settings

    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private-uploads")):
        yield


class StaffClient(Client):
    """The test client whose ``force_login`` also completes the second factor.

    Production needs a TOTP code after the password on every staff page (web.mfa);
    the hundreds of page tests sign in with ``force_login`` and are about the pages, so here it
    marks the session verified with a confirmed device, as a real code would. Tests of the
    sign-in itself use ``password_only_client``, which does not.
    """

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        factories.verify_session(self, user)


@pytest.fixture
def client():
    return StaffClient()


@pytest.fixture
def password_only_client():
    """A client whose ``force_login`` stops after the password (no second factor yet)."""
    return Client()


@pytest.fixture
def now():
    return factories.NOW


@pytest.fixture
def team(db):
    return factories.TeamFactory(name="Durham North")


@pytest.fixture
def dm(db, team):
    return factories.make_user(roles.DECISION_MAKER, username="dm")


@pytest.fixture
def navigator(db, team):
    return factories.make_user(roles.NAVIGATOR, team=team, username="nav")


@pytest.fixture
def supervisor(db, team):
    return factories.make_user(roles.SUPERVISOR, team=team, username="sup")


@pytest.fixture
def analyst(db):
    return factories.make_user(roles.ANALYST, username="analyst")


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"
