"""The plan's records: associations, members and their dependants.

A member record comes from the insurer's feed before the student has an
account; the student links it to their account by claiming it.
"""

from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from privacy.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedPhoneField,
)
from privacy.private_model import PrivateModel

# Each language named in itself: someone who reads only English must find "English".
LANGUAGE_CHOICES = [("fr", "Français"), ("en", "English")]


def age_on(date_of_birth: date, day: date) -> int:
    """Age in full years on a given day."""
    had_birthday = (day.month, day.day) >= (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - (0 if had_birthday else 1)


class Association(models.Model):
    """A school's student association on whose behalf the plan is run."""

    name_fr = models.CharField(_("nom (français)"), max_length=200)
    name_en = models.CharField(_("nom (anglais)"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    short_code = models.CharField(_("sigle"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("association étudiante")
        verbose_name_plural = _("associations étudiantes")
        ordering = ["name_fr"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if translation.get_language() == "en" else self.name_fr


class Member(PrivateModel):
    """The plan's record of a student member, as the insurer's feed provides it.

    Name, date of birth and student number belong to the insurer's record:
    they change only through a correction request. Contact details, language
    and communication preferences belong to the member.
    """

    # Sealed under the member’s data key (privacy/keystore): destroyed at their deletion.
    data_key_owner = "id"

    INSURER_OWNED_FIELDS = (
        "association",
        "member_number",
        "student_number",
        "first_name",
        "last_name",
        "date_of_birth",
    )

    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("association étudiante"),
    )
    member_number = models.CharField(
        _("numéro de membre"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,8}-[0-9]{6,10}$")],
        help_text=_("Attribué par le régime, par exemple ASEQ-123456."),
    )
    student_number = EncryptedCharField(_("numéro d’étudiant"), max_length=20)
    student_number_index = BlindIndexField(
        source="student_number", normaliser="text", verbose_name=_("index du numéro d’étudiant")
    )
    first_name = EncryptedCharField(_("prénom"), max_length=100)
    last_name = EncryptedCharField(_("nom de famille"), max_length=100)
    date_of_birth = EncryptedDateField(_("date de naissance"))
    # Staff find a member by family name and date of birth together: exact, but
    # accents, case, hyphens and spacing do not matter; neither part alone matches.
    name_birth_index = BlindIndexField(
        source=("last_name", "date_of_birth"),
        normaliser=("name", "text"),
        verbose_name=_("index du nom de famille et de la date de naissance"),
    )
    address_line1 = EncryptedCharField(_("adresse"), max_length=200, blank=True)
    address_line2 = EncryptedCharField(_("complément d’adresse"), max_length=200, blank=True)
    city = EncryptedCharField(_("ville"), max_length=100, blank=True)
    province = EncryptedCharField(_("province"), max_length=2, blank=True)
    postal_code = EncryptedCharField(_("code postal"), max_length=7, blank=True)
    phone = EncryptedPhoneField(_("téléphone"), blank=True)
    email = EncryptedEmailField(
        _("courriel de contact"),
        blank=True,
        help_text=_("Distinct de l’adresse de connexion."),
    )
    email_index = BlindIndexField(
        source="email", normaliser="email", verbose_name=_("index du courriel de contact")
    )
    preferred_language = models.CharField(
        _("langue de communication"), max_length=2, choices=LANGUAGE_CHOICES, default="fr"
    )
    updates_opt_in = models.BooleanField(
        _("accepte les mises à jour et nouvelles"),
        default=False,
        help_text=_("Les messages de service sont toujours envoyés; les autres, sur accord."),
    )
    updates_opt_in_at = models.DateTimeField(
        _("accord aux mises à jour donné le"), null=True, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member",
        verbose_name=_("compte rattaché"),
    )
    claimed_at = models.DateTimeField(_("rattaché le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("membre")
        verbose_name_plural = _("membres")
        ordering = ["member_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "student_number_index"],
                name="members_member_student_number_unique_per_association",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True, claimed_at__isnull=True)
                | Q(user__isnull=False, claimed_at__isnull=False),
                name="members_member_claimed_at_iff_user",
            ),
            models.CheckConstraint(
                condition=Q(updates_opt_in=False) | Q(updates_opt_in_at__isnull=False),
                name="members_member_opt_in_has_timestamp",
            ),
        ]
        indexes = [
            # The retention purge walks rows by (start of their window, pk).
            models.Index(fields=["updated_at", "id"], name="members_member_purge"),
            # The admin's filters on 300,000 records, in the list's order (member number).
            models.Index(fields=["association", "member_number"], name="members_member_assoc_no"),
            models.Index(
                fields=["member_number"],
                condition=Q(user__isnull=True),
                name="members_member_unclaimed_no",
            ),
            models.Index(
                fields=["member_number"],
                condition=Q(updates_opt_in=True),
                name="members_member_opt_in_no",
            ),
        ]

    def __str__(self) -> str:
        # Never a name: this string lands in admin history and messages.
        return self.member_number

    @property
    def card_number(self) -> str:
        """The student's own number on the plan: suffix -00."""
        return f"{self.member_number}-00"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Dependant(PrivateModel):
    """A spouse or partner (suffix -01) or a child (-02 and up) covered by the member."""

    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Conjoint ou conjointe")
        CHILD = "child", _("Enfant")

    # Sealed under the member’s data key (privacy/keystore): destroyed at their deletion.
    data_key_owner = "member_id"

    SPOUSE_SUFFIX = 1
    FIRST_CHILD_SUFFIX = 2
    LAST_SUFFIX = 99

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="dependants", verbose_name=_("membre")
    )
    relationship = models.CharField(_("lien"), max_length=10, choices=Relationship.choices)
    suffix = models.PositiveSmallIntegerField(
        _("suffixe"), help_text=_("01 pour le conjoint, 02 et plus pour les enfants.")
    )
    first_name = EncryptedCharField(_("prénom"), max_length=100)
    last_name = EncryptedCharField(_("nom de famille"), max_length=100)
    date_of_birth = EncryptedDateField(_("date de naissance"))
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("personne à charge")
        verbose_name_plural = _("personnes à charge")
        ordering = ["member", "suffix"]
        indexes = [
            # The retention purge walks rows by (start of their window, pk).
            models.Index(fields=["updated_at", "id"], name="members_dependant_purge"),
            # The admin's relationship filter, in the list's order (member, suffix).
            models.Index(
                fields=["relationship", "member", "suffix"], name="members_dependant_kind"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(relationship="spouse"),
                name="members_dependant_at_most_one_spouse",
            ),
            models.UniqueConstraint(
                fields=["member", "suffix"], name="members_dependant_suffix_unique_per_member"
            ),
            models.CheckConstraint(
                condition=Q(relationship="spouse", suffix=1)
                | Q(relationship="child", suffix__gte=2, suffix__lte=99),
                name="members_dependant_suffix_matches_relationship",
            ),
        ]

    def __str__(self) -> str:
        return self.card_number

    @property
    def card_number(self) -> str:
        return f"{self.member.member_number}-{self.suffix:02d}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"
