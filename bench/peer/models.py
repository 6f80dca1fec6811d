"""The peer's data: a plan of benefits, members with dependants, and paid claims."""
# ruff: noqa: DJ008 - bench rows, never shown by str()

from django.conf import settings
from django.db import models


class Plan(models.Model):
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()


class Benefit(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="benefits")
    name_fr = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100)
    yearly_max = models.DecimalField(max_digits=9, decimal_places=2)
    position = models.PositiveSmallIntegerField(default=0)

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_fr


class Member(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT)
    member_number = models.CharField(max_length=20, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Dependant(models.Model):
    class Relationship(models.TextChoices):
        SPOUSE = "spouse", "Conjoint ou conjointe"
        CHILD = "child", "Enfant"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="dependants")
    relationship = models.CharField(max_length=10, choices=Relationship.choices)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Claim(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="claims")
    dependant = models.ForeignKey(Dependant, on_delete=models.CASCADE, null=True, blank=True)
    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT)
    service_date = models.DateField()
    amount_paid = models.DecimalField(max_digits=9, decimal_places=2)
