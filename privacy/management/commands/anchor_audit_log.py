from django.core.management.base import BaseCommand, CommandError

from privacy.audit.anchors import (
    AnchorKeyError,
    AnchorRefused,
    anchor_file_path,
    audit_anchor_write,
    public_key_text,
    signing_key,
)


class Command(BaseCommand):
    help = (
        "Sign the audit chain's head now (Celery beat does it every "
        "AUDIT_ANCHOR_INTERVAL_MINUTES) and append it to AUDIT_ANCHOR_DIR and the log."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-public-key",
            action="store_true",
            help="Print the public key that verifies the anchors (keep it with the backups).",
        )

    def handle(self, *args, print_public_key, **options):
        try:
            if print_public_key:
                self.stdout.write(public_key_text(signing_key().public_key()))
                return
            anchor = audit_anchor_write(reason="manual")
        except AnchorKeyError as error:
            raise CommandError(str(error), returncode=2) from None
        except AnchorRefused as error:
            raise CommandError(
                f"Audit log BROKEN, no anchor signed over it: {error}", returncode=1
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Anchor signed: head #{anchor.head_id} ({anchor.entries} entries) "
                f"appended to {anchor_file_path()}."
            )
        )
