"""Writes to the registers: disclosures (refused without a contract), the person
in charge, and the demo processor."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.audit import chain as audit
from privacy.datamap.registry import CATEGORY_LABELS, Category
from privacy.registers.models import Disclosure, Processor
from privacy.registers.person_in_charge import PersonInCharge
from privacy.registers.selectors import PERSON_IN_CHARGE_CACHE_KEY


class DisclosureRefused(Exception):
    """A disclosure the policy forbids; the message says why, in the page language."""


def disclosure_refusal(*, recipient: Processor, categories: list[str], legal_basis: str) -> str:
    """Why the policy forbids this disclosure, in the page language; "" when it allows it.

    Refused: a processor with no contract on file (P20), a third party with none
    unless the law requires the disclosure, an inactive recipient, a category the
    register does not allow for this recipient, and location (P2: never shared).
    """
    if legal_basis not in Disclosure.LegalBasis.values:
        return _("Fondement de la communication inconnu.")
    if not categories:
        return _("Une communication porte sur au moins une catégorie.")
    if not recipient.is_active:
        return _("« %(name)s » n’est plus un destinataire actif du registre.") % {
            "name": recipient.name
        }
    required_by_law = legal_basis == Disclosure.LegalBasis.REQUIRED_BY_LAW
    if not recipient.contract_on_file and (
        recipient.kind == Processor.Kind.PROCESSOR or not required_by_law
    ):
        return _(
            "Communication refusée : aucun contrat n’est au dossier pour « %(name)s ». "
            "Un contrat doit l’obliger à protéger les renseignements avant toute "
            "communication."
        ) % {"name": recipient.name}
    if Category.LOCATION.value in categories and not required_by_law:
        return _("Communication refusée : la localisation n’est jamais communiquée.")
    not_allowed = [c for c in categories if c not in recipient.categories]
    if not_allowed and not required_by_law:
        return _(
            "Communication refusée : catégories non prévues au registre pour « %(name)s » : %(c)s."
        ) % {
            "name": recipient.name,
            "c": ", ".join(str(CATEGORY_LABELS[Category(c)]) for c in not_allowed),
        }
    return ""


@transaction.atomic
def disclosure_record(
    *,
    recipient: Processor,
    subject,
    categories: Iterable[Category | str],
    legal_basis: str,
    disclosed_at: datetime | None = None,
    actor=None,
    request=None,
) -> Disclosure:
    """Log one disclosure of a member's information, after checking it is allowed
    (``disclosure_refusal``); ``DisclosureRefused`` says why not."""
    categories = sorted({Category(category).value for category in categories})
    refusal = disclosure_refusal(
        recipient=recipient, categories=categories, legal_basis=legal_basis
    )
    if refusal:
        raise DisclosureRefused(refusal)
    disclosure = Disclosure.objects.create(
        recipient=recipient,
        subject=subject,
        categories=categories,
        legal_basis=legal_basis,
        disclosed_at=disclosed_at or timezone.now(),
    )
    audit.audit_record(action=audit.DISCLOSURE_RECORD, actor=actor, obj=disclosure, request=request)
    return disclosure


@transaction.atomic
def person_in_charge_save(*, person: PersonInCharge) -> PersonInCharge:
    """Name (or update) the person in charge; the privacy pages show it at once."""
    person.full_clean()
    person.save()
    # Now for this process, and again after commit so no reader re-caches the old one.
    cache.delete(PERSON_IN_CHARGE_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(PERSON_IN_CHARGE_CACHE_KEY))
    return person


DEMO_EMAIL_PROVIDER = "Fournisseur de courriel (démo)"


@transaction.atomic
def demo_processors_seed() -> list[Processor]:
    """The demo register: the email provider, under contract (idempotent)."""
    processor, _created = Processor.objects.get_or_create(
        name=DEMO_EMAIL_PROVIDER,
        defaults={
            "kind": Processor.Kind.PROCESSOR,
            "purpose": (
                "Acheminer les courriels du portail (vérification d’adresse, avis de "
                "demandes). / Delivering the portal's email (address verification, "
                "request notices)."
            ),
            "categories": [Category.CONTACT.value, Category.CORRESPONDENCE.value],
            "contract_on_file": True,
            "contract_date": date(2026, 1, 15),
            "location": "Montréal, Canada",
        },
    )
    return [processor]
