"""Claims: the bulk of the feed, applied in chunks with bulk inserts."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..models import (
    Claim,
    ClaimStatus,
)
from .base import Kind, Row, _set
from .people import _person, _person_problem


class ClaimKind(Kind):
    name = "claims"
    columns = (
        "reference",
        "card_number",
        "benefit",
        "service_date",
        "amount_claimed",
        "amount_paid",
        "status",
        "received_on",
    )
    optional = ("in_review_on", "decided_on", "refusal_reason", "provider_name", "in_network")
    # Everything about a claim is health data, its reference and benefit included.
    public_columns = frozenset({"status"})

    def parse(self, row: Row) -> dict[str, Any]:
        card = row.card_number()
        status = row.choice("status", ClaimStatus.values)
        values = {
            "reference": row.text("reference", max_length=40),
            "benefit": row.text("benefit", max_length=50),
            "service_date": row.date("service_date"),
            "amount_claimed_cents": row.cents("amount_claimed", required=True),
            "amount_paid_cents": row.cents("amount_paid", required=status == ClaimStatus.PAID),
            "status": status,
            "received_on": row.date("received_on"),
            "in_review_on": row.date("in_review_on", required=False),
            "decided_on": row.date(
                "decided_on", required=status in (ClaimStatus.PAID, ClaimStatus.REFUSED)
            ),
            "refusal_reason": row.text(
                "refusal_reason", required=status == ClaimStatus.REFUSED, max_length=500
            ),
            "provider_name": row.name("provider_name", required=False, max_length=200),
            "in_network": row.boolean("in_network"),
        }
        if status != ClaimStatus.PAID and values["amount_paid_cents"] not in (None,):
            row.bad("amount_paid", _("seule une demande payée (paid) a un montant payé"))
        if (
            values["amount_paid_cents"] is not None
            and values["amount_claimed_cents"] is not None
            and values["amount_paid_cents"] > values["amount_claimed_cents"]
        ):
            row.bad("amount_paid", _("le montant payé dépasse le montant réclamé"))
        if values["service_date"] and values["service_date"] > timezone.localdate():
            row.bad("service_date", _("la date du service est dans le futur"))
        if card:
            values["member_number"], values["suffix"] = card
        row.done()
        return values

    def apply(self, chunk, report, *, write):
        members, dependants = self.persons(chunk)
        existing = {
            c.reference: c
            for c in Claim.objects.filter(reference__in=[p.values["reference"] for p in chunk])
        }
        new: list[Claim] = []
        for parsed in chunk:
            v = parsed.values
            repeated = self.repeated(v["reference"], parsed.line, "reference")
            if repeated:
                report.invalid += 1
                report.error(parsed.line, repeated)
                continue
            member, dependant = _person(members, dependants, v)
            problem = _person_problem(self, member, dependant, v)
            benefit = None
            year = rules.policy_year_of(v["service_date"])
            if problem is None:
                plan = self.plan_of(member.association_id, year)
                benefit = plan.benefit_map.get(v["benefit"]) if plan else None
                if benefit is None:
                    problem = self.problem(
                        "benefit",
                        _(
                            "cette garantie n’existe pas dans le régime de ce membre pour "
                            "l’année du service"
                        ),
                    )
            if problem:
                report.invalid += 1
                report.error(parsed.line, problem)
                continue
            values = {
                "member_id": member.id,
                "dependant_id": dependant.id if dependant else None,
                "benefit_id": benefit.id,
                "status": v["status"],
                "policy_year_end": rules.policy_year_bounds(year)[1],
                "service_date": v["service_date"],
                "amount_claimed_cents": v["amount_claimed_cents"],
                "amount_paid_cents": v["amount_paid_cents"],
                "provider_name": v["provider_name"],
                "in_network": v["in_network"],
                "received_on": v["received_on"],
                "in_review_on": v["in_review_on"],
                "decided_on": v["decided_on"],
                "refusal_reason": v["refusal_reason"],
            }
            claim = existing.get(v["reference"])
            if claim is None:
                new.append(Claim(reference=v["reference"], **values))
                report.created += 1
                continue
            if _set(claim, values):
                report.updated += 1
                if write:
                    # Encrypted values are bound to their row: saved one by one.
                    claim.save()
            else:
                report.unchanged += 1
        if write:
            Claim.objects.bulk_create(new)
