"""Registers the law and the policy require: processors and third parties with
the disclosures made to them (P19, P20), and confidentiality incidents (Law 25,
s. 3.8; Règlement sur les incidents de confidentialité, s. 11)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.datamap.registry import CATEGORY_LABELS, Category
from privacy.private_model import PrivateModel

CATEGORY_CHOICES = [(category.value, CATEGORY_LABELS[category]) for category in Category]


class Processor(models.Model):
    """A processor acting for us (e.g. the email provider) or another third party."""

    class Kind(models.TextChoices):
        PROCESSOR = "processor", _("Sous-traitant (agit pour notre compte)")
        THIRD_PARTY = "third_party", _("Tiers")

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(
        _("nature"), max_length=20, choices=Kind.choices, default=Kind.PROCESSOR
    )
    purpose = models.TextField(_("fin de la communication"))
    categories = models.JSONField(
        _("catégories de renseignements"),
        default=list,
        blank=True,
        help_text=_("Les seules catégories qui peuvent lui être communiquées."),
    )
    contract_on_file = models.BooleanField(
        _("contrat au dossier"),
        default=False,
        help_text=_("Un contrat l’oblige à protéger les renseignements (P20)."),
    )
    contract_date = models.DateField(_("date du contrat"), null=True, blank=True)
    location = models.CharField(
        _("lieu de conservation"), max_length=200, blank=True, help_text=_("Ville et pays.")
    )
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("sous-traitant ou tiers")
        verbose_name_plural = _("registre des sous-traitants et tiers")
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(contract_on_file=False) | Q(contract_date__isnull=False),
                name="privacy_processor_contract_dated",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["processor", "third_party"]), name="privacy_processor_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Disclosure(PrivateModel):
    """One communication of a member's information to a processor or third party."""

    class LegalBasis(models.TextChoices):
        PROCESSOR_MANDATE = "processor_mandate", _("Mandat à un sous-traitant, sous contrat")
        CONSENT = "consent", _("Consentement de la personne")
        REQUIRED_BY_LAW = "required_by_law", _("Exigée par la loi")

    recipient = models.ForeignKey(
        Processor,
        verbose_name=_("destinataire"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte concerné"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    categories = models.JSONField(_("catégories communiquées"), default=list)
    legal_basis = models.CharField(_("fondement"), max_length=30, choices=LegalBasis.choices)
    disclosed_at = models.DateTimeField(_("date de la communication"), default=timezone.now)

    class Meta:
        verbose_name = _("communication")
        verbose_name_plural = _("registre des communications")
        ordering = ("-disclosed_at",)
        indexes = [models.Index(fields=["subject", "disclosed_at"], name="privacy_disclosure_subj")]
        constraints = [
            models.CheckConstraint(
                condition=Q(legal_basis__in=["processor_mandate", "consent", "required_by_law"]),
                name="privacy_disclosure_legal_basis",
            ),
        ]

    def __str__(self) -> str:
        return str(self.id)


class ConfidentialityIncident(models.Model):
    """One entry of the register of confidentiality incidents, as the regulation lists.

    The register describes the information involved; it never copies it.
    """

    description = models.TextField(
        _("circonstances"),
        help_text=_("Brève description des circonstances de l’incident."),
    )
    personal_info_concerned = models.TextField(
        _("renseignements personnels visés"),
        help_text=_(
            "Description des renseignements visés (sans les reproduire), ou les raisons "
            "pour lesquelles il est impossible de la fournir."
        ),
    )
    categories = models.JSONField(_("catégories visées"), default=list, blank=True)
    occurred_from = models.DateField(_("date (ou début) de l’incident"))
    occurred_to = models.DateField(_("fin de l’incident"), null=True, blank=True)
    occurred_dates_approximate = models.BooleanField(_("dates approximatives"), default=False)
    discovered_on = models.DateField(_("date de la prise de connaissance"))
    people_count = models.PositiveIntegerField(_("nombre de personnes concernées"))
    people_count_approximate = models.BooleanField(_("nombre approximatif"), default=False)
    risk_assessment = models.TextField(
        _("évaluation du risque de préjudice"),
        help_text=_(
            "Gravité du risque de préjudice : sensibilité des renseignements, utilisations "
            "malveillantes possibles, probabilité qu’ils soient utilisés à des fins préjudiciables."
        ),
    )
    serious_injury_risk = models.BooleanField(_("risque de préjudice sérieux"), default=False)
    commission_notified_on = models.DateField(
        _("avis à la Commission d’accès à l’information le"), null=True, blank=True
    )
    people_notified_on = models.DateField(
        _("avis aux personnes concernées le"), null=True, blank=True
    )
    public_notice = models.BooleanField(_("avis public"), default=False)
    public_notice_reason = models.TextField(_("motif de l’avis public"), blank=True)
    measures_taken = models.TextField(
        _("mesures prises"),
        help_text=_("Mesures prises pour diminuer les risques qu’un préjudice soit causé."),
    )
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("incident de confidentialité")
        verbose_name_plural = _("registre des incidents de confidentialité")
        ordering = ("-discovered_on", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(occurred_to__isnull=True) | Q(occurred_to__gte=F("occurred_from")),
                name="privacy_incident_period",
            ),
            models.CheckConstraint(
                condition=Q(discovered_on__gte=F("occurred_from")),
                name="privacy_incident_discovered_after",
            ),
            models.CheckConstraint(
                condition=Q(public_notice=False) | ~Q(public_notice_reason=""),
                name="privacy_incident_public_notice_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.discovered_on})"
