from django.core.management.base import BaseCommand, CommandError

from privacy.rotation.selectors import UNKNOWN_KEY
from privacy.rotation.services import RotationProgress, encryption_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt, in batches, every encrypted value not sealed by the primary (first) key "
        "of PRIVACY_ENCRYPTION_KEYS. Safe to interrupt and rerun. Ends with the number of "
        "values under each key id: a key holding none can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=1000,
            help="Rows per batch; each batch is its own transaction (default 1000).",
        )

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")

        def progress(step: RotationProgress) -> None:
            self.stdout.write(
                f"{step.model}: batch {step.batch}, {step.rows} rows, {step.values} values "
                f"re-encrypted ({step.rows_so_far} rows so far)"
            )

        report = encryption_keys_rotate(batch_size=batch_size, progress=progress)
        self.stdout.write(
            f"Re-encrypted {report.values} values in {report.rows} rows "
            f"({report.batches} batches) under key {report.primary_key_id!r}."
        )
        for failure in report.failures:
            self.stderr.write(failure)
        self.stdout.write("Values remaining under each key id:")
        for key_id, count in sorted(report.remaining.items()):
            role = " (primary)" if key_id == report.primary_key_id else ""
            if key_id == UNKNOWN_KEY:
                key_id = "? (key ids not in PRIVACY_ENCRYPTION_KEYS)"
            self.stdout.write(f"  {key_id}{role}: {count}")
        if report.failures:
            raise CommandError(
                f"{len(report.failures)} values could not be decrypted; they were left as they "
                "are. Keep their keys until they are fixed."
            )
        retired = [k for k, n in report.remaining.items() if k != report.primary_key_id and n]
        if retired:
            raise CommandError(f"Values remain under {sorted(retired)}: run the command again.")
        self.stdout.write(
            self.style.SUCCESS("Every value is under the primary key; older keys can be removed.")
        )
