"""Demo coverage data with the figures of the public plan summaries (never in production).

Practitioners: $40 a visit up to $600 combined a year; glasses $150 every
24 months; dental up to $800 a year, 70 % (80 % at network dentists).
Everything is keyed (plan per association and year, benefit keys, claim
references), so running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.models import Association, Dependant, Member

from . import rules
from .models import (
    Benefit,
    BenefitCategory,
    Claim,
    ClaimStatus,
    CombinedMaximum,
    Enrolment,
    EnrolmentStatus,
    Part,
    Plan,
)


@dataclass(frozen=True)
class BenefitSpec:
    key: str
    category: str
    name_fr: str
    name_en: str
    keywords_fr: str
    keywords_en: str
    percent: int = 100
    per_visit_max: int | None = None
    yearly_max: int | None = None
    combined: str | None = None
    frequency_months: int | None = None
    frequency_max: int | None = None
    network_percent: int | None = None


CATEGORIES = (
    ("practitioners", Part.HEALTH, "Professionnels de la santé", "Health practitioners"),
    ("vision", Part.HEALTH, "Soins de la vue", "Vision care"),
    ("drugs", Part.HEALTH, "Médicaments", "Prescription drugs"),
    ("dental", Part.DENTAL, "Soins dentaires", "Dental care"),
)
COMBINED = (
    ("practitioners", "Professionnels de la santé", "Health practitioners", 600_00),
    ("dental", "Soins dentaires", "Dental care", 800_00),
)
BENEFITS = (
    BenefitSpec(
        "physiotherapy",
        "practitioners",
        "Physiothérapie",
        "Physiotherapy",
        "physio physiothérapeute kinésithérapie",
        "physio physiotherapist physical therapy",
        per_visit_max=40,
        combined="practitioners",
    ),
    BenefitSpec(
        "psychologist",
        "practitioners",
        "Psychologue",
        "Psychologist",
        "psy psychologue thérapie santé mentale",
        "psych psychologist therapy mental health",
        per_visit_max=40,
        combined="practitioners",
    ),
    BenefitSpec(
        "chiropractor",
        "practitioners",
        "Chiropraticien",
        "Chiropractor",
        "chiro chiropratique dos",
        "chiro chiropractic back",
        per_visit_max=40,
        combined="practitioners",
    ),
    BenefitSpec(
        "massage",
        "practitioners",
        "Massothérapie",
        "Massage therapy",
        "massage massothérapeute",
        "massage therapist rmt",
        per_visit_max=40,
        combined="practitioners",
    ),
    BenefitSpec(
        "glasses",
        "vision",
        "Lunettes ou lentilles cornéennes",
        "Glasses or contact lenses",
        "lunettes verres lentilles optique",
        "glasses eyeglasses contacts lenses eyewear",
        frequency_months=24,
        frequency_max=150,
    ),
    BenefitSpec(
        "eye-exam",
        "vision",
        "Examen de la vue",
        "Eye exam",
        "optométriste examen yeux vue",
        "optometrist eye exam vision test",
        per_visit_max=50,
        frequency_months=24,
        frequency_max=50,
    ),
    BenefitSpec(
        "prescription-drugs",
        "drugs",
        "Médicaments d’ordonnance",
        "Prescription drugs",
        "médicaments pharmacie ordonnance",
        "drugs pharmacy prescription medication",
        percent=80,
        yearly_max=5000,
    ),
    BenefitSpec(
        "dental-checkup",
        "dental",
        "Examen et nettoyage",
        "Check-up and cleaning",
        "dentiste dentaire nettoyage détartrage examen",
        "dentist dental cleaning check-up",
        percent=70,
        network_percent=80,
        combined="dental",
    ),
    BenefitSpec(
        "dental-fillings",
        "dental",
        "Obturations et extractions",
        "Fillings and extractions",
        "dentiste dentaire plombage carie extraction",
        "dentist dental filling cavity extraction",
        percent=70,
        network_percent=80,
        combined="dental",
    ),
)


def _cents(dollars: int | None) -> int | None:
    return None if dollars is None else dollars * 100


def window_open_around(on: date, *, before_days: int, after_days: int) -> tuple[date, date]:
    """A change-of-coverage window open on ``on``, kept inside that day's policy year."""
    start, end = rules.policy_year_bounds(rules.policy_year_of(on))
    return max(start, on - timedelta(days=before_days)), min(end, on + timedelta(days=after_days))


