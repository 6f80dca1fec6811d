"""``manage.py purge_expired``: the retention purge, by hand, with progress."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.progress import ProgressBar, add_language_option, operator_language
from privacy.retention.api import RetentionPurgeBusy, RetentionPurgeError, retention_purge
from privacy.retention.lease import Holder, LeaseLost
from privacy.retention.models import RetentionRun, RetentionRunLine


def busy_message(holder: Holder | None) -> str:
    """Who holds the lock, since when, and when to retry: never just "later"."""
    if holder is None:
        return _("Une autre purge est en cours; réessayez dans quelques minutes.")
    return _(
        "Une autre purge est en cours sur %(host)s (processus %(pid)s) depuis le %(since)s. "
        "Si elle s’est arrêtée, son verrou expire au plus tard le %(retry)s : réessayez à "
        "ce moment. Si son processus a disparu sans libérer le verrou (machine arrêtée, "
        "processus bloqué), relancez avec --take-over."
    ) % {
        "host": holder.hostname,
        "pid": holder.pid,
        "since": f"{timezone.localtime(holder.since):%Y-%m-%d %H:%M:%S}",
        "retry": f"{timezone.localtime(holder.retry_at):%Y-%m-%d %H:%M:%S}",
    }


class Command(BaseCommand):
    help = _(
        "Supprime ou anonymise les données dont le délai de conservation est écoulé "
        "et affiche, par modèle, les nombres et le délai appliqué."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Compter seulement : rien n’est modifié."),
        )
        parser.add_argument(
            "--model", default="", metavar="LABEL", help=_("Un seul modèle (app_label.Model).")
        )
        parser.add_argument(
            "--batch-size", type=int, default=None, metavar="N", help=_("Lignes par lot.")
        )
        parser.add_argument(
            "--take-over",
            action="store_true",
            help=_(
                "Remplacer le verrou d’une purge dont le processus a disparu (machine arrêtée, "
                "processus bloqué). La reprise est consignée au journal d’audit."
            ),
        )
        add_language_option(parser)

    def handle(self, *args, **options):
        with operator_language(options):
            self.run(**options)

    def run(
        self,
        *,
        dry_run: bool,
        model: str,
        batch_size: int | None,
        take_over: bool = False,
        **options,
    ):
        if batch_size is not None and batch_size < 1:
            raise CommandError(_("--batch-size doit être positif."))
        self.bar: ProgressBar | None = None
        try:
            run = retention_purge(
                started_by=RetentionRun.BY_COMMAND,
                dry_run=dry_run,
                model_label=model,
                batch_size=batch_size,
                progress=self.progress,
                take_over=take_over,
            )
        except RetentionPurgeBusy as busy:
            raise CommandError(busy_message(busy.holder)) from None
        except LeaseLost:
            raise CommandError(
                _(
                    "Une autre purge a repris le verrou : celle-ci s’est arrêtée entre deux lots, "
                    "sans rien laisser à moitié fait."
                )
            ) from None
        except RetentionPurgeError as error:
            raise CommandError(str(error)) from None
        if self.bar is not None:
            self.bar.finish()
        self.report(run)

    def progress(self, line: RetentionRunLine, done: int) -> None:
        """A bar per model on a terminal (done/total, rate, time left); plain lines otherwise."""
        if getattr(line, "to_do", None) == 0:
            return  # nothing to do for this model: no bar
        if self.bar is None or self.bar.label != line.model_label:
            if self.bar is not None:
                self.bar.finish()
            self.bar = ProgressBar(
                self.stdout,
                label=line.model_label,
                total=getattr(line, "to_do", None),
                unit=_("lignes"),
            )
        self.bar.update(line.count)

    def report(self, run: RetentionRun) -> None:
        if run.dry_run:
            self.stdout.write(self.style.WARNING(_("Simulation : aucune donnée n’a été modifiée.")))
        for line in run.lines.all():
            action = line.get_action_display()
            if run.dry_run:
                action = _("%(action)s (simulation)") % {"action": action}
            self.stdout.write(
                _(
                    "%(label)s : %(action)s de %(count)s lignes; délai de %(days)s jours "
                    "depuis « %(field)s », date limite %(cutoff)s; retenues %(held)s, "
                    "refusées %(blocked)s, reportées %(deferred)s"
                )
                % {
                    "label": line.model_label,
                    "action": action,
                    "count": line.count,
                    "days": line.window.days,
                    "field": line.starts_from,
                    "cutoff": f"{timezone.localtime(line.cutoff):%Y-%m-%d %H:%M}",
                    "held": line.held,
                    "blocked": line.blocked,
                    "deferred": line.deferred,
                }
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Purge n° %(id)s : %(status)s.")
                % {"id": run.pk, "status": run.get_status_display()}
            )
        )
