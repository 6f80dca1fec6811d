from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ops.progress import ModelBars, add_language_option, operator_language
from privacy.crypto import keyring
from privacy.rotation.selectors import UNKNOWN_KEY
from privacy.rotation.services import encryption_keys_rotate, key_census_take


class Command(BaseCommand):
    help = gettext_lazy(
        "Rechiffre, par lots, chaque valeur chiffrée qui n’est pas scellée par la clé "
        "principale (la première) de PRIVACY_ENCRYPTION_KEYS. Peut être interrompue et "
        "relancée. Se termine par le nombre de valeurs sous chaque clé : une clé qui n’en "
        "tient plus aucune peut être retirée."
    )  # type: ignore[assignment]  # translated when printed

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=1000,
            help=gettext_lazy(
                "Lignes par lot; chaque lot est sa propre transaction (1000 par défaut)."
            ),
        )
        parser.add_argument(
            "--count-only",
            action="store_true",
            help=gettext_lazy(
                "Ne rechiffre rien : compte les valeurs sous chaque clé et enregistre le "
                "décompte que montre la page « état de la rotation des clés »."
            ),
        )
        add_language_option(parser)

    def handle(self, *args, batch_size: int, count_only: bool = False, **options):
        with operator_language(options):
            if count_only:
                self.count()
            else:
                self.run(batch_size)

    def count(self) -> None:
        census = key_census_take()
        self.stdout.write(_("Valeurs sous chaque clé :"))
        self.write_usage(census.usage(), keyring().primary_id)
        self.stdout.write(
            _("%(count)s valeurs sous les clés de données des personnes.")
            % {"count": census.values_under_data_keys}
        )

    def write_usage(self, usage: dict, primary: str) -> None:
        for key_id, count in sorted(usage.items()):
            role = _(" (principale)") if key_id == primary else ""
            if key_id == UNKNOWN_KEY:
                key_id = _("? (clés absentes de PRIVACY_ENCRYPTION_KEYS)")
            self.stdout.write(f"  {key_id}{role}: {count}")

    def run(self, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError(_("--batch-size doit être au moins 1."))
        progress = ModelBars(self.stdout, unit=_("lignes"))
        report = encryption_keys_rotate(batch_size=batch_size, progress=progress)
        progress.finish()
        self.stdout.write(
            _(
                "%(values)s valeurs rechiffrées dans %(rows)s lignes (%(batches)s lots) sous la "
                "clé « %(key)s »."
            )
            % {
                "values": report.values,
                "rows": report.rows,
                "batches": report.batches,
                "key": report.primary_key_id,
            }
        )
        self.stdout.write(
            _("%(count)s clés de données réenveloppées sous la clé « %(key)s ».")
            % {"count": report.data_keys, "key": report.primary_key_id}
        )
        for failure in report.failures:
            self.stderr.write(failure)
        self.stdout.write(_("Valeurs restantes sous chaque clé :"))
        self.write_usage(report.remaining, report.primary_key_id)
        if report.failures:
            raise CommandError(
                _(
                    "%(count)s valeurs n’ont pas pu être déchiffrées; elles sont restées telles "
                    "quelles. Gardez leurs clés jusqu’à ce qu’elles soient corrigées."
                )
                % {"count": len(report.failures)}
            )
        retired = [k for k, n in report.remaining.items() if k != report.primary_key_id and n]
        if retired:
            raise CommandError(
                _("Des valeurs restent sous %(keys)s : relancez la commande.")
                % {"keys": ", ".join(sorted(retired))}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Toutes les valeurs sont sous la clé principale; les anciennes clés peuvent "
                    "être retirées."
                )
            )
        )
