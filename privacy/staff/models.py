"""What staff must accept before the admin opens: the confidentiality
agreement (P26) and the current procedures (P27), each versioned in FR and EN."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from privacy.private_model import PrivateModel


class StaffDocument(models.Model):
    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("Entente de confidentialité")
        PROCEDURES = "procedures", _("Politiques et procédures")

    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    text_fr = models.TextField(_("texte (français)"))
    text_en = models.TextField(_("texte (anglais)"))
    effective_at = models.DateTimeField(_("en vigueur à compter du"), default=timezone.now)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("document à l’intention du personnel")
        verbose_name_plural = _("documents à l’intention du personnel")
        ordering = ("kind", "-version")
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="privacy_staffdoc_version"),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="privacy_staffdoc_version_gte1"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["agreement", "procedures"]), name="privacy_staffdoc_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    @property
    def text(self) -> str:
        """The text in the active language (French is the source)."""
        return self.text_en if (get_language() or "fr").startswith("en") else self.text_fr


class StaffDocumentAcceptance(PrivateModel):
    """A staff member accepted (agreement) or acknowledged (procedures) a version."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre du personnel"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    document = models.ForeignKey(
        StaffDocument,
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    accepted_at = models.DateTimeField(_("accepté le"), default=timezone.now)

    class Meta:
        verbose_name = _("acceptation par le personnel")
        verbose_name_plural = _("acceptations par le personnel")
        ordering = ("-accepted_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["user", "document"], name="privacy_staffdoc_accept_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.document)
