from django.core.management.base import BaseCommand, CommandError

from privacy.rotation.services import ReindexProgress, blind_indexes_reindex

UNIQUENESS_NOTE = (
    "While PRIVACY_BLIND_INDEX_PREVIOUS_KEY is set, the database's unique constraints on "
    "blind indexes only compare digests under one key (a row not yet re-indexed does not "
    "clash with a new row of the same value); application checks that use "
    "blind_index_filter() see both keys."
)


class Command(BaseCommand):
    help = (
        "Recompute, in batches, every blind index not computed under PRIVACY_BLIND_INDEX_KEY, "
        "from the decrypted value (never re-encrypting it). Safe to interrupt and rerun. Ends "
        "with the number of indexes under each key: when none remains under the previous key, "
        "PRIVACY_BLIND_INDEX_PREVIOUS_KEY can be removed."
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

        def progress(step: ReindexProgress) -> None:
            self.stdout.write(
                f"{step.model}: batch {step.batch}, {step.rows} rows, {step.recomputed} indexes "
                f"recomputed ({step.rows_so_far} rows so far)"
            )

        self.stdout.write(UNIQUENESS_NOTE)
        report = blind_indexes_reindex(batch_size=batch_size, progress=progress)
        self.stdout.write(
            f"Recomputed {report.recomputed} indexes in {report.rows} rows "
            f"({report.batches} batches): {report.from_previous} were under the previous key, "
            f"{report.from_neither} under neither key (recomputed from the decrypted value)."
        )
        remaining = report.remaining
        for problem in [*remaining.failures, *report.conflicts]:
            self.stderr.write(problem)
        self.stdout.write("Indexes under each key:")
        self.stdout.write(f"  current (PRIVACY_BLIND_INDEX_KEY): {remaining.current}")
        if report.previous_key_set:
            previous = remaining.previous
            self.stdout.write(f"  previous (PRIVACY_BLIND_INDEX_PREVIOUS_KEY): {previous}")
        else:
            self.stdout.write("  previous: no PRIVACY_BLIND_INDEX_PREVIOUS_KEY set")
        self.stdout.write(f"  neither: {remaining.neither}")
        if remaining.failures:
            raise CommandError(
                f"{len(remaining.failures)} values could not be decrypted; their indexes were left "
                "as they are. Fix them before removing PRIVACY_BLIND_INDEX_PREVIOUS_KEY."
            )
        if report.conflicts:
            raise CommandError(
                f"{len(report.conflicts)} indexes would break a unique constraint: two rows hold "
                "the same value. Resolve the duplicates, then run the command again."
            )
        if remaining.previous or remaining.neither:
            raise CommandError(
                f"{remaining.previous + remaining.neither} indexes are not under the current key: "
                "run the command again."
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Every index is under the current key; PRIVACY_BLIND_INDEX_PREVIOUS_KEY can be "
                "removed."
            )
        )
