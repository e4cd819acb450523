"""PostgreSQL roles that keep the audit out of the application's reach (ADR 0024).

The owner role owns the schema and runs migrations. The application role
logs in, owns nothing, and may not change or remove audit rows: on the
append-only tables (the audit trail, and any table guarded by the
``marm_audit_append_only`` trigger) it may only read and insert; on the chain
head it may read, insert and update (the head's own trigger stops it moving
back). No role but the owner may TRUNCATE anything.

Grants on tables that later migrations create come from default privileges,
which cannot single out the audit tables: run ``db_roles`` after every
``migrate``.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction

AUDIT_EVENTS = "audit_auditevent"
CHAIN_HEAD = "audit_auditchainhead"
APPEND_ONLY_FUNCTION = "marm_audit_append_only"
APP_TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RolesRefused(Exception):
    """The roles cannot be set up as asked; the message says why."""


@dataclass
class RolesReport:
    done: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)


def roles_set_up(*, connection, owner: str, app_role: str, reassign: bool) -> RolesReport:
    """Create or correct the two roles and the application role's grants, in one transaction."""
    if connection.vendor != "postgresql":
        raise RolesRefused(
            f"db_roles works on PostgreSQL only; this database is {connection.vendor}. "
            "On SQLite the hash chain, audit_verify and the checkpoints outside the database are the guard."
        )
    for name in (owner, app_role):
        if not _ROLE_NAME.match(name):
            raise RolesRefused(f"{name!r} is not a plain role name: use lower-case letters, digits and _.")
    if owner == app_role:
        raise RolesRefused("The owner role and the application role must be different roles.")
    report = RolesReport()
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        _Setup(cursor, connection.ops.quote_name, owner, app_role, report).run(reassign)
    return report


