"""Proof of consent, and the aggregated page counts that analytics consent allows."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.consent.policy_models import PolicyVersion
from privacy.private_model import PrivateModel


class ConsentSource(models.TextChoices):
    BANNER = "banner", _("Bandeau")
    CENTRE = "centre", _("Centre de confidentialité")


class ConsentRecord(PrivateModel):
    """One decision, as given: proof of what a visitor agreed to, when, under which policy.

    Rows are only ever added: a change of mind is a new record. ``consent_id``
    is the random id carried by the visitor's consent cookie; ``user`` is set
    when that visitor signs in.
    """

    consent_id = models.UUIDField(_("identifiant de consentement"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consent_records",
        verbose_name=_("compte"),
    )
    created_at = models.DateTimeField(_("date du choix"), default=timezone.now, db_index=True)
    privacy_policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("version de la politique de confidentialité"),
    )
    cookie_policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("version de la politique relative aux témoins"),
    )
    preferences = models.BooleanField(_("préférences acceptées"))
    analytics = models.BooleanField(_("mesure d’audience acceptée"))
    location = models.BooleanField(_("localisation acceptée"))
    gpc = models.BooleanField(_("signal Global Privacy Control reçu"))
    language = models.CharField(_("langue affichée"), max_length=8)
    source = models.CharField(_("provenance"), max_length=10, choices=ConsentSource.choices)
    ip_prefix = models.CharField(
        _("réseau d’origine (adresse IP tronquée)"),
        max_length=49,
        blank=True,
        help_text=_("IPv4 tronquée à /24, IPv6 à /48 : jamais l’adresse complète."),
    )

    class Meta:
        verbose_name = _("consentement")
        verbose_name_plural = _("consentements")
        ordering = ("-created_at",)
        constraints = [
            # Global Privacy Control is a refusal of preferences and analytics.
            models.CheckConstraint(
                condition=models.Q(gpc=False) | models.Q(preferences=False, analytics=False),
                name="privacy_consentrecord_gpc_refuses",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=ConsentSource.values),
                name="privacy_consentrecord_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consent_id} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def choices(self) -> dict[str, bool]:
        return {
            "preferences": self.preferences,
            "analytics": self.analytics,
            "location": self.location,
        }


class PageCount(models.Model):
    """How many times a page was shown on a day, to visitors who allowed analytics.

    ``path`` is the URL pattern (e.g. ``/fr/contact/``), never an address that
    could carry an id: the counts describe pages, not people.
    """

    path = models.CharField(_("page"), max_length=255)
    day = models.DateField(_("jour"))
    count = models.PositiveBigIntegerField(_("nombre d’affichages"), default=0)

    class Meta:
        verbose_name = _("affichages d’une page")
        verbose_name_plural = _("affichages des pages")
        ordering = ("-day", "path")
        constraints = [
            models.UniqueConstraint(
                fields=("path", "day"), name="privacy_pagecount_path_day_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.path}: {self.count}"
