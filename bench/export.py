"""Time to build an access export for a busy member (target under 1 s on PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aseq_bench .venv/bin/python bench/export.py

The member has a plan record with 10 dependants (members), an enrolment per
person and part, and 1,000 claims (coverage, eight encrypted fields each),
spread over the member and the dependants. It runs under the test settings
(fixed test keys). Prints the median of several builds of the whole export
(walk of the data map, decryption, JSON, readable HTML, ZIP, sealing and
saving the archive) and where the time goes. The rows it creates are deleted
at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aseq_portal.settings.test")
os.environ.setdefault("DJANGO_IGNORE_DOTENV", "true")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone, translation  # noqa: E402


def populate(dependants: int, claims: int):
    import datetime

    from coverage import rules
    from coverage.demo import enrolment_seed, plan_seed
    from coverage.models import Claim, ClaimStatus
    from tests.factories import DependantFactory, MemberFactory, UserFactory

    tag = time.time_ns()
    user = UserFactory(email=f"bench-{tag}@example.org")
    record = MemberFactory(user=user)
    people = [DependantFactory(member=record) for _ in range(dependants)]
    plan = plan_seed(
        association=record.association, policy_year=rules.policy_year_of(timezone.localdate())
    )
    enrolment_seed(member=record, plan=plan, dependants=people)
    benefits = list(plan.benefits.all())
    for n in range(claims):
        service = plan.starts_on + datetime.timedelta(days=n % 300)
        Claim(
            member=record,
            dependant=people[n % len(people)] if people and n % 3 == 0 else None,
            benefit=benefits[n % len(benefits)],
            reference=f"BENCH-{tag}-{n:05d}",
            status=ClaimStatus.PAID,
            policy_year_end=plan.ends_on,
            service_date=service,
            amount_claimed_cents=8500,
            amount_paid_cents=4000,
            provider_name="Clinique du Plateau",
            received_on=service + datetime.timedelta(days=2),
            in_review_on=service + datetime.timedelta(days=3),
            decided_on=service + datetime.timedelta(days=8),
        ).save()
    return user


def cleanup(user) -> None:
    from privacy.requests.models import PrivacyRequest

    with transaction.atomic():
        for request in PrivacyRequest.objects.filter(member=user):
            request.delete()
        record = user.member
        record.claims.all().delete()
        record.enrolments.all().delete()
        record.dependants.all().delete()
        record.delete()
        user.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dependants", type=int, default=10)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    call_command("migrate", database="keystore", verbosity=0)
    from privacy.requests import exports
    from privacy.requests.models import PrivacyRequest, RequestKind

    user = populate(args.dependants, args.claims)
    try:
        request = PrivacyRequest.objects.create(
            member=user,
            kind=RequestKind.ACCESS,
            reference=f"DPR-BENCH-{time.time_ns() % 10**6:06d}",
            due_on=timezone.localdate(),
        )
        totals, walks, pages, archives = [], [], [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            with translation.override("fr"):
                data = exports.export_data(user=user)
                walked = time.perf_counter()
                html = exports.export_html(data=data, privacy_request=request)
                paged = time.perf_counter()
            exports.export_zip(data=data, html=html)
            zipped = time.perf_counter()
            walks.append(walked - start)
            pages.append(paged - walked)
            archives.append(zipped - paged)
            start = time.perf_counter()
            archive = exports.export_build(privacy_request=request)
            totals.append(time.perf_counter() - start)
        rows = sum(len(section["rows"]) for section in data["sections"])
        print(
            f"Export of one member ({args.dependants} dependants, {args.claims} claims; "
            f"{rows} rows, {len(data['sections'])} sections) on {connection.vendor}:"
        )
        print(f"  build, end to end (median of {args.runs}): {statistics.median(totals):.3f} s")
        print(f"    walk of the data map + decryption: {statistics.median(walks):.3f} s")
        print(f"    readable HTML page:                {statistics.median(pages):.3f} s")
        print(f"    JSON + ZIP:                        {statistics.median(archives):.3f} s")
        print(f"  archive: {archive.size / 1024:.0f} KiB (sealed at rest)")
        verdict = "met" if statistics.median(totals) < 1 else "NOT met"
        print(f"  target under 1 s: {verdict}")
    finally:
        cleanup(user)


if __name__ == "__main__":
    main()