def plan_seed(
    *,
    association: Association,
    policy_year: int,
    windows: tuple[date, date] | None = None,
) -> Plan:
    """The demo plan of an association for one year (created or left as it is)."""
    start = date(policy_year, 9, 1)
    window_start, window_end = windows or (start, date(policy_year, 9, 30))
    plan, _created = Plan.objects.update_or_create(
        association=association,
        policy_year=policy_year,
        defaults={
            "name_fr": f"Régime étudiant {policy_year}-{policy_year + 1}",
            "name_en": f"Student plan {policy_year}-{policy_year + 1}",
            "health_window_start": window_start,
            "health_window_end": window_end,
            "dental_window_start": window_start,
            "dental_window_end": window_end,
            "proof_required": True,
            "family_allowed": True,
        },
    )
    categories = {}
    for position, (key, part, name_fr, name_en) in enumerate(CATEGORIES):
        categories[key], _ = BenefitCategory.objects.update_or_create(
            plan=plan,
            key=key,
            defaults={"part": part, "name_fr": name_fr, "name_en": name_en, "position": position},
        )
    combined = {}
    for key, name_fr, name_en, cents in COMBINED:
        combined[key], _ = CombinedMaximum.objects.update_or_create(
            plan=plan,
            key=key,
            defaults={"name_fr": name_fr, "name_en": name_en, "yearly_max_cents": cents},
        )
    for position, spec in enumerate(BENEFITS):
        Benefit.objects.update_or_create(
            plan=plan,
            key=spec.key,
            defaults={
                "category": categories[spec.category],
                "name_fr": spec.name_fr,
                "name_en": spec.name_en,
                "keywords_fr": spec.keywords_fr,
                "keywords_en": spec.keywords_en,
                "percent": Decimal(spec.percent),
                "per_visit_max_cents": _cents(spec.per_visit_max),
                "yearly_max_cents": _cents(spec.yearly_max),
                "combined": combined.get(spec.combined) if spec.combined else None,
                "frequency_months": spec.frequency_months,
                "frequency_max_cents": _cents(spec.frequency_max),
                "network_percent": None
                if spec.network_percent is None
                else Decimal(spec.network_percent),
                "position": position,
            },
        )
    return plan


def enrolment_seed(*, member: Member, plan: Plan, dependants=()) -> None:
    for part in Part.values:
        for dependant in (None, *dependants):
            Enrolment.objects.get_or_create(
                member=member,
                dependant=dependant,
                plan=plan,
                part=part,
                defaults={"status": EnrolmentStatus.COVERED, "policy_year_end": plan.ends_on},
            )


# (benefit, days after Sept 1, claimed $, paid $, status, refusal reason, in network, who)
DEMO_CLAIMS = (
    ("physiotherapy", 20, "85.00", "40.00", ClaimStatus.PAID, "", False, "member"),
    ("physiotherapy", 34, "85.00", "40.00", ClaimStatus.PAID, "", False, "member"),
    ("psychologist", 41, "120.00", "40.00", ClaimStatus.PAID, "", False, "member"),
    ("psychologist", 55, "120.00", "40.00", ClaimStatus.PAID, "", False, "member"),
    ("psychologist", 69, "120.00", None, ClaimStatus.IN_REVIEW, "", False, "member"),
    ("glasses", 30, "240.00", "150.00", ClaimStatus.PAID, "", False, "member"),
    ("dental-checkup", 45, "300.00", "240.00", ClaimStatus.PAID, "", True, "member"),
    ("dental-fillings", 75, "180.00", None, ClaimStatus.RECEIVED, "", False, "member"),
    (
        "massage",
        60,
        "95.00",
        None,
        ClaimStatus.REFUSED,
        "reçu sans numéro de membre de l’ordre",
        False,
        "member",
    ),
    ("dental-checkup", 50, "250.00", "175.00", ClaimStatus.PAID, "", False, "dependant"),
    ("eye-exam", 25, "90.00", "50.00", ClaimStatus.PAID, "", False, "dependant"),
    ("prescription-drugs", 15, "60.00", "48.00", ClaimStatus.PAID, "", False, "member"),
)


