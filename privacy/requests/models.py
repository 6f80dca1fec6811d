"""Privacy-rights requests: access, correction and deletion (Law 25, s. 27-32).

A request is the member's, identified to them and to staff by a reference
(``DPR-2026-000123``); its lifecycle is moved only by
``privacy.requests.services``. Everything said to or by the member is kept
and never edited: messages, status history, the decision and its reasons.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.fields import EncryptedBinaryField, EncryptedTextField
from privacy.private_model import PrivateModel


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Accès à mes renseignements")
    CORRECTION = "correction", _("Rectification de mes renseignements")
    DELETION = "deletion", _("Suppression de mes renseignements")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Reçue")
    IN_REVIEW = "in_review", _("En traitement")
    WAITING_MEMBER = "waiting_member", _("En attente de votre réponse")
    APPROVED = "approved", _("Acceptée")
    REFUSED = "refused", _("Refusée")
    FULFILLED = "fulfilled", _("Exécutée")
    CLOSED = "closed", _("Fermée")


# A member may have one request of each kind in these statuses at a time.
OPEN_STATUSES = (
    RequestStatus.SUBMITTED,
    RequestStatus.IN_REVIEW,
    RequestStatus.WAITING_MEMBER,
    RequestStatus.APPROVED,
)
# The deadline runs until the answer is given (fulfilled or refused).
PENDING_STATUSES = OPEN_STATUSES


class PrivacyRequestSequence(models.Model):
    """The last reference number given each year (DPR-YYYY-NNNNNN)."""

    year = models.PositiveIntegerField(_("année"), unique=True)
    last = models.PositiveIntegerField(_("dernier numéro"), default=0)

    class Meta:
        verbose_name = _("séquence des références de demandes")
        verbose_name_plural = _("séquences des références de demandes")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class PrivacyRequest(PrivateModel):
    reference = models.CharField(_("référence"), max_length=20, unique=True, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="privacy_requests",
        verbose_name=_("membre"),
    )
    kind = models.CharField(_("type de demande"), max_length=16, choices=RequestKind.choices)
    status = models.CharField(
        _("statut"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    details = EncryptedTextField(_("précisions du membre"), blank=True, default="")
    submitted_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    due_on = models.DateField(_("date limite de réponse"))
    extended_due_on = models.DateField(_("date limite prolongée"), null=True, blank=True)
    extension_reason = EncryptedTextField(_("motifs de la prolongation"), blank=True, default="")
    extended_at = models.DateTimeField(_("prolongée le"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_privacy_requests",
        verbose_name=_("responsable du traitement"),
    )
    decision_reasons = EncryptedTextField(_("motifs de la décision"), blank=True, default="")
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("exécutée le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)
    # What the member was shown before confirming a deletion: per model, what
    # is erased and what is kept and why. Counts and dates, never values.
    deletion_plan = models.JSONField(_("plan de suppression"), null=True, blank=True)

    class Meta:
        verbose_name = _("demande relative aux renseignements personnels")
        verbose_name_plural = _("demandes relatives aux renseignements personnels")
        ordering = ["-submitted_at"]
        permissions = [
            ("triage_privacyrequest", _("Peut traiter les demandes et en voir le contenu")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind"],
                condition=Q(status__in=OPEN_STATUSES),
                name="privacy_request_one_open_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RequestKind.values), name="privacy_request_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="privacy_request_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(extended_due_on__isnull=True)
                | Q(extended_due_on__gt=models.F("due_on")),
                name="privacy_request_extension_after_due",
            ),
            models.CheckConstraint(
                condition=Q(extended_due_on__isnull=True, extended_at__isnull=True)
                | Q(extended_due_on__isnull=False, extended_at__isnull=False),
                name="privacy_request_extension_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.CLOSED) | Q(closed_at__isnull=False),
                name="privacy_request_closed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"], name="privacy_request_queue"),
            # The retention purge walks closed requests in this order.
            models.Index(fields=["closed_at", "id"], name="privacy_request_closed"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def effective_due_on(self) -> date:
        return self.extended_due_on or self.due_on

    @property
    def is_pending(self) -> bool:
        """Still waiting for an answer: the deadline runs."""
        return self.status in PENDING_STATUSES

    def days_left(self, today: date | None = None) -> int:
        today = today or timezone.localdate()
        return (self.effective_due_on - today).days

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_pending and self.days_left(today) < 0

    @property
    def refused_items(self) -> list:
        """The correction items refused: a partial refusal, with its own recourse."""
        if self.kind != RequestKind.CORRECTION:
            return []
        return [i for i in self.correction_items.all() if i.decision == "refused"]

    @property
    def has_refusal(self) -> bool:
        """Refused in whole or in part: the answer must give the member their recourse."""
        if self.status == RequestStatus.REFUSED or self.refused_items:
            return True
        return self.events.filter(to_status=RequestStatus.REFUSED).exists()


class EventKind(models.TextChoices):
    STATUS = "status", _("changement de statut")
    EXTENSION = "extension", _("prolongation du délai")


class PrivacyRequestEvent(PrivateModel):
    """One line of the timeline the member sees: a status change or an extension."""

    request = models.ForeignKey(
        PrivacyRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("demande")
    )
    kind = models.CharField(
        _("nature"), max_length=16, choices=EventKind.choices, default=EventKind.STATUS
    )
    from_status = models.CharField(
        _("statut précédent"), max_length=16, choices=RequestStatus.choices, blank=True
    )
    to_status = models.CharField(_("nouveau statut"), max_length=16, choices=RequestStatus.choices)
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )

    class Meta:
        verbose_name = _("étape d’une demande")
        verbose_name_plural = _("étapes des demandes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class PrivacyRequestMessage(PrivateModel):
    """A message between staff and the member. Never edited, never deleted."""

    request = models.ForeignKey(
        PrivacyRequest,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("demande"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    from_member = models.BooleanField(_("écrit par le membre"), default=False)
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now)

    class Meta:
        verbose_name = _("message d’une demande")
        verbose_name_plural = _("messages des demandes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.created_at:%Y-%m-%d %H:%M}"


class PrivacyRequestNote(PrivateModel):
    """An internal note: staff only, never shown to the member."""

    request = models.ForeignKey(
        PrivacyRequest, on_delete=models.CASCADE, related_name="notes", verbose_name=_("demande")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    body = EncryptedTextField(_("note"))
    created_at = models.DateTimeField(_("écrite le"), default=timezone.now)

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.created_at:%Y-%m-%d %H:%M}"


class CorrectionDecision(models.TextChoices):
    PENDING = "pending", _("À décider")
    APPROVED = "approved", _("Acceptée")
    REFUSED = "refused", _("Refusée")


class CorrectionItem(PrivateModel):
    """One field the member asks to correct, on one of their records."""

    request = models.ForeignKey(
        PrivacyRequest,
        on_delete=models.CASCADE,
        related_name="correction_items",
        verbose_name=_("demande"),
    )
    model_label = models.CharField(_("modèle"), max_length=100)
    object_id = models.CharField(_("identifiant de la fiche"), max_length=64)
    field_name = models.CharField(_("champ"), max_length=100)
    current_value = EncryptedTextField(_("valeur actuelle"), blank=True, default="")
    proposed_value = EncryptedTextField(_("valeur proposée"), blank=True, default="")
    decision = models.CharField(
        _("décision"),
        max_length=16,
        choices=CorrectionDecision.choices,
        default=CorrectionDecision.PENDING,
    )
    decision_reason = EncryptedTextField(_("motifs de la décision"), blank=True, default="")
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décidée par"),
    )
    applied_at = models.DateTimeField(_("appliquée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("rectification demandée")
        verbose_name_plural = _("rectifications demandées")
        ordering = ["model_label", "field_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "model_label", "object_id", "field_name"],
                name="privacy_correction_item_once_per_field",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=CorrectionDecision.values),
                name="privacy_correction_item_decision_valid",
            ),
            models.CheckConstraint(
                condition=Q(applied_at__isnull=True) | Q(decision=CorrectionDecision.APPROVED),
                name="privacy_correction_item_applied_only_if_approved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model_label}.{self.field_name}"


class SupportingDocument(PrivateModel):
    """The optional document a member attaches to a correction request."""

    request = models.OneToOneField(
        PrivacyRequest,
        on_delete=models.CASCADE,
        related_name="supporting_document",
        verbose_name=_("demande"),
    )
    filename = EncryptedTextField(_("nom du fichier"), blank=True, default="")
    content_type = models.CharField(_("type de fichier"), max_length=40)
    size = models.PositiveIntegerField(_("taille (octets)"))
    content = EncryptedBinaryField(_("contenu"))
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")

    def __str__(self) -> str:
        return f"{self.request_id} ({self.content_type})"


class ExportArchive(PrivateModel):
    """The access export of one request: a ZIP, sealed at rest, then purged."""

    request = models.OneToOneField(
        PrivacyRequest, on_delete=models.CASCADE, related_name="export", verbose_name=_("demande")
    )
    content = EncryptedBinaryField(_("archive"))
    size = models.PositiveIntegerField(_("taille (octets)"))
    created_at = models.DateTimeField(_("préparée le"), default=timezone.now)
    released_at = models.DateTimeField(_("remise le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"))
    downloaded_at = models.DateTimeField(_("premier téléchargement"), null=True, blank=True)
    download_count = models.PositiveIntegerField(_("téléchargements"), default=0)
    # Values withheld because they are about someone else: where, and why.
    severed = models.JSONField(_("retranchements"), default=list, blank=True)

    class Meta:
        verbose_name = _("exportation de renseignements")
        verbose_name_plural = _("exportations de renseignements")
        constraints = [
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(expires_at__gt=models.F("released_at")),
                name="privacy_export_expires_after_release",
            ),
        ]
        # The purge (ours and the retention engine's) walks archives by expiry.
        indexes = [models.Index(fields=["expires_at", "id"], name="privacy_export_expiry")]

    def __str__(self) -> str:
        return f"{self.request_id}"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class PrivacyRequestStatus(PrivacyRequest):
    """What member services may see of a request: that it exists, and its status."""

    class Meta:
        proxy = True
        verbose_name = _("état d’une demande")
        verbose_name_plural = _("états des demandes")
