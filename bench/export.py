"""Time to build an access export for a busy member (target under 1 s on PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aseq_bench .venv/bin/python bench/export.py

The member has a plan record with 10 dependants (members) and 1,000 claims.
Coverage's claims are not on this branch yet: the 1,000 claims are rows of the
tests-only model ``requestsapp.Visit`` (a declared, claim-like model with an
encrypted description), so the script runs under the test settings. Prints
the median of several builds of the whole export (walk of the data map,
decryption, JSON, readable HTML, ZIP, sealing and saving the archive) and
where the time goes. The rows it creates are deleted at the end.
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
    from decimal import Decimal

    from tests.factories import DependantFactory, MemberFactory, UserFactory
    from tests.requestsapp.models import Holder, Visit

    user = UserFactory(email=f"bench-{time.time_ns()}@example.org")
    record = MemberFactory(user=user)
    for _ in range(dependants):
        DependantFactory(member=record)
    holder = Holder.objects.create(
        user=user,
        full_name="Banc d’essai",
        birth_date=datetime.date(2001, 1, 1),
        student_number=str(time.time_ns())[-9:],
        phone="514-555-0100",
        city="Montréal",
    )
    today = timezone.localdate()
    for n in range(claims):
        Visit(
            holder=holder,
            service_on=today - datetime.timedelta(days=n % 700),
            amount=Decimal("42.50"),
            description=f"Réclamation {n}: examen et nettoyage",
        ).save()
    return user


def cleanup(user) -> None:
    from privacy.models.requests import PrivacyRequest

    with transaction.atomic():
        for request in PrivacyRequest.objects.filter(member=user):
            request.delete()
        holder = user.holder
        holder.visits.all().delete()
        holder.delete()
        user.member.dependants.all().delete()
        user.member.delete()
        user.delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dependants", type=int, default=10)
    parser.add_argument("--claims", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from privacy.models.requests import PrivacyRequest, RequestKind
    from privacy.requests import exports

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
