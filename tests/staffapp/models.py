from django.conf import settings
from django.db import models

from privacy.models import PrivateModel


class CaseFile(PrivateModel):
    """Stands in for a member record (members/coverage models come later)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="owner", on_delete=models.CASCADE, related_name="+"
    )
    student_number = models.CharField("student number", max_length=20)
    date_of_birth = models.DateField("date of birth")
    status = models.CharField("status", max_length=20, default="active")

    class Meta:
        verbose_name = "dossier de test"

    def __str__(self) -> str:
        return str(self.id)
