"""The application role's grants on PostgreSQL: rows yes, the audit log append-only.

Two roles run the portal (docs/deployment.md): the *owner* runs the migrations
and owns every table and the audit purge function; the *application* role,
the only one gunicorn and Celery hold, gets what this grants. Run by the owner
(``manage.py grant_app_role ROLE`` after ``migrate``; idempotent), and by the
test suite for the role CI runs the audit tamper tests as.
"""

from django.db import connection

APP_ROLE_GRANTS = """
GRANT USAGE ON SCHEMA {schema} TO {role};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role};
ALTER DEFAULT PRIVILEGES IN SCHEMA {schema}
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role};
ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role};
-- The audit log: read and append; the chain head moves forward (its trigger checks how).
REVOKE UPDATE, DELETE, TRUNCATE ON privacy_auditentry FROM {role};
-- Checkpoints are written by the purge function alone (it runs as the owner).
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON privacy_auditcheckpoint FROM {role};
REVOKE DELETE, TRUNCATE ON privacy_auditchainhead FROM {role};
"""


class AppRoleError(Exception):
    pass


def app_role_grant(*, role: str) -> None:
    """Grant ``role`` what the web and worker processes need, and no more, on this database."""
    if connection.vendor != "postgresql":
        raise AppRoleError("Database roles exist on PostgreSQL only.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r.rolsuper, quote_ident(r.rolname), quote_ident(current_schema()), "
            "pg_has_role(r.oid, c.relowner, 'USAGE') "
            "FROM pg_roles r, pg_class c "
            "WHERE r.rolname = %s AND c.oid = 'privacy_auditentry'::regclass",
            [role],
        )
        row = cursor.fetchone()
        if row is None:
            raise AppRoleError(
                f"Role {role!r} does not exist: create it first (LOGIN, nothing else)."
            )
        superuser, quoted_role, schema, owns = row
        if superuser or owns:
            raise AppRoleError(
                f"Role {role!r} is a superuser or holds the owner's rights: the application "
                "role must be neither, or nothing in the database can hold against it."
            )
        cursor.execute(APP_ROLE_GRANTS.format(schema=schema, role=quoted_role))
