"""Shared fixtures: staff in each role, one team, a fixed 'now'."""

from __future__ import annotations

import copy
import os
import shutil
from contextlib import contextmanager
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import connection, transaction
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.utils.datastructures import MultiValueDict

from checkpoint import roles
from tests import factories


@pytest.hookimpl(tryfirst=True)  # before xdist's, which reads the xdist_group marks
def pytest_collection_modifyitems(config, items):
    """Skip tests marked for PostgreSQL or Redis when those are not configured; set up the
    browser tests (here, in the root conftest, so it applies whatever else is collected)."""
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgis"))
    on_redis = os.environ.get("CELERY_BROKER_URL", "").startswith("redis")
    has_chromium = bool(shutil.which("chromium"))
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)  # CI's first phase leaves these out (.ci/run)
            # The live server needs committed data (a transactional test). Serialized rollback,
            # as every transactional test here has, loads the migrations' reference data again
            # at the start of each one (the flush that ended the one before emptied it);
            # pytest-django runs them after all the other database tests of each worker
            # (xdist hands each worker its tests in that order), so those never see a flush.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
            if not has_chromium:
                item.add_marker(
                    pytest.mark.skip(reason="chromium is not installed (scripts/test installs it)")
                )
        if _builds_module_data(item):
            # With scripts/test's ``--dist loadgroup``, the module's tests go to one worker, so
            # its data is built once (split over two workers, it was built by each).
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if "redis" in item.keywords and not on_redis:
            item.add_marker(pytest.mark.skip(reason="needs Redis (set CELERY_BROKER_URL)"))
    # The longest tests first (stable: the rest keep their order). pytest-django then runs the
    # database tests, the transactional ones, and the rest, in that order, and xdist hands the
    # tests out in the order it is given: a minute-long test left to the end kept one worker
    # busy for a minute while the other had finished (the Redis outage did, in CI).
    items.sort(key=lambda item: -_expected_seconds(item))


def _expected_seconds(item) -> float:
    """The seconds a ``slow(seconds)`` mark says the test takes (0 when it has none)."""
    mark = item.get_closest_marker("slow")
    if mark is None:
        return 0.0
    if len(mark.args) != 1 or not isinstance(mark.args[0], int | float):
        raise pytest.UsageError(f"{item.nodeid}: write slow(seconds), e.g. slow(30)")
    return float(mark.args[0])


