"""Reads from the registers: disclosures about a member (for the access
export) and the person in charge (for the privacy pages)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from privacy.registers.models import Disclosure
from privacy.registers.person_in_charge import PersonInCharge


def disclosures_about(*, user) -> list[dict]:
    """Every disclosure of this member's information, newest first, as plain values."""
    return [
        {
            "recipient": disclosure.recipient.name,
            "recipient_kind": disclosure.recipient.kind,
            "purpose": disclosure.recipient.purpose,
            "categories": list(disclosure.categories),
            "legal_basis": disclosure.legal_basis,
            "legal_basis_label": str(disclosure.get_legal_basis_display()),
            "disclosed_at": disclosure.disclosed_at.isoformat(),
        }
        for disclosure in Disclosure.objects.filter(subject=user)
        .select_related("recipient")
        .order_by("-disclosed_at")
    ]


# The address the privacy policy gives for written requests.
DEFAULT_POSTAL_ADDRESS = (
    "ASEQ\n1200, avenue McGill College, bureau 2200\nMontréal (Québec)  H3B 4G7"
)


@dataclass(frozen=True)
class PersonInChargeInfo:
    title: str | Promise
    name: str | Promise
    email: str
    phone: str
    postal_address: str
    # True while nobody has been named in admin: the defaults below are shown.
    is_default: bool


# Shown on every contact and policy page: cached, cleared by person_in_charge_save.
PERSON_IN_CHARGE_CACHE_KEY = "privacy:person_in_charge:v1"
PERSON_IN_CHARGE_CACHE_SECONDS = 600
PERSON_IN_CHARGE_FIELDS = ("title_fr", "title_en", "name", "email", "phone", "postal_address")


def person_in_charge() -> PersonInChargeInfo:
    """Who answers for personal information (Law 25, s. 3.1), with defaults when unset."""
    person = cache.get(PERSON_IN_CHARGE_CACHE_KEY)
    if person is None:
        person = PersonInCharge.objects.values(*PERSON_IN_CHARGE_FIELDS).first() or {}
        cache.set(PERSON_IN_CHARGE_CACHE_KEY, person, PERSON_IN_CHARGE_CACHE_SECONDS)
    if not person:
        return PersonInChargeInfo(
            title=_("Responsable de la protection des renseignements personnels"),
            # Until someone is designated, the law names the person with the highest authority.
            name=_("La personne ayant la plus haute autorité au sein de l’organisation"),
            email="",
            phone=settings.SERVICE_CENTRE_PHONE,
            postal_address=DEFAULT_POSTAL_ADDRESS,
            is_default=True,
        )
    english = (get_language() or "fr").startswith("en")
    return PersonInChargeInfo(
        title=person["title_en"] if english else person["title_fr"],
        name=person["name"],
        email=person["email"],
        phone=person["phone"],
        postal_address=person["postal_address"],
        is_default=False,
    )
