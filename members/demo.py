"""Demo accounts for the embedded default (never in production)."""

import csv
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from privacy.staff.api import MEMBER_SERVICES, OPERATOR, PRIVACY_OFFICER

from .models import Association, Dependant, Member, Provider, User

DEMO_PASSWORD = "demo-portail-2026"  # noqa: S105 - printed on purpose, demo only


@dataclass(frozen=True)
class DemoAccount:
    email: str
    description: str
    role: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("etudiante@demo.aseq.ca", "Membre (étudiante) / Member (student)"),
    DemoAccount("etudiant@demo.aseq.ca", "Membre (étudiant) / Member (student)"),
    DemoAccount("services@demo.aseq.ca", "Service aux membres / Member services", MEMBER_SERVICES),
    DemoAccount(
        "confidentialite@demo.aseq.ca",
        "Responsable de la protection des renseignements / Privacy officer",
        PRIVACY_OFFICER,
    ),
    DemoAccount("exploitation@demo.aseq.ca", "Exploitation / Operator", OPERATOR),
)


@transaction.atomic
def demo_accounts_seed() -> list[DemoAccount]:
    """Create the demo accounts, or leave them as they are (idempotent)."""
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email__iexact=account.email).first()
        if user is None:
            user = User.objects.create_user(
                account.email, DEMO_PASSWORD, is_staff=account.role is not None
            )
        EmailAddress.objects.update_or_create(
            user=user, email=account.email, defaults={"verified": True, "primary": True}
        )
        if account.role:
            user.groups.add(Group.objects.get_or_create(name=account.role)[0])
    return list(DEMO_ACCOUNTS)


# --- The plan's records (associations, members, dependants, providers) ----------


@dataclass(frozen=True)
class DemoRecord:
    member_number: str
    association: str  # short code
    student_number: str
    first_name: str
    last_name: str
    date_of_birth: date
    city: str
    postal_code: str
    claimed_by: str | None = None  # demo account email
    dependants: tuple[tuple[str, str, str, date], ...] = ()  # relationship, first, last, birth


DEMO_ASSOCIATIONS = (
    # short code, slug, French name, English name
    (
        "AEUMR",
        "aeumr",
        "Association étudiante de l’Université du Mont-Royal (démo)",
        "Mount Royal University Student Association (demo)",
    ),
    (
        "AECCQ",
        "aeccq",
        "Association étudiante du Cégep de la Capitale (démo)",
        "Cégep de la Capitale Student Association (demo)",
    ),
    (
        "REUE",
        "reue",
        "Regroupement étudiant de l’Université de l’Estrie (démo)",
        "Université de l’Estrie Student Union (demo)",
    ),
)

DEMO_RECORDS = (
    DemoRecord(
        "ASEQ-100001",
        "AEUMR",
        "20231001",
        "Camille",
        "Tremblay",
        date(2001, 3, 14),
        "Montréal",
        "H2X 1Y4",
        claimed_by="etudiante@demo.aseq.ca",
        dependants=(
            ("spouse", "Alex", "Gagnon", date(2000, 7, 2)),
            ("child", "Léa", "Gagnon-Tremblay", date(2022, 5, 9)),
        ),
    ),
    DemoRecord(
        "ASEQ-100002",
        "AECCQ",
        "CQ-458812",
        "Samuel",
        "Nguyen",
        date(2004, 11, 28),
        "Québec",
        "G1R 4P5",
        claimed_by="etudiant@demo.aseq.ca",
    ),
    DemoRecord(
        "ASEQ-100003",
        "AEUMR",
        "20231002",
        "Maya",
        "Côté",
        date(2003, 1, 20),
        "Montréal",
        "H3T 1J4",
    ),
    DemoRecord(
        "ASEQ-100004",
        "AECCQ",
        "CQ-458813",
        "Olivier",
        "Roy",
        date(2005, 9, 5),
        "Québec",
        "G1V 0A6",
    ),
    DemoRecord(
        "ASEQ-100005",
        "REUE",
        "E2024-0077",
        "Inès",
        "Bouchard",
        date(2002, 6, 30),
        "Sherbrooke",
        "J1K 2R1",
    ),
)

# A fictional provider directory around Montréal, Québec, Sherbrooke and Trois-Rivières.
DEMO_PROVIDERS_FILE = Path(__file__).parent / "data" / "demo_providers.csv"


@transaction.atomic
def demo_records_seed() -> list[DemoRecord]:
    """Associations, member records (two claimed by the demo students), dependants
    and providers; idempotent. Returns the records left unclaimed, for testers."""
    associations = {}
    for short_code, slug, name_fr, name_en in DEMO_ASSOCIATIONS:
        associations[short_code], _created = Association.objects.update_or_create(
            short_code=short_code, defaults={"slug": slug, "name_fr": name_fr, "name_en": name_en}
        )
    unclaimed = []
    for record in DEMO_RECORDS:
        member = Member.objects.filter(member_number=record.member_number).first()
        if member is None:
            member = Member.objects.create(
                member_number=record.member_number,
                association=associations[record.association],
                student_number=record.student_number,
                first_name=record.first_name,
                last_name=record.last_name,
                date_of_birth=record.date_of_birth,
                city=record.city,
                province="QC",
                postal_code=record.postal_code,
                email=f"{record.first_name.lower()}.{record.member_number[-3:]}@courriel.example",
            )
            for suffix, (relationship, first, last, born) in enumerate(
                record.dependants, start=Dependant.SPOUSE_SUFFIX
            ):
                Dependant.objects.create(
                    member=member,
                    relationship=relationship,
                    suffix=suffix,
                    first_name=first,
                    last_name=last,
                    date_of_birth=born,
                )
        if record.claimed_by:
            user = User.objects.get(email__iexact=record.claimed_by)
            if member.user_id is None and not Member.objects.filter(user=user).exists():
                member.user = user
                member.claimed_at = timezone.now()
                member.save(update_fields=["user", "claimed_at"])
        elif member.user_id is None:
            unclaimed.append(record)
    with DEMO_PROVIDERS_FILE.open(encoding="utf-8", newline="") as rows:
        for row in csv.DictReader(rows):
            Provider.objects.update_or_create(
                name=row.pop("name"),
                defaults={
                    **row,
                    "latitude": Decimal(row["latitude"]),
                    "longitude": Decimal(row["longitude"]),
                    "in_network": row["in_network"] == "yes",
                },
            )
    return unclaimed
