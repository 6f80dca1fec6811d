"""Claim your record: does an attacker learn anything from the time an answer takes?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aseq_bench \
        .venv/bin/python bench/members_claim.py

Times ``member_claim`` (the whole service: lookup, comparison, claim log and
activity rows) for a record that does not exist, a wrong date of birth and a
record already linked to another account, on a test database holding
``--records`` member records. Prints the median and 95th percentile of each;
the three should be within noise of each other.
"""

from __future__ import annotations

import argparse
import datetime
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

from django.core.cache import cache  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

from members.models import Association, Member, User  # noqa: E402
from members.origin import Origin  # noqa: E402
from members.services import member_claim  # noqa: E402


def seed(records: int) -> tuple[Association, Member, Member]:
    association = Association.objects.create(
        name_fr="Bench", name_en="Bench", slug="bench", short_code="BENCH"
    )
    owner = User.objects.create_user("owner@bench.example", "x")
    members = [
        Member.objects.create(
            association=association,
            member_number=f"ASEQ-{500000 + n}",
            student_number=f"{30000000 + n}",
            first_name="Bench",
            last_name=f"Member{n}",
            date_of_birth=datetime.date(2000, 1, 1) + datetime.timedelta(days=n % 3000),
        )
        for n in range(records)
    ]
    claimed = members[0]
    claimed.user = owner
    claimed.claimed_at = owner.date_joined
    claimed.save()
    return association, claimed, members[1]


def timed(rounds: int, **answers) -> list[float]:
    samples = []
    for n in range(rounds):
        user = User.objects.create_user(f"bench{time.perf_counter_ns()}-{n}@bench.example", "x")
        cache.clear()
        start = time.perf_counter()
        result = member_claim(user=user, origin=Origin(ip_network="192.0.2.0"), **answers)
        samples.append((time.perf_counter() - start) * 1000)
        assert not result.succeeded
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    databases = runner.setup_databases()
    try:
        with override_settings(
            MEMBERS_CLAIM_RATE_LIMIT="1000000/h", MEMBERS_CLAIM_RATE_LIMIT_PER_NETWORK="1000000/h"
        ):
            association, claimed, unclaimed = seed(args.records)
            cases = {
                "no such record": {
                    "association": association,
                    "student_number": "99999999",
                    "date_of_birth": unclaimed.date_of_birth,
                },
                "wrong date of birth": {
                    "association": association,
                    "student_number": unclaimed.student_number,
                    "date_of_birth": datetime.date(1990, 1, 1),
                },
                "already claimed": {
                    "association": association,
                    "student_number": claimed.student_number,
                    "date_of_birth": claimed.date_of_birth,
                },
            }
            timed(30, **cases["no such record"])  # warm up
            # Interleaved, so that tables growing during the run weigh on every case alike.
            samples: dict[str, list[float]] = {case: [] for case in cases}
            for _round in range(args.rounds):
                for case, answers in cases.items():
                    samples[case] += timed(1, **answers)
            print(f"member_claim, {args.records} records, {args.rounds} rounds (ms)")
            for case, values in samples.items():
                values.sort()
                p95 = values[int(len(values) * 0.95) - 1]
                print(f"  {case:<22} median {statistics.median(values):6.2f}   p95 {p95:6.2f}")
    finally:
        runner.teardown_databases(databases)


if __name__ == "__main__":
    main()
