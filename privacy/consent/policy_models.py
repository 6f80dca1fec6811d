"""Published versions of the privacy policy and of the cookie policy.

A published version is never edited: a change is a new version, which makes
the consent banner ask again and shows signed-in members what changed.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from privacy.private_model import PrivateModel


class PolicyKind(models.TextChoices):
    PRIVACY = "privacy-policy", _("Politique de confidentialité")
    COOKIES = "cookie-policy", _("Politique relative aux témoins")


class PolicyVersion(models.Model):
    kind = models.CharField(_("politique"), max_length=20, choices=PolicyKind.choices)
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("publiée le"))
    text_fr = models.TextField(_("texte (français)"))
    text_en = models.TextField(_("texte (anglais)"))
    changes_fr = models.TextField(_("résumé des changements (français)"), blank=True)
    changes_en = models.TextField(_("résumé des changements (anglais)"), blank=True)

    class Meta:
        verbose_name = _("version de politique")
        verbose_name_plural = _("versions de politique")
        ordering = ("kind", "-version")
        constraints = [
            models.UniqueConstraint(
                fields=("kind", "version"), name="privacy_policyversion_kind_version_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="privacy_policyversion_version_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=PolicyKind.values),
                name="privacy_policyversion_kind_valid",
            ),
            # Every version after the first says what changed, in both languages.
            models.CheckConstraint(
                condition=models.Q(version=1)
                | (~models.Q(changes_fr="") & ~models.Q(changes_en="")),
                name="privacy_policyversion_changes_described",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"

    def text_for(self, language: str) -> str:
        return self.text_en if language == "en" and self.text_en else self.text_fr

    def changes_for(self, language: str) -> str:
        return self.changes_en if language == "en" and self.changes_en else self.changes_fr


class PolicyAcknowledgement(PrivateModel):
    """A signed-in member has read what changed in a new policy version."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="policy_acknowledgements",
        verbose_name=_("compte"),
    )
    policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("version de politique"),
    )
    acknowledged_at = models.DateTimeField(_("prise de connaissance le"))

    class Meta:
        verbose_name = _("prise de connaissance d’une politique")
        verbose_name_plural = _("prises de connaissance de politiques")
        constraints = [
            models.UniqueConstraint(
                fields=("user", "policy_version"),
                name="privacy_policyacknowledgement_once_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_version} ({self.acknowledged_at:%Y-%m-%d})"
