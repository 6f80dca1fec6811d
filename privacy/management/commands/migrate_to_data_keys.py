from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ops.progress import ModelBars, add_language_option, operator_language
from privacy.rotation.data_keys import data_keys_migrate


class Command(BaseCommand):
    help = gettext_lazy(
        "Rechiffre, par lots, sous la clé de données de chaque personne (jetons v2) les "
        "valeurs de ses lignes encore scellées par la clé maîtresse (jetons v1). Peut être "
        "interrompue et relancée; les deux versions restent lisibles pendant la migration. "
        "Se termine par le nombre de valeurs par version de jeton."
    )  # type: ignore[assignment]  # translated when printed

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help=gettext_lazy("Lignes par lot; chaque lot est sa propre transaction (500)."),
        )
        add_language_option(parser)

    def handle(self, *args, batch_size: int, **options):
        with operator_language(options):
            self.run(batch_size)

    def run(self, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError(_("--batch-size doit être au moins 1."))
        progress = ModelBars(self.stdout, unit=_("lignes"))
        report = data_keys_migrate(batch_size=batch_size, progress=progress)
        progress.finish()
        self.stdout.write(
            _(
                "%(values)s valeurs rechiffrées sous la clé de leur personne dans %(rows)s "
                "lignes (%(batches)s lots)."
            )
            % {"values": report.values, "rows": report.rows, "batches": report.batches}
        )
        for failure in report.failures:
            self.stderr.write(failure)
        self.stdout.write(_("Valeurs par version de jeton :"))
        for version in ("v1", "v2", "other"):
            label = _("autre") if version == "other" else version
            self.stdout.write(f"  {label}: {report.versions.get(version, 0)}")
        if report.failures:
            raise CommandError(
                _("%(count)s valeurs n’ont pas pu être déchiffrées; elles sont restées en v1.")
                % {"count": len(report.failures)}
            )
        if report.versions.get("v1"):
            raise CommandError(_("Des valeurs restent en v1 : relancez la commande."))
        self.stdout.write(
            self.style.SUCCESS(_("Toutes les valeurs sont sous la clé de leur personne (v2)."))
        )
