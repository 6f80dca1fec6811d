"""manage.py import_coverage FILE.csv [--kind K] [--dry-run] [--skip-invalid] [--language L]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coverage.feed import KINDS, coverage_import
from ops.progress import ProgressBar, add_language_option, operator_language


class Command(BaseCommand):
    help = gettext_lazy(
        "Importe le fichier de l’assureur (régimes, garanties, membres, adhésions ou "
        "demandes de règlement) à partir d’un CSV en UTF-8. Voir docs/insurer-feed.md."
    )  # type: ignore[assignment]  # translated when printed

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--kind",
            choices=sorted(KINDS),
            help=gettext_lazy("Type de fichier (deviné d’après l’en-tête)."),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Valider et compter, sans rien modifier."),
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=gettext_lazy(
                "Importer les lignes valides même si d’autres sont invalides (elles sont listées)."
            ),
        )
        parser.add_argument("--chunk-size", type=int, default=None)
        add_language_option(parser)

    def handle(self, *args, **options):
        with operator_language(options):
            self.run(options)

    def run(self, options) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("Fichier introuvable : %(path)s") % {"path": path})
        size = max(path.stat().st_size, 1)
        bar = None

        with path.open("rb") as stream:

            def progress(lines: int) -> None:
                nonlocal bar
                if options["verbosity"] < 1:
                    return
                if bar is None:
                    bar = ProgressBar(self.stderr, label=path.name, total=None, unit=_("lignes"))
                # The total is estimated from the share of the file read so far.
                read = max(stream.tell(), 1)
                bar.total = lines if read >= size else max(int(lines * size / read), lines)
                bar.update(lines)

            report = coverage_import(
                stream=stream,
                kind=options["kind"],
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                chunk_size=options["chunk_size"],
                progress=progress,
            )
        if bar is not None:
            bar.total = report.lines
            bar.finish()
        if report.file_error:
            raise CommandError(report.file_error)
        for line, message in report.errors:
            self.stderr.write(_("Ligne %(line)s, %(message)s") % {"line": line, "message": message})
        if report.error_count > len(report.errors):
            self.stderr.write(
                _("… et %(count)s autres erreurs.")
                % {"count": report.error_count - len(report.errors)}
            )
        counts = {
            "kind": report.kind,
            "lines": report.lines,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "invalid": report.invalid,
        }
        if report.applied:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Importé. %(kind)s : %(lines)s lignes lues; %(created)s créées, "
                        "%(updated)s mises à jour, %(unchanged)s inchangées, %(invalid)s "
                        "invalides (non importées)."
                    )
                    % counts
                )
            )
        elif report.dry_run:
            self.stdout.write(
                _(
                    "Simulation : rien n’a été modifié. %(kind)s : %(lines)s lignes lues; "
                    "à l’import : %(created)s à créer, %(updated)s à mettre à jour, "
                    "%(unchanged)s inchangées, %(invalid)s invalides."
                )
                % counts
            )
        else:
            # Counts of what the file would do once fixed: nothing was created.
            raise CommandError(
                _(
                    "Rien n’a été importé : lignes invalides : %(invalid)s (corrigez-les, ou "
                    "utilisez --skip-invalid pour importer les lignes valides). %(kind)s : "
                    "%(lines)s lignes lues; une fois corrigé : %(created)s à créer, "
                    "%(updated)s à mettre à jour, %(unchanged)s inchangées."
                )
                % counts
            )
