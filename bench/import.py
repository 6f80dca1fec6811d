"""Insurer-feed import throughput and memory: 10,000 and 100,000 claim lines.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aseq_bench .venv/bin/python bench/import.py

Each size runs in its own process, so its peak resident memory (ru_maxrss) is
its own: if the import streams, the peak at 100,000 lines is about the peak at
10,000. Prints lines/s for a first import (all created) and a second run of the
same file (all unchanged). Data is synthetic; the claims it creates are deleted
at the end of each run.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MEMBERS = 2000
PREFIX = "BNCH"
BENEFITS = ("physiotherapy", "psychologist", "massage", "dental-checkup", "prescription-drugs")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aseq_portal.settings.local")
    # As in production: no per-query bookkeeping.
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()


def prepare() -> None:
    """Schema, one association with its plan, and the members the claims belong to."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("migrate", database="keystore", verbosity=0)
    from coverage import rules
    from coverage.demo import plan_seed
    from coverage.feed import coverage_import
    from members.models import Association

    association, _ = Association.objects.get_or_create(
        slug="bench-school",
        defaults={"name_fr": "École banc d’essai", "name_en": "Bench school", "short_code": "BNCH"},
    )
    year = rules.policy_year_of(date.today())
    for policy_year in (year - 1, year):
        plan_seed(association=association, policy_year=policy_year)
    with tempfile.NamedTemporaryFile("w+", suffix=".csv", delete=False, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "card_number",
                "association",
                "relationship",
                "first_name",
                "last_name",
                "date_of_birth",
                "student_number",
            ]
        )
        for n in range(MEMBERS):
            writer.writerow(
                [
                    f"{PREFIX}-{n:06d}-00",
                    association.slug,
                    "member",
                    "Prénom",
                    f"Nom{n}",
                    "2003-01-01",
                    f"9{n:07d}",
                ]
            )
    with open(handle.name, "rb") as stream:
        report = coverage_import(stream=stream)
    os.unlink(handle.name)
    assert report.applied, report.errors[:5]


def write_claims(path: Path, lines: int) -> None:
    rng = random.Random(lines)
    today = date.today()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "reference",
                "card_number",
                "benefit",
                "service_date",
                "amount_claimed",
                "amount_paid",
                "status",
                "received_on",
                "in_review_on",
                "decided_on",
                "refusal_reason",
                "provider_name",
                "in_network",
            ]
        )
        for n in range(lines):
            service = today - timedelta(days=rng.randint(1, 300))
            claimed = rng.randint(2000, 30000)
            writer.writerow(
                [
                    f"{PREFIX}-{lines}-{n:07d}",
                    f"{PREFIX}-{rng.randrange(MEMBERS):06d}-00",
                    rng.choice(BENEFITS),
                    service.isoformat(),
                    f"{claimed / 100:.2f}",
                    f"{claimed * 0.8 / 100:.2f}",
                    "paid",
                    service.isoformat(),
                    service.isoformat(),
                    (service + timedelta(days=5)).isoformat(),
                    "",
                    "Clinique",
                    "non",
                ]
            )


def child(lines: int) -> None:
    setup_django()
    from coverage.feed import coverage_import
    from coverage.models import Claim

    Claim.objects.filter(reference__startswith=f"{PREFIX}-").delete()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "claims.csv"
        write_claims(path, lines)
        size_mb = path.stat().st_size / 1e6
        runs = []
        for label in ("first import (created)", "second run (unchanged)"):
            start = time.perf_counter()
            with path.open("rb") as stream:
                report = coverage_import(stream=stream)
            seconds = time.perf_counter() - start
            assert report.applied and not report.error_count, report.errors[:5]
            runs.append((label, seconds, report))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{lines:>7,} lines ({size_mb:.1f} MB CSV), peak resident memory {peak_mb:.0f} MB")
    for label, seconds, report in runs:
        print(
            f"    {label:<24} {seconds:6.1f} s  {lines / seconds:8,.0f} lines/s  "
            f"(created {report.created}, updated {report.updated}, unchanged {report.unchanged})"
        )
    Claim.objects.filter(reference__startswith=f"{PREFIX}-").delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", type=int)
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    setup_django()
    from django.db import connection

    print(f"Database: {connection.vendor}, {MEMBERS:,} members, chunk size from settings")
    prepare()
    for size in (int(s) for s in args.sizes.split(",")):
        subprocess.run([sys.executable, __file__, "--child", str(size)], check=True)


if __name__ == "__main__":
    main()
