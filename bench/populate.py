"""Deadline-day data for bench/pages.py: accounts, claimed member records, coverage.

    DJANGO_SETTINGS_MODULE=bench.settings python bench/populate.py 10000 PASSWORD

The plan's real scale (300,000 members, 2 million claims, 3 million audit entries;
PostgreSQL only, 15-30 minutes, see bench/population_aseq.py):

    python bench/populate.py --scale aseq PASSWORD

Every bench account ``bench{i}@bench.example.org`` has claimed the member record
``BENCH-{i:06d}`` whose id is ``member_id(i)`` (a UUID the load generator can
compute, so the proof-of-coverage URL needs no lookup). Every fourth member covers
a spouse. Each person is enrolled in health and dental on their association's plan
for this policy year, whose change-of-coverage window is open today (so opting
out can be posted), and each member has three claims (two paid, one in review).

Rows are written with bulk_create: the primary keys are assigned in Python
(PrivateModel), so each encrypted value is sealed to its row as a save() would
(privacy.fields pre_save runs for bulk_create too).
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

# Fixed namespace: the load generator derives the same ids (bench/locustfile.py).
BENCH_NAMESPACE = uuid.UUID("6f1c1b0e-3c1e-4d55-9a51-5e2f1a0b7c01")
ASSOCIATIONS = 4
SPOUSE_EVERY = 4
CHUNK = 2000


def member_id(index: int) -> uuid.UUID:
    return uuid.uuid5(BENCH_NAMESPACE, f"member-{index}")


def email_of(index: int) -> str:
    return f"bench{index}@bench.example.org"


def populate(*, count: int, password: str) -> dict[str, int]:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from coverage import rules
    from coverage.demo import plan_seed, window_open_around
    from coverage.models import Claim, ClaimStatus, Enrolment, EnrolmentStatus, Part
    from members.models import Association, Dependant, Member, User

    today = timezone.localdate()
    now = timezone.now()
    year = rules.policy_year_of(today)
    window = window_open_around(today, before_days=7, after_days=21)
    plans = []
    for n in range(ASSOCIATIONS):
        association, _created = Association.objects.get_or_create(
            short_code=f"BENCH{n}",
            defaults={
                "slug": f"bench-{n}",
                "name_fr": f"Association étudiante du banc d’essai {n}",
                "name_en": f"Bench Student Association {n}",
            },
        )
        plans.append(plan_seed(association=association, policy_year=year, windows=window))
    benefits = [{b.key: b for b in plan.benefits.all()} for plan in plans]
    # Service dates inside this policy year, never in the future.
    first_day = rules.policy_year_bounds(year)[0]
    span = max(0, (today - first_day).days)

    def service_on(offset: int) -> date:
        return first_day + timedelta(days=min(offset, span))

    hashed = make_password(password)  # one hash, shared: hashing 10,000 times proves nothing
    counts = {"members": 0, "dependants": 0, "enrolments": 0, "claims": 0}
    for start in range(0, count, CHUNK):
        indexes = range(start, min(start + CHUNK, count))
        with transaction.atomic():
            users = User.objects.bulk_create(
                [User(email=email_of(i), password=hashed) for i in indexes]
            )
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
            )
            members, dependants, enrolments, claims = [], [], [], []
            for i, user in zip(indexes, users, strict=True):
                plan = plans[i % ASSOCIATIONS]
                member = Member(
                    id=member_id(i),
                    association_id=plan.association_id,
                    member_number=f"BENCH-{i:06d}",
                    student_number=f"B{i:08d}",
                    first_name="Camille",
                    last_name=f"Banc-{i}",
                    date_of_birth=date(2000, 1, 1) + timedelta(days=i % 3000),
                    address_line1="3455, rue Durocher",
                    city="Montréal",
                    province="QC",
                    postal_code="H2X 2E5",
                    phone="514 555-0100",
                    email=f"contact{i}@bench.example.org",
                    user=user,
                    claimed_at=now,
                )
                members.append(member)
                persons = [None]
                if i % SPOUSE_EVERY == 0:
                    spouse = Dependant(
                        member=member,
                        relationship=Dependant.Relationship.SPOUSE,
                        suffix=Dependant.SPOUSE_SUFFIX,
                        first_name="Alex",
                        last_name=f"Banc-{i}",
                        date_of_birth=date(1999, 6, 1),
                    )
                    dependants.append(spouse)
                    persons.append(spouse)
                for person in persons:
                    for part in Part.values:
                        enrolments.append(
                            Enrolment(
                                member=member,
                                dependant=person,
                                plan=plan,
                                part=part,
                                status=EnrolmentStatus.COVERED,
                                policy_year_end=plan.ends_on,
                            )
                        )
                for n, (key, offset, claimed, paid, status) in enumerate(
                    (
                        ("physiotherapy", 10, 8500, 4000, ClaimStatus.PAID),
                        ("dental-checkup", 30, 30000, 24000, ClaimStatus.PAID),
                        ("psychologist", 60, 12000, None, ClaimStatus.IN_REVIEW),
                    )
                ):
                    served = service_on(offset + i % 7)
                    claims.append(
                        Claim(
                            member=member,
                            benefit=benefits[i % ASSOCIATIONS][key],
                            reference=f"BENCH-{i:06d}-{n}",
                            status=status,
                            policy_year_end=plan.ends_on,
                            service_date=served,
                            amount_claimed_cents=claimed,
                            amount_paid_cents=paid,
                            provider_name="Clinique du Plateau",
                            received_on=served + timedelta(days=1),
                            in_review_on=served + timedelta(days=2),
                            decided_on=served + timedelta(days=5) if paid else None,
                        )
                    )
            Member.objects.bulk_create(members)
            Dependant.objects.bulk_create(dependants)
            Enrolment.objects.bulk_create(enrolments)
            Claim.objects.bulk_create(claims)
        counts["members"] += len(members)
        counts["dependants"] += len(dependants)
        counts["enrolments"] += len(enrolments)
        counts["claims"] += len(claims)
    return counts


def main() -> None:
    import django

    django.setup()
    if sys.argv[1:2] == ["--scale"]:
        if sys.argv[2:3] != ["aseq"]:
            raise SystemExit("--scale takes one value: aseq")
        from bench.population_aseq import populate_aseq

        started = time.monotonic()
        counts = populate_aseq(password=sys.argv[3])
        print(", ".join(f"{n:,} {name}" for name, n in counts.items()), end=" ")
        print(f"in {time.monotonic() - started:.0f} s")
        return
    count, password = int(sys.argv[1]), sys.argv[2]
    started = time.monotonic()
    counts = populate(count=count, password=password)
    from django.db import connection

    with connection.cursor() as cursor:
        # Planner statistics, as autovacuum keeps them on a live database; without them
        # a bulk-loaded table is read with plans meant for an empty one.
        cursor.execute("ANALYZE")
    print(
        f"{counts['members']} members ({counts['dependants']} spouses, "
        f"{counts['enrolments']} enrolments, {counts['claims']} claims) "
        f"in {time.monotonic() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
