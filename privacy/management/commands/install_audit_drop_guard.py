from importlib import import_module

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction


class Command(BaseCommand):
    help = (
        "Install the event trigger that refuses to DROP the audit log's tables, triggers "
        "and functions. Needs a PostgreSQL superuser (DATABASE_URL of one, run once); "
        "migrate installs it itself when the migrating role is one."
    )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The DROP guard exists on PostgreSQL only.", returncode=2)
        guard = import_module("privacy.migrations.0030_audit_log_guard")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if not cursor.fetchone()[0]:
                raise CommandError(
                    "Event triggers need a superuser: run this with a superuser's DATABASE_URL.",
                    returncode=2,
                )
            cursor.execute(guard.DROP_GUARD)
        self.stdout.write(self.style.SUCCESS("Audit log DROP guard installed."))
