from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

from privacy.audit.database import AppRoleError, app_role_grant


class Command(BaseCommand):
    help = (
        "PostgreSQL: grant the application role (the one the web and worker processes use) "
        "read and write on the portal's rows and append-only on the audit log. Run as the "
        "owner role, after migrate; idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The application role, e.g. aseq_app.")

    def handle(self, *args, role, **options):
        try:
            with transaction.atomic():
                app_role_grant(role=role)
        except AppRoleError as error:
            raise CommandError(str(error), returncode=2) from None
        keystore_grant(role)
        self.stdout.write(self.style.SUCCESS(f"Grants for {role} in place."))


def keystore_grant(role: str) -> None:
    """The key store's database (privacy/keystore): read, create and destroy keys; no DELETE.

    Destroying a key overwrites it (UPDATE); the dated tombstone can never be removed
    by the application role.
    """
    keystore = connections["keystore"]
    if keystore.vendor != "postgresql":
        return
    with transaction.atomic(using="keystore"), keystore.cursor() as cursor:
        cursor.execute("SELECT quote_ident(%s), quote_ident(current_schema())", [role])
        quoted_role, schema = cursor.fetchone()
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {quoted_role}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE ON TABLE {schema}.privacy_datakey TO {quoted_role}"
        )