def claims_seed(*, member: Member, plan: Plan, dependant: Dependant | None, prefix: str) -> int:
    benefits = {b.key: b for b in plan.benefits.all()}
    today = timezone.localdate()
    created = 0
    # Numbered as the insurer numbers claims, in the order it receives them: the
    # claims list shows the newest reference first (selectors.claim_page).
    by_receipt = sorted(DEMO_CLAIMS, key=lambda spec: spec[1])
    for index, (key, offset, claimed, paid, status, reason, network, who) in enumerate(
        by_receipt, start=1
    ):
        if who == "dependant" and dependant is None:
            continue
        service = min(plan.starts_on + timedelta(days=offset), today)
        received = service + timedelta(days=2)
        decided = (
            received + timedelta(days=6)
            if status in (ClaimStatus.PAID, ClaimStatus.REFUSED)
            else None
        )
        _claim, was_created = Claim.objects.get_or_create(
            reference=f"{prefix}-{plan.policy_year}-{index:03d}",
            defaults={
                "member": member,
                "dependant": dependant if who == "dependant" else None,
                "benefit": benefits[key],
                "status": status,
                "policy_year_end": plan.ends_on,
                "service_date": service,
                "amount_claimed_cents": rules.money_to_cents(Decimal(claimed)),
                "amount_paid_cents": None if paid is None else rules.money_to_cents(Decimal(paid)),
                "provider_name": "Clinique du Plateau"
                if key != "dental-checkup"
                else "Dentistes du Parc",
                "in_network": network,
                "received_on": received,
                "in_review_on": received + timedelta(days=1)
                if status != ClaimStatus.RECEIVED
                else None,
                "decided_on": decided,
                "refusal_reason": reason,
            },
        )
        created += was_created
    return created


@transaction.atomic
def coverage_demo_seed(*, on: date | None = None) -> dict[str, int]:
    """Plans for the first two demo schools (this year and last), enrolments of their
    members and dependants, and a dozen claims each in various statuses; idempotent."""
    from members.demo import DEMO_ASSOCIATIONS

    on = on or timezone.localdate()
    year = rules.policy_year_of(on)
    slugs = [slug for _code, slug, _fr, _en in DEMO_ASSOCIATIONS[:2]]
    associations = {a.slug: a for a in Association.objects.filter(slug__in=slugs)}
    plans = 0
    for index, slug in enumerate(slugs):
        association = associations.get(slug)
        if association is None:
            continue
        plan_seed(association=association, policy_year=year - 1)
        # The second school's window is kept open around today so the demo can show
        # opting out; the first one's is the usual September window.
        windows = (on - timedelta(days=7), on + timedelta(days=21)) if index == 1 else None
        if windows and not (date(year, 9, 1) <= windows[0] and windows[1] <= date(year + 1, 8, 31)):
            windows = None
        plan_seed(association=association, policy_year=year, windows=windows)
        plans += 2
    claims = 0
    members = Member.objects.filter(association__slug__in=slugs).select_related("association")
    for member in members:
        plan = Plan.objects.get(association=member.association, policy_year=year)
        dependants = list(Dependant.objects.filter(member=member).order_by("suffix"))
        enrolment_seed(member=member, plan=plan, dependants=dependants)
        claims += claims_seed(
            member=member,
            plan=plan,
            dependant=dependants[0] if dependants else None,
            prefix=f"DEMO-{member.member_number}",
        )
    return {"plans": plans, "claims": claims}
