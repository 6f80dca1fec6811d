"""The provider directory and the member's coarse location (kept only with consent)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.fields import EncryptedCharField
from privacy.private_model import PrivateModel

from .records import Member


class Provider(models.Model):
    """A health professional's office: a business, not a person's data."""

    class Kind(models.TextChoices):
        CLINIC = "clinic", _("Clinique médicale")
        DENTIST = "dentist", _("Dentiste")
        PHARMACY = "pharmacy", _("Pharmacie")
        PHYSIOTHERAPY = "physiotherapy", _("Physiothérapie")
        PSYCHOLOGY = "psychology", _("Psychologie")
        OPTOMETRY = "optometry", _("Optométrie")
        CHIROPRACTIC = "chiropractic", _("Chiropratique")

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("adresse"), max_length=200)
    city = models.CharField(_("ville"), max_length=100)
    postal_code = models.CharField(_("code postal"), max_length=7)
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    in_network = models.BooleanField(
        _("dans le réseau dentaire"),
        default=False,
        help_text=_("Les soins dentaires y donnent droit à la bonification du réseau."),
    )
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("fournisseur de soins")
        verbose_name_plural = _("fournisseurs de soins")
        ordering = ["name"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="members_provider_position")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="members_provider_position_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MemberLocation(PrivateModel):
    """A member's coarse area (forward sortation area, e.g. H3B), kept only with consent."""

    # Sealed under the member’s data key (privacy/keystore): destroyed at their deletion.
    data_key_owner = "member_id"

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="location", verbose_name=_("membre")
    )
    area = EncryptedCharField(_("secteur approximatif (RTA)"), max_length=3)
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("secteur du membre")
        verbose_name_plural = _("secteurs des membres")

    def __str__(self) -> str:
        return str(self.pk)
