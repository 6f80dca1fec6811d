"""The two PostgreSQL roles in the tests: the application role and the owner.

With ``DATABASE_APP_USER`` set (.ci/run creates ``aseq_app``), the suite runs
as the application role, like gunicorn and Celery in production: the
connecting role creates and migrates the test database, so it owns it as the
migrating role does; then the app role gets the production grants
(``privacy.audit.database.app_role_grant``) and every connection switches to
it with ``SET ROLE``. Every query of the suite then meets the app role's
privileges and the audit triggers see it as ``current_user``. Only what an
owner does in production runs as the owner: Django's flush between
transactional tests (TRUNCATE), and the tests that play an owner or an insider.
"""

import os
from contextlib import contextmanager

from django.db import connection, transaction

APP_ROLE = os.environ.get("DATABASE_APP_USER", "")


def _quoted(role: str) -> str:
    return '"' + role.replace('"', '""') + '"'


def _execute(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


def current_user() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        return cursor.fetchone()[0]


@contextmanager
def _as(role_clause: str, *extra: str):
    """The block as another role; an error rolls the savepoint (and the role) back."""
    with transaction.atomic():
        before = current_user()
        _execute(f"SET LOCAL ROLE {role_clause}")
        for statement in extra:
            _execute(statement)
        yield
        if extra:
            _execute("SET LOCAL session_replication_role = origin")
        _execute(f"SET LOCAL ROLE {_quoted(before)}")


def as_app_role():
    """What the web and worker processes may do."""
    return _as(_quoted(APP_ROLE))


def as_owner():
    """The migrating role (the one that created the test database)."""
    return _as("NONE")


def as_insider():
    """A superuser with triggers off: what no grant can stop, only the anchors can show."""
    return _as("NONE", "SET LOCAL session_replication_role = replica")


def suite_as_app_role_start() -> None:
    """Grant the app role, then switch this and every new connection to it."""
    from django.db.backends.signals import connection_created

    from privacy.audit.database import app_role_grant

    with transaction.atomic():
        app_role_grant(role=APP_ROLE)
    connection_created.connect(_switch_new_connection, dispatch_uid="tests_app_role")
    _execute(f"SET ROLE {_quoted(APP_ROLE)}")
    operations = type(connection.ops)
    flush = operations.execute_sql_flush

    def flush_as_owner(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
        try:
            flush(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                cursor.execute(f"SET ROLE {_quoted(APP_ROLE)}")

    operations.execute_sql_flush = flush_as_owner
    operations._flush_before_app_role = flush


def suite_as_app_role_stop() -> None:
    from django.db.backends.signals import connection_created

    connection_created.disconnect(dispatch_uid="tests_app_role")
    operations = type(connection.ops)
    operations.execute_sql_flush = operations._flush_before_app_role
    if connection.connection is not None:
        _execute("RESET ROLE")


def _switch_new_connection(sender, connection, **kwargs) -> None:
    if connection.vendor == "postgresql" and connection.alias == "default":
        with connection.cursor() as cursor:
            cursor.execute(f"SET ROLE {_quoted(APP_ROLE)}")
