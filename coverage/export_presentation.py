"""How coverage/ rows read in the readable access export (export.html)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from privacy.dates import date_text
from privacy.requests.api import ExportPresentation, export_presentation_register

from .models import Part


def _person(row) -> str:
    dependant = row.dependant
    return dependant.full_name if dependant is not None else row.member.full_name


def _claim_title(claim) -> str:
    return _("%(person)s — soins du %(date)s, %(care)s") % {
        "person": _person(claim),
        "date": date_text(claim.service_date),
        "care": claim.benefit.name,
    }


def _enrolment_title(enrolment) -> str:
    plan = enrolment.plan
    return _("%(person)s — volet %(part)s, %(start)s–%(end)s") % {
        "person": _person(enrolment),
        "part": str(Part(enrolment.part).label).lower(),
        "start": plan.starts_on.year,
        "end": plan.ends_on.year,
    }


def register() -> None:
    export_presentation_register(
        "coverage.Claim",
        ExportPresentation(
            title=lambda: _("Vos demandes de règlement"),
            position=21,
            row_title=_claim_title,
            row_order=lambda claim: -claim.service_date.toordinal(),
            money=frozenset({"amount_claimed_cents", "amount_paid_cents"}),
            labels={
                "benefit": lambda: _("Type de soins"),
                "reference": lambda: _("Numéro de la demande chez l’assureur"),
                "service_date": lambda: _("Date des soins"),
                "amount_claimed_cents": lambda: _("Montant réclamé"),
                "amount_paid_cents": lambda: _("Montant payé"),
                "provider_name": lambda: _("Fournisseur de soins"),
                "in_network": lambda: _("Fournisseur du réseau"),
                "policy_year_end": lambda: _("Fin de l’année de police"),
            },
            values={"benefit": lambda claim, value: claim.benefit.name},
        ),
    )
    export_presentation_register(
        "coverage.Enrolment",
        ExportPresentation(
            title=lambda: _("Votre couverture (adhésions)"),
            position=20,
            row_title=_enrolment_title,
            row_order=lambda e: (-e.plan.policy_year, e.dependant_id is not None, e.part),
            labels={"proof": lambda: _("Preuve d’autre couverture")},
            values={
                "proof": lambda enrolment, value: (
                    _("Document fourni, inclus dans export.json") if value else "—"
                ),
                "proof_content_type": lambda enrolment, value: {
                    "application/pdf": "PDF",
                    "image/png": "PNG",
                    "image/jpeg": "JPEG",
                }.get(value, "—"),
            },
        ),
    )
