from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from privacy.audit.chain import audit_purge, audit_verify
from privacy.audit.models import AuditEntry


class Command(BaseCommand):
    help = (
        "Remove audit entries older than N days, the only way entries ever leave. "
        "Records a checkpoint (id and hash of the last entry removed) and an audit entry, "
        "so verify_audit_log still proves the rest of the chain."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, required=True)
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be removed; remove nothing."
        )

    def handle(self, *args, older_than_days, dry_run, **options):
        if older_than_days < 1:
            raise CommandError("--older-than-days must be at least 1.")
        before = timezone.now() - timedelta(days=older_than_days)
        if dry_run:
            count = AuditEntry.objects.filter(created_at__lt=before).count()
            self.stdout.write(f"Would remove {count} audit entries older than {before:%Y-%m-%d}.")
            return
        verified = audit_verify()
        if not verified.ok:
            raise CommandError(
                f"Refusing to purge a broken chain (entry #{verified.first_broken_id}: "
                f"{verified.reason}). Investigate with verify_audit_log first.",
                returncode=1,
            )
        with transaction.atomic():
            result = audit_purge(before=before)
        if not result.removed:
            self.stdout.write("No audit entry old enough to remove.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed {result.removed} audit entries through #{result.through_id}; "
                "checkpoint recorded."
            )
        )
