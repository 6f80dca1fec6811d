"""Retention: the purge ledger (proof of destruction) and legal holds.

The ledger records what a purge did (model, action, counts, window, cutoff)
and never a destroyed value.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.private_model import PrivateModel


class RetentionRun(models.Model):
    """One purge run: when, who or what started it, and how it ended."""

    class Status(models.TextChoices):
        RUNNING = "running", _("en cours")
        PAUSED = "paused", _("en pause (reprise planifiée)")
        FINISHED = "finished", _("terminée")
        INTERRUPTED = "interrupted", _("interrompue")

    # Who or what started a run: a staff account id, or one of these.
    BY_BEAT = "beat"
    BY_COMMAND = "command"

    started = models.DateTimeField(_("début"), default=timezone.now)
    finished = models.DateTimeField(_("fin"), null=True, blank=True)
    started_by = models.CharField(
        _("lancée par"),
        max_length=64,
        help_text=_("« beat » (planification), « command » (opérateur) ou l’id d’un compte."),
    )
    dry_run = models.BooleanField(_("simulation"), default=False)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.RUNNING
    )
    model_label = models.CharField(
        _("modèle visé"), max_length=100, blank=True, help_text=_("Vide : tous les modèles.")
    )
    batch_size = models.PositiveIntegerField(_("taille des lots"))

    class Meta:
        verbose_name = _("purge de conservation")
        verbose_name_plural = _("purges de conservation")
        ordering = ["-started"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finished__isnull=True) | Q(finished__gte=models.F("started")),
                name="privacy_retentionrun_finished_after_started",
            ),
            models.CheckConstraint(
                condition=Q(batch_size__gt=0), name="privacy_retentionrun_batch_size_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.started):%Y-%m-%d %H:%M} ({self.get_status_display()})"


class RetentionRunLine(models.Model):
    """What one run did to one model: counts and the window applied, never values."""

    # Not stored: what the line should reach in this task, for progress reports
    # (privacy.retention.engine sets it; done/total).
    to_do: int

    class Action(models.TextChoices):
        DELETE = "delete", _("suppression")
        ANONYMISE = "anonymise", _("anonymisation")

    run = models.ForeignKey(
        RetentionRun, on_delete=models.PROTECT, related_name="lines", verbose_name=_("purge")
    )
    model_label = models.CharField(_("modèle"), max_length=100)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    starts_from = models.CharField(_("date de départ du délai"), max_length=100)
    window = models.DurationField(_("délai de conservation"))
    cutoff = models.DateTimeField(
        _("date limite"), help_text=_("Les lignes dont le délai a commencé avant sont visées.")
    )
    count = models.PositiveBigIntegerField(
        _("lignes traitées"),
        default=0,
        help_text=_("Supprimées ou anonymisées (ou qui le seraient, en simulation)."),
    )
    held = models.PositiveBigIntegerField(_("lignes retenues (blocage légal)"), default=0)
    blocked = models.PositiveBigIntegerField(
        _("lignes refusées (cascade)"),
        default=0,
        help_text=_(
            "Leur suppression effacerait en cascade des données qui suivent leur propre règle."
        ),
    )
    deferred = models.PositiveBigIntegerField(
        _("lignes reportées (verrouillées)"),
        default=0,
        help_text=_("Verrouillées par une autre transaction : reprises à la prochaine purge."),
    )
    keys_destroyed = models.PositiveBigIntegerField(
        _("clés de données détruites"),
        default=0,
        help_text=_(
            "Clés des personnes supprimées (privacy/keystore) : leurs valeurs deviennent "
            "illisibles partout, sauvegardes comprises."
        ),
    )
    cascaded = models.JSONField(
        _("suppressions en cascade"),
        default=dict,
        blank=True,
        help_text=_("Nombre de lignes liées supprimées avec elles, par modèle."),
    )
    finished = models.BooleanField(_("terminé"), default=False)

    class Meta:
        verbose_name = _("ligne de purge")
        verbose_name_plural = _("lignes de purge")
        ordering = ["run", "model_label"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "model_label"], name="privacy_retentionrunline_one_per_model"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model_name} : {self.get_action_display()} {self.count}"

    @property
    def model_name(self) -> str:
        """What staff call the rows ("membres"), not the model's label ("members.Member")."""
        from django.apps import apps

        try:
            return str(apps.get_model(self.model_label)._meta.verbose_name_plural)
        except (LookupError, ValueError):
            return self.model_label


