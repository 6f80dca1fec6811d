"""Plans and benefits (public), enrolments and claims (personal, encrypted).

Money is stored in integer cents; the balance engine (coverage.rules) works
in Decimal dollars. Plans and benefits are the published plan summaries: not
personal data. Enrolments and claims are about a person and are declared in
coverage/personal_data.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from privacy.fields import (
    EncryptedBinaryField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedIntegerField,
    EncryptedTextField,
)
from privacy.private_model import PrivateModel

from . import rules


class Part(models.TextChoices):
    HEALTH = "health", _("Santé")
    DENTAL = "dental", _("Dentaire")


class Bilingual(models.Model):
    """A row with a name in French and in English; ``name`` follows the page language."""

    name_fr = models.CharField(_("nom (français)"), max_length=200)
    name_en = models.CharField(_("nom (anglais)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


class Plan(Bilingual):
    """One association's plan for one policy year (September 1 to August 31)."""

    # Not stored: set on an instance by the code that reads it (feed import, summary).
    benefit_map: dict[str, Benefit]
    benefit_list: list[Benefit]

    association = models.ForeignKey(
        "members.Association",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="plans",
    )
    policy_year = models.PositiveSmallIntegerField(
        _("année de police"), help_text=_("Année où la police commence (1er septembre).")
    )
    health_window_start = models.DateField(_("début du changement de couverture (santé)"))
    health_window_end = models.DateField(_("fin du changement de couverture (santé)"))
    dental_window_start = models.DateField(_("début du changement de couverture (dentaire)"))
    dental_window_end = models.DateField(_("fin du changement de couverture (dentaire)"))
    proof_required = models.BooleanField(
        _("preuve d’autre couverture exigée pour le retrait"), default=True
    )
    family_allowed = models.BooleanField(_("couverture familiale offerte"), default=True)

    class Meta:
        verbose_name = _("régime")
        verbose_name_plural = _("régimes")
        ordering = ["association_id", "-policy_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "policy_year"], name="coverage_plan_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(health_window_start__lte=models.F("health_window_end"))
                & Q(dental_window_start__lte=models.F("dental_window_end")),
                name="coverage_plan_windows_ordered",
            ),
        ]

    @property
    def starts_on(self) -> date:
        return rules.policy_year_bounds(self.policy_year)[0]

    @property
    def ends_on(self) -> date:
        return rules.policy_year_bounds(self.policy_year)[1]

    def window(self, part: str) -> tuple[date, date]:
        if part == Part.DENTAL:
            return self.dental_window_start, self.dental_window_end
        return self.health_window_start, self.health_window_end


class BenefitCategory(Bilingual):
    plan = models.ForeignKey(
        Plan, verbose_name=_("régime"), on_delete=models.CASCADE, related_name="categories"
    )
    key = models.SlugField(_("clé"), max_length=50)
    part = models.CharField(_("volet"), max_length=10, choices=Part.choices)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("catégorie de garanties")
        verbose_name_plural = _("catégories de garanties")
        ordering = ["position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="coverage_category_key_unique"),
        ]