def _builds_module_data(item) -> bool:
    """Whether the test uses a module-scoped fixture that writes to the test database (as
    ``data_for_the_module`` does: it asks for ``django_db_blocker``)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    for name in info.names_closure:
        last = (info.name2fixturedefs.get(name) or [None])[-1]
        if last is not None and last.scope == "module" and "django_db_blocker" in last.argnames:
            return True
    return False


def pytest_configure(config):
    """With ``--dist load`` (a developer's ``pytest -n 2``; scripts/test's loadgroup also
    hands out one test or one group at a time), hand tests to the xdist workers one or two at
    a time (``--maxschedchunk 1``) unless the command line says otherwise. xdist's default
    sends large blocks in collection order, and the transactional tests (the browser journeys,
    the fault tests) sit together in that order: one worker used to get all of them and ran
    for minutes after the other had finished."""
    if getattr(config.option, "maxschedchunk", "absent") is None:
        config.option.maxschedchunk = 1


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@contextmanager
def data_for_the_module(django_db_blocker):
    """Data built once for the tests of one module (or one class), as Django's
    ``TestCase.setUpTestData`` does: built inside an outer transaction that each test's own
    transaction (pytest-django's ``db``, a savepoint here) nests in, and rolled back when the
    module's tests are done, so no other module ever sees it.

    For modules whose tests only read what was built, or change it in their own transaction
    (rolled back after each test). Never with transactional tests: they commit and flush."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # as TestCase's own atomics: durable blocks still nest
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def fresh(built):
    """A copy of module data for one test (``setUpTestData``'s ``TestData`` deep-copies its
    attributes the same way), so that what one test changes in memory no other test sees."""
    return copy.deepcopy(built)


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


def _delete_from_each_table(original):
    """PostgreSQL's flush between transactional tests as one DELETE per table instead of one
    TRUNCATE of them all: TRUNCATE gives each of about a hundred tables (and its indexes) new
    files, 0.5-0.7 s a flush, where DELETE of the few rows a test leaves takes milliseconds. The
    foreign keys Django makes are deferred, so the order of the DELETEs does not matter within
    the flush's transaction. A flush that asks to restart the sequences keeps TRUNCATE."""

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return original(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # Table names from Django's introspection, quoted.
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]  # noqa: S608

    return sql_flush


def _load_serialized_in_bulk(self, data: str) -> None:
    """Serialized rollback's reload of the migrations' data (permissions, content types,
    offences, pathways, schemes) at the start of each transactional test, one INSERT per model
    instead of an UPDATE and an INSERT per row (about 500 rows: 0.3-0.4 s a test on PostgreSQL).

    A model whose table still has rows (the first transactional test of a worker runs before
    any flush, on the database as migrated) is loaded row by row, as Django does."""
    alias = self.connection.alias
    by_model: dict[type, list] = {}
    for deserialized in serializers.deserialize("json", StringIO(data), using=alias):
        by_model.setdefault(type(deserialized.object), []).append(deserialized)
    with transaction.atomic(using=alias), self.connection.constraint_checks_disabled():
        for model, rows in by_model.items():
            if model._base_manager.using(alias).exists():
                for row in rows:
                    row.save()
                continue
            model._base_manager.using(alias).bulk_create([row.object for row in rows])
            for name in {name for row in rows for name in (row.m2m_data or {})}:
                through = getattr(model, name).through
                field = model._meta.get_field(name)
                source, target = field.m2m_column_name(), field.m2m_reverse_name()
                through._base_manager.using(alias).bulk_create(
                    through(**{source: row.object.pk, target: pk})
                    for row in rows
                    for pk in row.m2m_data.get(name, ())
                )
    self.connection.check_constraints(table_names=[m._meta.db_table for m in by_model])


@pytest.fixture(autouse=True, scope="session")
def _quick_transactional_reset():
    """The reset around each transactional test (serialized rollback's reload at the start, the
    flush at the end) made quicker; what it leaves is the same: the database as migrated."""
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.db.backends.postgresql.operations import DatabaseOperations

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            DatabaseOperations, "sql_flush", _delete_from_each_table(DatabaseOperations.sql_flush)
        )
        patch.setattr(BaseDatabaseCreation, "deserialize_db_from_string", _load_serialized_in_bulk)
        yield


@pytest.fixture(autouse=True, scope="session")
def _private_uploads(tmp_path_factory):
    """Uploaded scans go to a folder of this test session (one per xdist worker), never to
    the developer's var/ folder. Tests that look at the files set their own folder too."""
    from django.test import override_settings

    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path_factory.mktemp("private-uploads")):
        yield


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashing():
    """Passwords hashed with a single round of MD5 in tests: production's PBKDF2 takes a
    quarter of a second a hash here, spent on every account a test makes with a password and
    every sign-in. No test is about the hasher's strength (that is Django's, configured in
    config/settings.py, which this does not change outside the tests)."""
    from django.test import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
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

    def post(self, path, data=None, content_type=MULTIPART_CONTENT, **extra):
        """A form with no file is posted urlencoded, as a browser posts a form without
        ``enctype="multipart/form-data"`` (every form here but the scan upload's). Django's
        client posts multipart whatever the form, and parsing it took about a fifth of the
        security walks' time."""
        fields = _plain_fields(data) if content_type == MULTIPART_CONTENT else None
        if fields is not None:
            data = urlencode(fields, doseq=True)
            content_type = "application/x-www-form-urlencoded"
        return super().post(path, data, content_type, **extra)


def _plain_fields(data) -> list[tuple[str, list]] | None:
    """A form's fields as (name, values) when none is a file (nor None, which Django's client
    refuses to encode: it is still refused); None otherwise, and for a body already encoded."""
    if data is not None and not isinstance(data, dict):
        return None
    pairs = data.lists() if isinstance(data, MultiValueDict) else (data or {}).items()
    fields = [(name, v if isinstance(v, list | tuple) else [v]) for name, v in pairs]
    if any(v is None or hasattr(v, "read") for _, values in fields for v in values):
        return None
    return fields


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
def alice(db):
    """An administrator: the first pair of eyes on an access change (she asks)."""
    return factories.make_administrator("alice")


@pytest.fixture
def bob(db):
    """Another administrator: the second pair of eyes (he approves or rejects)."""
    return factories.make_administrator("bob")


@pytest.fixture
def newcomer(db):
    """A new account with no role yet, as the admin makes one."""
    roles.sync_roles()
    return get_user_model().objects.create_user(
        "newcomer", password=factories.PASSWORD, first_name="Nia"
    )


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"