class AnonymisationRecord(models.Model):
    """Quebec's anonymisation regulation: purpose, date and method, per model and run."""

    line = models.OneToOneField(
        RetentionRunLine,
        on_delete=models.PROTECT,
        related_name="anonymisation",
        verbose_name=_("ligne de purge"),
    )
    performed = models.DateTimeField(_("date de l’anonymisation"), default=timezone.now)
    purpose = models.TextField(_("fins de la conservation des données anonymisées"))
    method = models.TextField(_("méthode d’anonymisation"))
    fields = models.JSONField(_("champs effacés"), default=list)

    class Meta:
        verbose_name = _("registre d’anonymisation")
        verbose_name_plural = _("registre d’anonymisation")
        ordering = ["-performed"]

    def __str__(self) -> str:
        return f"{self.line.model_label} {self.performed:%Y-%m-%d}"


class LegalHoldQuerySet(models.QuerySet):
    def active(self, at=None) -> "LegalHoldQuerySet":
        """Holds in force at ``at`` (now by default)."""
        at = at or timezone.now()
        return self.filter(Q(ends__isnull=True) | Q(ends__gt=at), starts__lte=at)


class LegalHold(PrivateModel):
    """Keeps a person's rows past their window while it lasts (open request, recourse...)."""

    class Kind(models.TextChoices):
        EXPLICIT = "explicit", _("blocage explicite")
        PRIVACY_REQUEST = "privacy_request", _("demande d’accès, de rectification ou de retrait")
        RECOURSE = "recourse", _("recours")

    # SET_NULL: a deleted account leaves the proof that a hold applied, with no one in it.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="legal_holds",
        verbose_name=_("compte visé"),
    )
    kind = models.CharField(_("nature"), max_length=16, choices=Kind.choices)
    reason = models.TextField(_("motif"))
    starts = models.DateTimeField(_("début"), default=timezone.now)
    ends = models.DateTimeField(
        _("fin prévue"), null=True, blank=True, help_text=_("Vide : jusqu’à sa levée.")
    )
    # Releasing a hold ends it now: ``ends`` is then the release time.
    released = models.DateTimeField(_("levé le"), null=True, blank=True)
    source_id = models.CharField(
        _("référence de l’origine"),
        max_length=64,
        blank=True,
        help_text=_("Par exemple la référence de la demande qui a placé le blocage."),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placé par"),
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("levé par"),
    )

    # Its own queryset (active()) rather than PrivateModel's manager: no field of a hold
    # is encrypted, so nothing here needs the private queryset's refusals.
    objects = LegalHoldQuerySet.as_manager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("blocage légal")
        verbose_name_plural = _("blocages légaux")
        ordering = ["-starts"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="privacy_legalhold_has_reason"),
            models.CheckConstraint(
                condition=~Q(kind="explicit") | Q(ends__isnull=False),
                name="privacy_legalhold_explicit_has_end",
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                name="privacy_legalhold_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(released__isnull=True) | Q(ends__lte=models.F("released")),
                name="privacy_legalhold_released_has_ended",
            ),
            models.UniqueConstraint(
                fields=["kind", "source_id"],
                condition=Q(released__isnull=True) & ~Q(source_id=""),
                name="privacy_legalhold_one_open_per_source",
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "released"], name="privacy_legalhold_subject"),
            # The retention purge walks rows by (start date, pk).
            models.Index(fields=["ends", "id"], name="privacy_legalhold_purge"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.starts:%Y-%m-%d})"

    def in_force(self, at=None) -> bool:
        """Same test as ``LegalHold.objects.active()``, on a loaded row."""
        at = at or timezone.now()
        return self.starts <= at and (self.ends is None or self.ends > at)