class _Setup:
    def __init__(self, cursor, quote, owner, app_role, report):
        self.cursor = cursor
        self.quote = quote
        self.owner = owner
        self.app = app_role
        self.report = report

    def execute(self, sql, params=None):
        self.report.statements.append(sql)
        self.cursor.execute(sql, params)

    def query(self, sql, params=None):
        self.cursor.execute(sql, params)
        return self.cursor.fetchall()

    def run(self, reassign):
        (current,) = self.query("SELECT current_user")[0]
        if current == self.app:
            raise RolesRefused(
                f"Connected as the application role {self.app}: run db_roles as a superuser "
                "or a role that may create roles (DATABASE_URL for this command only)."
            )
        (self.schema,) = self.query("SELECT current_schema()")[0]
        (self.database,) = self.query("SELECT current_database()")[0]
        self.ensure_role(self.owner, "the owner: owns the tables and runs migrations")
        self.ensure_role(self.app, "the application: owns nothing")
        self.check_app_role()
        q_owner, q_app, q_schema = self.quote(self.owner), self.quote(self.app), self.quote(self.schema)
        self.execute(f"GRANT CONNECT ON DATABASE {self.quote(self.database)} TO {q_owner}, {q_app}")
        # Migrations add trusted extensions (pg_trgm), which needs CREATE on the database.
        self.execute(f"GRANT CREATE ON DATABASE {self.quote(self.database)} TO {q_owner}")
        self.execute(f"REVOKE CREATE ON DATABASE {self.quote(self.database)} FROM {q_app}")
        self.execute(f"GRANT USAGE, CREATE ON SCHEMA {q_schema} TO {q_owner}")
        self.execute(f"GRANT USAGE ON SCHEMA {q_schema} TO {q_app}")
        # Before PostgreSQL 15 everyone may create tables in "public"; the application must own nothing.
        self.execute(f"REVOKE CREATE ON SCHEMA {q_schema} FROM PUBLIC, {q_app}")
        if reassign:
            self.reassign()
        self.grant_app(q_owner, q_app, q_schema)
        self.check_ownership(reassign)

    def ensure_role(self, name, what):
        if self.query("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]):
            self.report.done.append(f"Role {name} exists ({what}).")
        else:
            self.execute(f"CREATE ROLE {self.quote(name)} LOGIN")
            self.report.done.append(f"Created role {name} ({what}). Set its password: \\password {name} in psql.")

    def check_app_role(self):
        ((superuser, bypass_rls, member_of_owner),) = self.query(
            "SELECT rolsuper, rolbypassrls, pg_has_role(%s, %s, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            [self.app, self.owner, self.app],
        )
        if superuser or bypass_rls:
            raise RolesRefused(
                f"The application role {self.app} is a superuser or bypasses row security: use another role."
            )
        if member_of_owner:
            raise RolesRefused(
                f"The application role {self.app} is a member of the owner role {self.owner}, so it could act as "
                f"the owner: REVOKE {self.owner} FROM {self.app} first."
            )
        # A role that may create roles could make itself a member of the owner.
        self.execute(f"ALTER ROLE {self.quote(self.app)} LOGIN NOCREATEDB NOCREATEROLE")

    def owned_elsewhere(self):
        """Tables, views, sequences and functions in marm's schema (not an extension's) the owner does not own."""
        relations = self.query(
            "SELECT c.relname, c.relkind, pg_get_userbyid(c.relowner) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') "
            "AND pg_get_userbyid(c.relowner) <> %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') "
            "ORDER BY c.relkind = 'S', c.relname",
            [self.schema, self.owner],
        )
        functions = self.query(
            "SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_userbyid(p.proowner) "
            "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = %s AND pg_get_userbyid(p.proowner) <> %s "
            "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') "
            "ORDER BY 1, 2",
            [self.schema, self.owner],
        )
        return relations, functions

    def reassign(self):
        kinds = {"r": "TABLE", "p": "TABLE", "f": "FOREIGN TABLE", "v": "VIEW", "m": "MATERIALIZED VIEW"}
        relations, functions = self.owned_elsewhere()
        moved = 0
        for name, kind, _owner in relations:
            if kind in kinds:
                self.execute(f"ALTER {kinds[kind]} {self.qualified(name)} OWNER TO {self.quote(self.owner)}")
                moved += 1
        # Sequences behind serial and identity columns moved with their tables; the rest move now.
        relations, _ = self.owned_elsewhere()
        for name, kind, _owner in relations:
            if kind == "S":
                self.execute(f"ALTER SEQUENCE {self.qualified(name)} OWNER TO {self.quote(self.owner)}")
                moved += 1
        for name, arguments, _owner in functions:
            self.execute(f"ALTER FUNCTION {self.qualified(name)}({arguments}) OWNER TO {self.quote(self.owner)}")
            moved += 1
        self.report.done.append(f"Gave {moved} tables, views, sequences and functions to {self.owner}.")

    def qualified(self, name):
        return f"{self.quote(self.schema)}.{self.quote(name)}"

    def exists(self, table):
        return self.query("SELECT to_regclass(%s) IS NOT NULL", [self.qualified(table)])[0][0]

    def append_only_tables(self):
        rows = self.query(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE n.nspname = %s AND p.proname = %s ORDER BY 1",
            [self.schema, APPEND_ONLY_FUNCTION],
        )
        return sorted({AUDIT_EVENTS, *(name for (name,) in rows)})

    def grant_app(self, q_owner, q_app, q_schema):
        self.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {q_schema} FROM {q_app}")
        self.execute(f"GRANT {APP_TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {q_schema} TO {q_app}")
        (tables,) = self.query(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f')",
            [self.schema],
        )[0]
        self.report.done.append(f"Granted {APP_TABLE_PRIVILEGES} on {tables} tables to {self.app}.")
        if self.exists(AUDIT_EVENTS) and self.exists(CHAIN_HEAD):
            append_only = self.append_only_tables()
            for table in append_only:
                self.execute(f"REVOKE ALL ON {self.qualified(table)} FROM {q_app}")
                self.execute(f"GRANT SELECT, INSERT ON {self.qualified(table)} TO {q_app}")
            self.report.done.append(f"Append-only tables, SELECT and INSERT only: {', '.join(append_only)}.")
            self.execute(f"REVOKE ALL ON {self.qualified(CHAIN_HEAD)} FROM {q_app}")
            self.execute(f"GRANT SELECT, INSERT, UPDATE ON {self.qualified(CHAIN_HEAD)} TO {q_app}")
            self.report.done.append(f"{CHAIN_HEAD}: SELECT, INSERT and UPDATE only (no DELETE, no TRUNCATE).")
        else:
            self.report.done.append(
                f"The audit tables do not exist yet: run migrate as {self.owner}, then db_roles again."
            )
        self.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {q_schema} FROM {q_app}")
        self.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q_schema} TO {q_app}")
        self.report.done.append(f"Granted USAGE on every sequence to {self.app}.")
        self.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {q_owner} IN SCHEMA {q_schema} "
            f"GRANT {APP_TABLE_PRIVILEGES} ON TABLES TO {q_app}"
        )
        self.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {q_owner} IN SCHEMA {q_schema} "
            f"GRANT USAGE, SELECT ON SEQUENCES TO {q_app}"
        )
        self.report.done.append(
            f"Tables {self.owner} creates later are granted {APP_TABLE_PRIVILEGES} to {self.app}: "
            "run db_roles again after every migrate, to restrict new append-only tables."
        )

    def check_ownership(self, reassigned):
        relations, functions = self.owned_elsewhere()
        owners = sorted({row[-1] for row in relations} | {row[-1] for row in functions})
        count = len(relations) + len(functions)
        if not count:
            self.report.done.append(f"Everything in schema {self.schema} is owned by {self.owner}.")
            return
        if self.app in owners:
            raise RolesRefused(
                f"The application role {self.app} owns {count} objects in schema {self.schema}, so it could "
                "drop the audit's triggers: run db_roles again with --reassign."
            )
        if not reassigned:
            self.report.done.append(
                f"{count} objects in schema {self.schema} are owned by {', '.join(owners)}, not {self.owner}: "
                "run db_roles with --reassign to give them to the owner role."
            )
