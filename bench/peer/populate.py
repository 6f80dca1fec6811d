"""The peer's population for bench/instructions.py, shaped like bench/populate.py's.

    DJANGO_SETTINGS_MODULE=bench.peer.settings python -m bench.peer.populate 2000 PASSWORD

Every account ``bench{i}@bench.example.org`` (verified address) has a member
record on one plan of nine benefits; every fourth member has a spouse; each
member has three paid claims this year, and the spouse one.
"""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.peer.settings")

BENEFITS = [
    ("Médicaments", "Prescription drugs", "2000"),
    ("Physiothérapie", "Physiotherapy", "500"),
    ("Psychologue", "Psychologist", "1000"),
    ("Chiropraticien", "Chiropractor", "300"),
    ("Massothérapie", "Massage therapy", "300"),
    ("Examen de la vue", "Eye exam", "80"),
    ("Lunettes et lentilles", "Glasses and contacts", "150"),
    ("Examen dentaire", "Dental check-up", "750"),
    ("Soins dentaires de base", "Basic dental care", "750"),
]
SPOUSE_EVERY = 4
CHUNK = 2000


def populate(*, count: int, password: str) -> None:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from bench.populate import email_of

    from .models import Benefit, Claim, Dependant, Member, Plan

    User = get_user_model()
    today = timezone.localdate()
    year = today.year if today.month >= 9 else today.year - 1
    plan = Plan.objects.create(
        name=f"Régime étudiant {year}-{year + 1}",
        starts_on=date(year, 9, 1),
        ends_on=date(year + 1, 8, 31),
    )
    benefits = Benefit.objects.bulk_create(
        Benefit(plan=plan, name_fr=fr, name_en=en, yearly_max=Decimal(cap), position=n)
        for n, (fr, en, cap) in enumerate(BENEFITS)
    )
    served = min(today, plan.starts_on + timedelta(days=30))
    hashed = make_password(password)
    for start in range(0, count, CHUNK):
        indexes = range(start, min(start + CHUNK, count))
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(username=email_of(i), email=email_of(i), password=hashed) for i in indexes
            )
            EmailAddress.objects.bulk_create(
                EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
            )
            members = Member.objects.bulk_create(
                Member(
                    user=user,
                    plan=plan,
                    member_number=f"BENCH-{i:06d}",
                    first_name="Camille",
                    last_name=f"Banc-{i}",
                    date_of_birth=date(2000, 1, 1) + timedelta(days=i % 3000),
                )
                for i, user in zip(indexes, users, strict=True)
            )
            spouses = Dependant.objects.bulk_create(
                Dependant(
                    member=member,
                    relationship=Dependant.Relationship.SPOUSE,
                    first_name="Alex",
                    last_name=f"Banc-{i}",
                    date_of_birth=date(1999, 6, 1),
                )
                for i, member in zip(indexes, members, strict=True)
                if i % SPOUSE_EVERY == 0
            )
            claims = [
                Claim(member=member, benefit=benefits[n], service_date=served, amount_paid=paid)
                for member in members
                for n, paid in ((1, Decimal("40")), (7, Decimal("240")), (2, Decimal("90")))
            ]
            claims += [
                Claim(
                    member=spouse.member,
                    dependant=spouse,
                    benefit=benefits[0],
                    service_date=served,
                    amount_paid=Decimal("35.50"),
                )
                for spouse in spouses
            ]
            Claim.objects.bulk_create(claims)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    import django

    django.setup()
    populate(count=int(sys.argv[1]), password=sys.argv[2])


if __name__ == "__main__":
    main()
