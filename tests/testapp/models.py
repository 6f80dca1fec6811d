"""Test-only models exercising every encrypted field type and blind indexes."""

from django.db import models

from privacy.fields import (
    BlindIndexField,
    EncryptedBinaryField,
    EncryptedCharField,
    EncryptedDateField,
    EncryptedEmailField,
    EncryptedIntegerField,
    EncryptedJSONField,
    EncryptedPhoneField,
    EncryptedTextField,
)
from privacy.models import PrivateModel


class Vault(PrivateModel):
    text = EncryptedTextField("text", null=True, blank=True)
    char = EncryptedCharField("char", max_length=10, null=True, blank=True)
    email = EncryptedEmailField("email", null=True, blank=True)
    phone = EncryptedPhoneField("phone", null=True, blank=True)
    born_on = EncryptedDateField("born on", null=True, blank=True)
    count = EncryptedIntegerField("count", null=True, blank=True)
    data = EncryptedJSONField("data", null=True, blank=True)
    document = EncryptedBinaryField("document", null=True, blank=True)
    student_number = EncryptedCharField("student number", max_length=20, null=True, blank=True)
    student_number_index = BlindIndexField(
        "student number index", source="student_number", normaliser="digits", unique=True
    )
    email_index = BlindIndexField("email index", source="email", normaliser="email")
    label = models.CharField("label", max_length=20, blank=True)
    created_at = models.DateTimeField("created at", auto_now_add=True)

    def __str__(self) -> str:
        return str(self.id)


class Note(PrivateModel):
    """A second table, to prove a token cannot move between tables."""

    text = EncryptedTextField("text", null=True, blank=True)
    name = EncryptedCharField("name", max_length=100, default="", blank=True)
    name_index = BlindIndexField("name index", source="name", normaliser="name")

    def __str__(self) -> str:
        return str(self.id)
