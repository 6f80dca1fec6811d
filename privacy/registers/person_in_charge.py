"""The person in charge of protecting personal information (Law 25, s. 3.1)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacy.private_model import PrivateModel


class PersonInCharge(PrivateModel):
    """One row at most: whose title and contact details the privacy pages publish."""

    singleton = models.BooleanField(_("unique"), default=True, editable=False, unique=True)
    title_fr = models.CharField(_("titre (français)"), max_length=200)
    title_en = models.CharField(_("titre (anglais)"), max_length=200)
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("adresse courriel"))
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    postal_address = models.TextField(_("adresse postale"), blank=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("personne responsable de la protection des renseignements")
        verbose_name_plural = _("personne responsable de la protection des renseignements")
        constraints = [
            models.CheckConstraint(
                condition=Q(singleton=True), name="privacy_person_in_charge_one"
            ),
        ]

    def __str__(self) -> str:
        return self.title_fr
