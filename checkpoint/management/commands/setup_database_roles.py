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
        raw = connection.connection

        def q(statement: str, **parts) -> str:
            composed = sql.SQL(statement).format(
                **{
                    k: (v if isinstance(v, sql.Composable) else sql.Identifier(v))
                    for k, v in parts.items()
                }
            )
            return composed.as_string(raw)

        with transaction.atomic(using=options["database"]), connection.cursor() as cursor:
            created = []
            for role, name in names.items():
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
                if cursor.fetchone() is None:
                    cursor.execute(q("CREATE ROLE {r}", r=name))
                    created.append(name)
                inherit = "NOINHERIT" if role == "app" else "INHERIT"
                cursor.execute(
                    q(
                        "ALTER ROLE {r} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                        "NOBYPASSRLS " + inherit,
                        r=name,
                    )
                )
                password = options[f"{role}_password"]
                if password:
                    cursor.execute(
                        q("ALTER ROLE {r} PASSWORD {p}", r=name, p=sql.Literal(password))
                    )
            owner, app, retention = names["owner"], names["app"], names["retention"]
            # The app may switch to the retention role (the retention service does, for its own
            # transaction), and inherits nothing from it otherwise; nothing else is a member.
            cursor.execute(q("GRANT {r} TO {a}", r=retention, a=app))
            for other in (app, retention):
                cursor.execute(q("REVOKE {o} FROM {r}", o=owner, r=other))
            cursor.execute(q("REVOKE {a} FROM {r}", a=app, r=retention))

            database = connection.settings_dict["NAME"]
            cursor.execute(
                q(
                    "GRANT CONNECT ON DATABASE {d} TO {o}, {a}, {r}",
                    d=database,
                    o=owner,
                    a=app,
                    r=retention,
                )
            )
            cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
            cursor.execute(q("GRANT USAGE, CREATE ON SCHEMA public TO {o}", o=owner))
            cursor.execute(q("GRANT USAGE ON SCHEMA public TO {a}, {r}", a=app, r=retention))
            cursor.execute(q("REVOKE CREATE ON SCHEMA public FROM {a}, {r}", a=app, r=retention))

            # The owner owns everything in the schema, the trigger function included.
            cursor.execute(OWNED_SQL)
            relations = cursor.fetchall()
            for relname, relkind in relations:
                cursor.execute(q(f"ALTER {KIND[relkind]} {{t}} OWNER TO {{o}}", t=relname, o=owner))
            cursor.execute("SELECT 1 FROM pg_proc WHERE proname = 'checkpoint_audit_append_only'")
            if cursor.fetchone():
                cursor.execute(q(f"ALTER FUNCTION {AUDIT_FUNCTION} OWNER TO {{o}}", o=owner))

            # From a known state: the grants below, and nothing else.
            for grantee in (app, retention):
                cursor.execute(q("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {g}", g=grantee))
                cursor.execute(
                    q("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {g}", g=grantee)
                )
            cursor.execute(
                q(
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {a}",
                    a=app,
                )
            )
            cursor.execute(
                q("GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {r}", r=retention)
            )
            cursor.execute(
                q(
                    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {a}, {r}",
                    a=app,
                    r=retention,
                )
            )
            cursor.execute(AUDIT_TABLES_SQL)
            audit_tables = [row[0] for row in cursor.fetchall()]
            for table in audit_tables:
                cursor.execute(q("REVOKE UPDATE, DELETE, TRUNCATE ON {t} FROM {a}", t=table, a=app))
                cursor.execute(q("REVOKE DELETE, TRUNCATE ON {t} FROM {r}", t=table, r=retention))

            # Tables a later migration creates (as the owner) get the same grants; a new audit
            # table is narrowed when this command runs again after that migration.
            for statement in (
                "ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
                "GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {a}",
                "ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
                "GRANT SELECT, INSERT, UPDATE ON TABLES TO {r}",
                "ALTER DEFAULT PRIVILEGES FOR ROLE {o} IN SCHEMA public "
                "GRANT USAGE, SELECT ON SEQUENCES TO {a}, {r}",
            ):
                cursor.execute(q(statement, o=owner, a=app, r=retention))

        self.stdout.write(
            f"Roles: owner {owner}, app {app}, retention {retention}"
            + (f" (created: {', '.join(created)})" if created else " (all existed)")
            + f". {len(relations)} relations owned by {owner}; "
            f"{len(audit_tables)} audit tables are SELECT and INSERT only for {app}."
        )
