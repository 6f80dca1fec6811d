from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ops.progress import ModelBars, add_language_option, operator_language
from privacy.rotation.services import blind_indexes_reindex


def uniqueness_note() -> str:
    return _(
        "Tant que PRIVACY_BLIND_INDEX_PREVIOUS_KEY est définie, les contraintes d’unicité de "
        "la base sur les index aveugles ne comparent que les empreintes d’une même clé (une "
        "ligne pas encore réindexée n’entre pas en conflit avec une nouvelle ligne de même "
        "valeur); les vérifications de l’application qui passent par blind_index_filter() "
        "voient les deux clés."
    )


class Command(BaseCommand):
    help = gettext_lazy(
        "Recalcule, par lots, chaque index aveugle qui n’est pas calculé sous "
        "PRIVACY_BLIND_INDEX_KEY, à partir de la valeur déchiffrée (sans la rechiffrer). Peut "
        "être interrompue et relancée. Se termine par le nombre d’index sous chaque clé : "
        "quand aucun ne reste sous l’ancienne clé, PRIVACY_BLIND_INDEX_PREVIOUS_KEY peut être "
        "retirée."
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
        add_language_option(parser)

    def handle(self, *args, batch_size: int, **options):
        with operator_language(options):
            self.run(batch_size)

    def run(self, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError(_("--batch-size doit être au moins 1."))
        progress = ModelBars(self.stdout, unit=_("lignes"))
        self.stdout.write(uniqueness_note())
        report = blind_indexes_reindex(batch_size=batch_size, progress=progress)
        progress.finish()
        self.stdout.write(
            _(
                "%(recomputed)s index recalculés dans %(rows)s lignes (%(batches)s lots) : "
                "%(previous)s étaient sous l’ancienne clé, %(neither)s sous aucune des deux "
                "(recalculés à partir de la valeur déchiffrée)."
            )
            % {
                "recomputed": report.recomputed,
                "rows": report.rows,
                "batches": report.batches,
                "previous": report.from_previous,
                "neither": report.from_neither,
            }
        )
        remaining = report.remaining
        for problem in [*remaining.failures, *report.conflicts]:
            self.stderr.write(problem)
        self.stdout.write(_("Index sous chaque clé :"))
        self.stdout.write(
            _("  actuelle (PRIVACY_BLIND_INDEX_KEY) : %(count)s") % {"count": remaining.current}
        )
        if report.previous_key_set:
            self.stdout.write(
                _("  ancienne (PRIVACY_BLIND_INDEX_PREVIOUS_KEY) : %(count)s")
                % {"count": remaining.previous}
            )
        else:
            self.stdout.write(_("  ancienne : aucune PRIVACY_BLIND_INDEX_PREVIOUS_KEY définie"))
        self.stdout.write(_("  aucune des deux : %(count)s") % {"count": remaining.neither})
        if remaining.failures:
            raise CommandError(
                _(
                    "%(count)s valeurs n’ont pas pu être déchiffrées; leurs index sont restés tels "
                    "quels. Corrigez-les avant de retirer PRIVACY_BLIND_INDEX_PREVIOUS_KEY."
                )
                % {"count": len(remaining.failures)}
            )
        if report.conflicts:
            raise CommandError(
                _(
                    "%(count)s index enfreindraient une contrainte d’unicité : deux lignes "
                    "tiennent la même valeur. Réglez les doublons, puis relancez la commande."
                )
                % {"count": len(report.conflicts)}
            )
        if remaining.previous or remaining.neither:
            raise CommandError(
                _("%(count)s index ne sont pas sous la clé actuelle : relancez la commande.")
                % {"count": remaining.previous + remaining.neither}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Tous les index sont sous la clé actuelle; PRIVACY_BLIND_INDEX_PREVIOUS_KEY "
                    "peut être retirée."
                )
            )
        )
