from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

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
        self.stdout.write(self.style.SUCCESS(f"Grants for {role} in place."))
