"""manage.py import_coverage FILE.csv [--kind K] [--dry-run] [--skip-invalid]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from coverage.feed import KINDS, coverage_import


class Command(BaseCommand):
    help = (
        "Import the insurer's feed (plans, benefits, members, enrolments or claims) from a "
        "UTF-8 CSV file. See docs/insurer-feed.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--kind", choices=sorted(KINDS), help="Type of file (guessed from the header)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and count, change nothing."
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid lines even if some are invalid (those are reported).",
        )
        parser.add_argument("--chunk-size", type=int, default=None)

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        verbosity = options["verbosity"]

        def progress(lines: int) -> None:
            if verbosity >= 1:
                self.stderr.write(f"  … {lines:,} lines read")

        with path.open("rb") as stream:
            report = coverage_import(
                stream=stream,
                kind=options["kind"],
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                chunk_size=options["chunk_size"],
                progress=progress,
            )
        if report.file_error:
            raise CommandError(report.file_error)
        for line, message in report.errors:
            self.stderr.write(
                _("Ligne %(line)s : %(message)s") % {"line": line, "message": message}
            )
        if report.error_count > len(report.errors):
            self.stderr.write(f"… and {report.error_count - len(report.errors)} more errors.")
        summary = (
            f"{report.kind}: {report.lines} lines, {report.created} created, "
            f"{report.updated} updated, {report.unchanged} unchanged, {report.invalid} invalid."
        )
        if report.dry_run:
            self.stdout.write(f"Dry run, nothing changed. {summary}")
        elif report.applied:
            self.stdout.write(self.style.SUCCESS(f"Imported. {summary}"))
        else:
            raise CommandError(
                f"Nothing imported: {report.error_count} invalid lines (fix them, or use "
                f"--skip-invalid to import the valid ones). {summary}"
            )
