"""Set up the PostgreSQL roles that separate duties on the audit tables (README, "Audit tables").

Run as a database superuser (or a role with CREATEROLE that owns the tables), after every
``migrate``: it is idempotent, and it re-applies the rules to tables a migration added.

- **owner** (``checkpoint_owner``): owns every table, sequence and the audit trigger function;
  runs the migrations. Only the owner (or a superuser) can alter, disable or drop a trigger.
- **app** (``checkpoint_app``): the web and worker processes. SELECT, INSERT, UPDATE, DELETE on
  ordinary tables; only SELECT and INSERT on the audit tables (every table with an append-only
  trigger), so it cannot UPDATE, DELETE or TRUNCATE audit rows whatever it sets, nor disable or
  drop their triggers (it owns nothing). NOINHERIT: it holds no privilege of the retention role
  unless it switches to it.
- **retention** (``checkpoint_retention``): what erasure needs: SELECT, INSERT and UPDATE (no
  DELETE, no TRUNCATE). The retention service switches to it (``SET LOCAL ROLE``, setting
  ``DATABASE_RETENTION_ROLE``) for its own transaction only, and the audit triggers still
  refuse an UPDATE that does not come with the retention override.

Passwords come from ``--owner-password`` etc. or the environment (``CHECKPOINT_DB_OWNER_PASSWORD``,
``CHECKPOINT_DB_APP_PASSWORD``, ``CHECKPOINT_DB_RETENTION_PASSWORD``); a role given no password
keeps the one it has (a new one has none, and cannot sign in by password until given one).
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction
from psycopg import sql

# Tables protected by migration 0010 and later ones carry a trigger named <table>_append_only.
AUDIT_TABLES_SQL = """
SELECT c.relname FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND t.tgname = c.relname || '_append_only' AND NOT t.tgisinternal
ORDER BY c.relname
"""
OWNED_SQL = """
SELECT c.relname, c.relkind FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
  -- an identity or serial column's sequence follows its table's owner
  AND NOT (c.relkind = 'S' AND EXISTS (
      SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
ORDER BY c.relname
"""
KIND = {"r": "TABLE", "p": "TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
AUDIT_FUNCTION = "checkpoint_audit_append_only()"


class Command(BaseCommand):
    help = (
        "Create or update the owner, app and retention database roles on PostgreSQL and their "
        "privileges (the app role cannot change audit rows or their triggers). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="The database alias.")
        for role, default in (
            ("owner", "checkpoint_owner"),
            ("app", "checkpoint_app"),
            ("retention", "checkpoint_retention"),
        ):
            parser.add_argument(f"--{role}", default=default, help=f"The {role} role's name.")
            parser.add_argument(
                f"--{role}-password",
                default=os.environ.get(f"CHECKPOINT_DB_{role.upper()}_PASSWORD", ""),
                help=f"Its password (default: $CHECKPOINT_DB_{role.upper()}_PASSWORD).",
            )

    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are for PostgreSQL; this database is not.")
        names = {role: options[role] for role in ("owner", "app", "retention")}
        if len(set(names.values())) != 3:
            raise CommandError("The owner, app and retention roles must be three different roles.")
        connection.ensure_connection()
        with transaction.atomic(using=options["database"]), connection.cursor() as cursor:
            setup = _Setup(cursor, connection.connection, **names)
            created = setup.roles({role: options[f"{role}_password"] for role in names})
            setup.memberships()
            setup.schema(connection.settings_dict["NAME"])
            relations = setup.ownership()
            audit_tables = setup.grants()
            setup.default_privileges()
        owner, app, retention = names["owner"], names["app"], names["retention"]
        self.stdout.write(
            f"Roles: owner {owner}, app {app}, retention {retention}"
            + (f" (created: {', '.join(created)})" if created else " (all existed)")
            + f". {relations} relations owned by {owner}; "
            f"{len(audit_tables)} audit tables are SELECT and INSERT only for {app}."
        )


class _Setup:
    """The command's steps, in order, on one cursor inside one transaction."""

    def __init__(self, cursor, raw, *, owner: str, app: str, retention: str) -> None:
        self.cursor, self.raw = cursor, raw
        self.owner, self.app, self.retention = owner, app, retention

    def run(self, statement: str, **parts) -> None:
        """``statement`` with ``{o}``, ``{a}``, ``{r}`` (the three roles) and ``parts`` quoted
        as identifiers (or as given, for ``sql.Literal`` and other composables)."""
        parts = {"o": self.owner, "a": self.app, "r": self.retention, **parts}
        composed = sql.SQL(statement).format(
            **{
                k: (v if isinstance(v, sql.Composable) else sql.Identifier(v))
                for k, v in parts.items()
            }
        )
        self.cursor.execute(composed.as_string(self.raw))

    def roles(self, passwords: dict[str, str]) -> list[str]:
        """Each role exists, may sign in and holds no special power; the ones made now."""
        created = []
        for role, name in (("owner", self.owner), ("app", self.app), ("retention", self.retention)):
            self.cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
            if self.cursor.fetchone() is None:
                self.run("CREATE ROLE {n}", n=name)
                created.append(name)
            inherit = "NOINHERIT" if role == "app" else "INHERIT"
            self.run(
                "ALTER ROLE {n} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                "NOBYPASSRLS " + inherit,
                n=name,
            )
            if passwords[role]:
                self.run("ALTER ROLE {n} PASSWORD {p}", n=name, p=sql.Literal(passwords[role]))
        return created

    def memberships(self) -> None:
        """The app may switch to the retention role (the retention service does, for its own
        transaction), and inherits nothing from it otherwise; nothing else is a member."""
        self.run("GRANT {r} TO {a}")
        self.run("REVOKE {o} FROM {a}")
        self.run("REVOKE {o} FROM {r}")
        self.run("REVOKE {a} FROM {r}")

    def schema(self, database: str) -> None:
        self.run("GRANT CONNECT ON DATABASE {d} TO {o}, {a}, {r}", d=database)
        self.cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        self.run("GRANT USAGE, CREATE ON SCHEMA public TO {o}")
        self.run("GRANT USAGE ON SCHEMA public TO {a}, {r}")
        self.run("REVOKE CREATE ON SCHEMA public FROM {a}, {r}")

    def ownership(self) -> int:
        """The owner owns everything in the schema, the trigger function included; how many
        relations."""
        self.cursor.execute(OWNED_SQL)
        relations = self.cursor.fetchall()
        for relname, relkind in relations:
            self.run(f"ALTER {KIND[relkind]} {{t}} OWNER TO {{o}}", t=relname)
        self.cursor.execute("SELECT 1 FROM pg_proc WHERE proname = 'checkpoint_audit_append_only'")
        if self.cursor.fetchone():
            self.run(f"ALTER FUNCTION {AUDIT_FUNCTION} OWNER TO {{o}}")
        return len(relations)

    def grants(self) -> list[str]:
        """From a known state: these grants and nothing else; the audit tables, which the app
        may only read and add to."""
        for grantee in (self.app, self.retention):
            self.run("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {g}", g=grantee)
            self.run("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {g}", g=grantee)
        self.run("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {a}")
        self.run("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {r}")
        self.run("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {a}, {r}")
        self.cursor.execute(AUDIT_TABLES_SQL)
        audit_tables = [row[0] for row in self.cursor.fetchall()]
        for table in audit_tables:
            self.run("REVOKE UPDATE, DELETE, TRUNCATE ON {t} FROM {a}", t=table)
            self.run("REVOKE DELETE, TRUNCATE ON {t} FROM {r}", t=table)
        return audit_tables

    def default_privileges(self) -> None:
        """Tables a later migration creates (as the owner) get the same grants; a new audit
        table is narrowed when this command runs again after that migration."""
        for statement in (
            "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
            "GRANT SELECT, INSERT, UPDATE ON TABLES TO {r}",
            "GRANT USAGE, SELECT ON SEQUENCES TO {a}, {r}",
        ):
            self.run("ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public " + statement)