class CombinedMaximum(Bilingual):
    """A yearly maximum shared by several benefits (e.g. all practitioners)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("régime"), on_delete=models.CASCADE, related_name="combined_maxima"
    )
    key = models.SlugField(_("clé"), max_length=50)
    yearly_max_cents = models.PositiveIntegerField(_("maximum annuel (cents)"))
    shared_by_family = models.BooleanField(_("partagé par la famille"), default=False)

    class Meta:
        verbose_name = _("maximum combiné")
        verbose_name_plural = _("maximums combinés")
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="coverage_combined_key_unique"),
        ]

    def rule(self) -> rules.CombinedRule:
        return rules.CombinedRule(
            key=self.key,
            yearly_max=rules.cents_to_money(self.yearly_max_cents),
            shared_by_family=self.shared_by_family,
        )


class Benefit(Bilingual):
    """What the plan pays for one kind of care, as the engine's rule reads it."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("régime"), on_delete=models.CASCADE, related_name="benefits"
    )
    category = models.ForeignKey(
        BenefitCategory,
        verbose_name=_("catégorie"),
        on_delete=models.CASCADE,
        related_name="benefits",
    )
    key = models.SlugField(_("clé"), max_length=50)
    keywords_fr = models.CharField(_("mots-clés (français)"), max_length=300, blank=True)
    keywords_en = models.CharField(_("mots-clés (anglais)"), max_length=300, blank=True)
    percent = models.DecimalField(
        _("pourcentage remboursé"), max_digits=5, decimal_places=2, default=Decimal(100)
    )
    per_visit_max_cents = models.PositiveIntegerField(
        _("montant maximal par visite (cents)"), null=True, blank=True
    )
    yearly_max_cents = models.PositiveIntegerField(
        _("maximum annuel (cents)"), null=True, blank=True
    )
    combined = models.ForeignKey(
        CombinedMaximum,
        verbose_name=_("maximum combiné"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="benefits",
    )
    frequency_months = models.PositiveSmallIntegerField(
        _("période de fréquence (mois)"), null=True, blank=True
    )
    frequency_max_cents = models.PositiveIntegerField(
        _("maximum par période (cents)"), null=True, blank=True
    )
    network_percent = models.DecimalField(
        _("pourcentage dans le réseau"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    shared_by_family = models.BooleanField(_("maximum partagé par la famille"), default=False)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("garantie")
        verbose_name_plural = _("garanties")
        ordering = ["position", "key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="coverage_benefit_key_unique"),
            models.CheckConstraint(
                condition=Q(percent__gte=0, percent__lte=100),
                name="coverage_benefit_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(network_percent__isnull=True)
                | Q(network_percent__gte=0, network_percent__lte=100),
                name="coverage_benefit_network_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(frequency_months__isnull=True, frequency_max_cents__isnull=True)
                | Q(frequency_months__gt=0, frequency_max_cents__isnull=False),
                name="coverage_benefit_frequency_complete",
            ),
        ]

    @property
    def part(self) -> str:
        return self.category.part

    @property
    def keywords(self) -> str:
        return f"{self.keywords_fr} {self.keywords_en}"

    def rule(self) -> rules.BenefitRule:
        def dollars(cents: int | None) -> Decimal | None:
            return None if cents is None else rules.cents_to_money(cents)

        return rules.BenefitRule(
            key=self.key,
            percent=Decimal(self.percent),
            per_visit_max=dollars(self.per_visit_max_cents),
            yearly_max=dollars(self.yearly_max_cents),
            combined=self.combined.rule() if self.combined is not None else None,
            frequency_months=self.frequency_months,
            frequency_max=dollars(self.frequency_max_cents),
            network_percent=None if self.network_percent is None else Decimal(self.network_percent),
            shared_by_family=self.shared_by_family,
        )


class EnrolmentStatus(models.TextChoices):
    COVERED = "covered", _("Couvert")
    OPTED_OUT = "opted_out", _("Retiré")
    PENDING = "pending", _("En attente")


class Enrolment(PrivateModel):
    """Whether one person is covered for one part of one year's plan."""

    # Sealed under the member’s data key (privacy/keystore): destroyed at their deletion.
    data_key_owner = "member_id"

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    dependant = models.ForeignKey(
        "members.Dependant",
        verbose_name=_("personne à charge"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("régime"), on_delete=models.PROTECT, related_name="enrolments"
    )
    part = models.CharField(_("volet"), max_length=10, choices=Part.choices)
    status = models.CharField(
        _("statut"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.COVERED
    )
    changed_at = models.DateTimeField(_("dernier changement"), auto_now=True)
    policy_year_end = models.DateField(_("fin de l’année de police"))
    proof = EncryptedBinaryField(_("preuve d’autre couverture"), null=True, blank=True)
    proof_content_type = models.CharField(_("type de la preuve"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "plan", "part"],
                condition=Q(dependant__isnull=True),
                name="coverage_enrolment_member_once",
            ),
            models.UniqueConstraint(
                fields=["dependant", "plan", "part"],
                condition=Q(dependant__isnull=False),
                name="coverage_enrolment_dependant_once",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EnrolmentStatus.values) & Q(part__in=Part.values),
                name="coverage_enrolment_choices_known",
            ),
        ]
        indexes = [
            # The retention purge walks rows by (start of their window, pk): README, Operations.
            models.Index(fields=["policy_year_end", "id"], name="coverage_enrolment_purge"),
            # The admin's status filter (opted out: 68,000 of 850,000), in the list's order.
            models.Index(fields=["status", "id"], name="coverage_enrolment_status"),
        ]

    def __str__(self) -> str:
        # What staff call it: whose (member number), which part, which year. Never a name.
        return f"{self.member} — {self.get_part_display()} {self.policy_year_end:%Y}"

    @property
    def person_id(self):
        return self.dependant_id or self.member_id


class ClaimStatus(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    IN_REVIEW = "in_review", _("En traitement")
    PAID = "paid", _("Payée")
    REFUSED = "refused", _("Refusée")


class Claim(PrivateModel):
    """A claim for the member or a dependant, as the insurer's feed reports it."""

    # Not stored: whom the claim is for, as coverage.selectors presents them.
    person: Any
    # Sealed under the member’s data key (privacy/keystore): destroyed at their deletion.
    data_key_owner = "member_id"

    member = models.ForeignKey(
        "members.Member", verbose_name=_("membre"), on_delete=models.CASCADE, related_name="claims"
    )
    dependant = models.ForeignKey(
        "members.Dependant",
        verbose_name=_("personne à charge"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="claims",
    )
    benefit = models.ForeignKey(
        Benefit, verbose_name=_("garantie"), on_delete=models.PROTECT, related_name="claims"
    )
    reference = models.CharField(_("numéro de demande de l’assureur"), max_length=40, unique=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.RECEIVED
    )
    policy_year_end = models.DateField(_("fin de l’année de police"))
    service_date = EncryptedDateField(_("date du service"))
    amount_claimed_cents = EncryptedIntegerField(_("montant réclamé (cents)"))
    amount_paid_cents = EncryptedIntegerField(_("montant payé (cents)"), null=True, blank=True)
    provider_name = EncryptedCharField(_("fournisseur"), max_length=200, blank=True)
    in_network = models.BooleanField(_("fournisseur du réseau"), default=False)
    received_on = EncryptedDateField(_("reçue le"))
    in_review_on = EncryptedDateField(_("en traitement depuis le"), null=True, blank=True)
    decided_on = EncryptedDateField(_("décidée le"), null=True, blank=True)
    refusal_reason = EncryptedTextField(_("motif du refus"), blank=True)

    class Meta:
        verbose_name = _("demande de règlement")
        verbose_name_plural = _("demandes de règlement")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="coverage_claim_status_known"
            ),
        ]
        indexes = [
            # The retention purge walks rows by (start of their window, pk): README, Operations.
            models.Index(fields=["policy_year_end", "id"], name="coverage_claim_purge"),
            # The member's claims list, a page at a time, in its order (selectors.claim_page).
            models.Index(
                fields=["member", "policy_year_end", "reference"], name="coverage_claim_member_list"
            ),
            # The admin's filters over two million claims, in the list's order (pk).
            models.Index(fields=["status", "id"], name="coverage_claim_status"),
            models.Index(fields=["in_network", "id"], name="coverage_claim_in_network"),
        ]

    @property
    def person_id(self):
        return self.dependant_id or self.member_id

    def __str__(self) -> str:
        return self.reference

    @property
    def amount_claimed(self) -> Decimal:
        return rules.cents_to_money(self.amount_claimed_cents)

    @property
    def amount_paid(self) -> Decimal | None:
        if self.amount_paid_cents is None:
            return None
        return rules.cents_to_money(self.amount_paid_cents)
