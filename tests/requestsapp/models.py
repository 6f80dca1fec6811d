"""Test-only models declared to the data map (installed by test settings)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from privacy.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedPhoneField,
    EncryptedTextField,
)
from privacy.models import PrivateModel


class Holder(PrivateModel):
    """Like a member record: about one account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="holder"
    )
    full_name = EncryptedCharField("nom complet", max_length=200)
    birth_date = EncryptedDateField("date de naissance")
    student_number = EncryptedCharField("numéro d’étudiant", max_length=20)
    student_number_index = BlindIndexField(
        "index du numéro d’étudiant", source="student_number", normaliser="digits", unique=True
    )
    phone = EncryptedPhoneField("téléphone", blank=True, default="")
    city = models.CharField("ville", max_length=100, blank=True)

    def __str__(self) -> str:
        return str(self.id)


class Kin(PrivateModel):
    """Like a dependant: reaches the account through the holder."""

    holder = models.ForeignKey(Holder, on_delete=models.CASCADE, related_name="kin")
    first_name = EncryptedCharField("prénom", max_length=100)
    birth_date = EncryptedDateField("date de naissance")

    def __str__(self) -> str:
        return str(self.id)


class Visit(PrivateModel):
    """Like a claim: kept by law for years, and it protects its holder."""

    holder = models.ForeignKey(Holder, on_delete=models.PROTECT, related_name="visits")
    service_on = models.DateField("date du service")
    amount = models.DecimalField("montant", max_digits=9, decimal_places=2)
    description = EncryptedTextField("description", blank=True, default="")

    def __str__(self) -> str:
        return str(self.id)


class Trace(PrivateModel):
    """Like an activity log: kept briefly, erased on deletion."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="traces"
    )
    happened_at = models.DateTimeField("date", default=timezone.now)
    what = models.CharField("action", max_length=50)

    def __str__(self) -> str:
        return str(self.id)
