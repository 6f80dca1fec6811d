"""Where one page spends its time: queries and a profile, through the whole stack.

    DATABASE_URL=postgres://... PRIVACY_ENCRYPTION_KEYS=... PRIVACY_BLIND_INDEX_KEY=... \
        DJANGO_SETTINGS_MODULE=bench.settings BENCH_STATIC_ROOT=/tmp/static \
        .venv/bin/python bench/profile_page.py coverage_summary [--repeat 300] [--profile]

Runs against a database that bench/populate.py filled (signed in as bench0) with
Django's test client, so every middleware, the session and the templates run as
under gunicorn. Prints the queries of one request, the mean time per request, and
with --profile the functions that cost the most (cProfile, cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url_name", help="e.g. coverage_summary, account_overview, home")
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--anonymous", action="store_true")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--lines", type=int, default=45)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from bench.populate import email_of, member_id
    from members.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    if not args.anonymous:
        client.force_login(User.objects.get(email=email_of(0)))
    with translation.override("fr"):
        kwargs = {"person_id": member_id(0)} if args.url_name == "coverage_card" else {}
        url = reverse(args.url_name, kwargs=kwargs)
    for _ in range(5):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    print(f"{url}: {len(response.content)} bytes, {len(queries)} queries")
    for query in queries.captured_queries:
        print(f"  {query['time']}s  {query['sql'][:160]}")

    # Best of five batches: a machine shared with other work only ever slows a batch down.
    batches = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(args.repeat):
            client.get(url)
        batches.append((time.perf_counter() - started) / args.repeat * 1000)
    print(
        f"{min(batches):.2f} ms per request (best of 5 x {args.repeat}; "
        f"median {sorted(batches)[2]:.2f})"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.repeat):
            client.get(url)
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
