"""What a member did, as they see it, and the claim-your-record security log.

Neither holds a personal value typed or shown: kinds, times, coarse device,
truncated network and references only.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.private_model import PrivateModel

from .records import Member


class DeviceFamily(models.TextChoices):
    IPHONE = "iphone", _("iPhone")
    IPAD = "ipad", _("iPad")
    ANDROID = "android", _("Android")
    WINDOWS = "windows", _("Windows")
    MAC = "mac", _("Mac")
    CHROMEOS = "chromeos", _("ChromeOS")
    LINUX = "linux", _("Linux")
    OTHER = "other", _("Autre appareil")


class ActivityEvent(PrivateModel):
    """One thing the member did (or that was done to their account), for their own eyes."""

    class Kind(models.TextChoices):
        SIGN_IN = "sign_in", _("Connexion")
        CLAIM_SUCCEEDED = "claim_succeeded", _("Dossier de membre rattaché à votre compte")
        CLAIM_FAILED = "claim_failed", _("Tentative de rattachement d’un dossier sans succès")
        RECORD_UNLINKED = "record_unlinked", _("Dossier de membre détaché par notre équipe")
        PROFILE_UPDATED = "profile_updated", _("Coordonnées modifiées")
        PREFERENCES_UPDATED = "preferences_updated", _("Préférences de communication modifiées")
        DEPENDANT_ADDED = "dependant_added", _("Personne à charge ajoutée")
        DEPENDANT_UPDATED = "dependant_updated", _("Personne à charge modifiée")
        DEPENDANT_REMOVED = "dependant_removed", _("Personne à charge retirée")
        LOCATION_SAVED = "location_saved", _("Secteur approximatif enregistré")
        LOCATION_FORGOTTEN = "location_forgotten", _("Secteur approximatif effacé")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="activity_events",
        verbose_name=_("compte"),
    )
    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("moment"), default=timezone.now)
    device_family = models.CharField(
        _("type d’appareil"), max_length=20, choices=DeviceFamily.choices, blank=True
    )
    ip_network = models.GenericIPAddressField(_("réseau (adresse tronquée)"), null=True, blank=True)
    object_type = models.CharField(_("type d’objet"), max_length=40, blank=True)
    object_id = models.UUIDField(_("identifiant de l’objet"), null=True, blank=True)
    changed_fields = models.CharField(
        _("champs modifiés"),
        max_length=300,
        blank=True,
        help_text=_("Noms des champs, jamais leurs valeurs."),
    )

    class Meta:
        verbose_name = _("activité du membre")
        verbose_name_plural = _("activités des membres")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["user", "-occurred_at"], name="members_activity_user_time"),
            models.Index(fields=["occurred_at"], name="members_activity_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def changed_field_names(self) -> list[str]:
        return [name for name in self.changed_fields.split(",") if name]


class ClaimAttempt(PrivateModel):
    """Every claim-your-record attempt, for staff: who, when, from which network, outcome.

    The values typed (student number, date of birth) are never stored.
    """

    class Outcome(models.TextChoices):
        CLAIMED = "claimed", _("Rattaché")
        NO_MATCH = "no_match", _("Aucun dossier correspondant")
        ALREADY_CLAIMED = "already_claimed", _("Dossier déjà rattaché à un autre compte")
        ALREADY_LINKED = "already_linked", _("Ce compte a déjà un dossier")
        RATE_LIMITED = "rate_limited", _("Refusé : trop de tentatives")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="claim_attempts",
        verbose_name=_("compte"),
    )
    attempted_at = models.DateTimeField(_("moment"), default=timezone.now)
    ip_network = models.GenericIPAddressField(_("réseau (adresse tronquée)"), null=True, blank=True)
    outcome = models.CharField(_("résultat"), max_length=20, choices=Outcome.choices)
    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claim_attempts",
        verbose_name=_("dossier visé"),
        help_text=_("Seulement quand un dossier correspondait."),
    )

    class Meta:
        verbose_name = _("tentative de rattachement")
        verbose_name_plural = _("tentatives de rattachement")
        ordering = ["-attempted_at"]
        indexes = [models.Index(fields=["attempted_at"], name="members_claimattempt_time")]

    def __str__(self) -> str:
        return (
            f"{self.get_outcome_display()}, {timezone.localtime(self.attempted_at):%Y-%m-%d %H:%M}"
        )
