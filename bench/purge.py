"""Retention purge throughput and memory, next to a raw SQL DELETE of the same rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aseq .venv/bin/python bench/purge.py
    ... bench/purge.py --rows 1000000 [--batch-size N] [--repeat 3]

Creates a throwaway database (<DATABASE_URL's name>_bench_purge, dropped at the
end), migrates it with the test settings (which install the tests-only app
tests/retentionapp), and fills retentionapp_visit with N expired rows, 10% more
still in their window, and one account in a hundred under a legal hold; the
table is then vacuumed, as old rows in service are. Each repeat refills it and
times the purge engine (bounded batches, one transaction each, SKIP LOCKED),
then refills it and times one raw SQL DELETE of the same rows; medians are
printed. A last purge runs under tracemalloc for the peak Python memory, which
must not grow with N (compare --rows 100000 and --rows 1000000).
"""

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ACCOUNTS = 100
HELD_EVERY = 100  # one account in a hundred is under a legal hold


def throwaway_database(url: str, *, create: bool) -> str:
    """(Re)create, or drop, <name>_bench_purge next to DATABASE_URL's database."""
    import psycopg

    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/purge.py needs DATABASE_URL on PostgreSQL")
    name = f"{parts.path.lstrip('/') or 'aseq'}_bench_purge"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def fill(cursor, rows: int, accounts: list[str]) -> None:
    """N expired visits (40 days old and more) and 10% within their window."""
    cursor.execute("TRUNCATE retentionapp_visit")
    cursor.execute(
        """
        INSERT INTO retentionapp_visit (id, account_id, visited_at, page)
        SELECT gen_random_uuid(), (%(accounts)s::uuid[])[1 + i %% %(n)s],
               now() - interval '40 days' - i * interval '1 second', '/page/' || i
        FROM generate_series(1, %(rows)s) AS i
        UNION ALL
        SELECT gen_random_uuid(), (%(accounts)s::uuid[])[1 + i %% %(n)s],
               now() - interval '1 day', '/recent/' || i
        FROM generate_series(1, %(recent)s) AS i
        """,
        {"accounts": accounts, "n": len(accounts), "rows": rows, "recent": rows // 10},
    )
    # Rows past their window are old: vacuumed, like any table in service. Both
    # contenders start from that state, with no checkpoint pending.
    cursor.execute("VACUUM ANALYZE retentionapp_visit")
    cursor.execute("CHECKPOINT")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=3, help="median of this many timings")
    args = parser.parse_args()

    os.environ["DJANGO_SETTINGS_MODULE"] = "aseq_portal.settings.test"
    os.environ.setdefault("DJANGO_IGNORE_DOTENV", "true")
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        sys.exit("bench/purge.py needs DATABASE_URL (PostgreSQL)")
    os.environ["DATABASE_URL"] = throwaway_database(url, create=True)
    try:
        measure(args)
    finally:
        from django.db import connections

        connections.close_all()
        throwaway_database(url, create=False)


def measure(args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from members.models import User
    from privacy.models import LegalHold, RetentionRun
    from privacy.retention.api import legal_hold_place, retention_purge, retention_rule_for

    call_command("migrate", verbosity=0)
    call_command("migrate", database="keystore", verbosity=0)
    users = [User.objects.create_user(f"bench{i}@example.org") for i in range(ACCOUNTS)]
    for user in users[::HELD_EVERY]:
        legal_hold_place(
            subject=user, kind=LegalHold.Kind.RECOURSE, reason="bench", source_id=user.pk
        )
    accounts = [str(user.pk) for user in users]
    batch_size = args.batch_size or settings.PRIVACY_PURGE_BATCH_SIZE
    rule = retention_rule_for("retentionapp.Visit")

    def purge() -> tuple[int, float]:
        with connection.cursor() as cursor:
            fill(cursor, args.rows, accounts)
        started = time.perf_counter()
        run = retention_purge(
            started_by=RetentionRun.BY_COMMAND,
            model_label="retentionapp.Visit",
            batch_size=batch_size,
        )
        return run.lines.get().count, time.perf_counter() - started

    def raw_delete() -> tuple[int, float]:
        with connection.cursor() as cursor:
            fill(cursor, args.rows, accounts)
            started = time.perf_counter()
            cursor.execute(
                """
                DELETE FROM retentionapp_visit
                WHERE visited_at < %s AND NOT (account_id IN (
                    SELECT subject_id FROM privacy_legalhold
                    WHERE starts <= now() AND (ends IS NULL OR ends > now())
                      AND subject_id IS NOT NULL))
                """,
                [rule.cutoff(timezone.now())],
            )
            return cursor.rowcount, time.perf_counter() - started

    purges, raws = [], []
    for _ in range(args.repeat):
        purges.append(purge())
        raws.append(raw_delete())
    purged, raw_deleted = purges[0][0], raws[0][0]
    assert all(count == purged for count, _ in purges + raws), "both must take the same rows"
    purge_seconds = statistics.median(seconds for _, seconds in purges)
    raw_seconds = statistics.median(seconds for _, seconds in raws)

    with connection.cursor() as cursor:
        fill(cursor, args.rows, accounts)
    tracemalloc.start()
    retention_purge(
        started_by=RetentionRun.BY_COMMAND, model_label="retentionapp.Visit", batch_size=batch_size
    )
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    held = args.rows - purged
    engine_rate, raw_rate = purged / purge_seconds, raw_deleted / raw_seconds
    print(
        f"PostgreSQL {connection.pg_version // 10000}: {args.rows:,} expired rows "
        f"(+{args.rows // 10:,} in their window, {held:,} under a legal hold), "
        f"batch size {batch_size:,}, median of {args.repeat}"
    )
    for name, rows, seconds in (
        ("purge engine", purged, purge_seconds),
        ("raw DELETE", raw_deleted, raw_seconds),
    ):
        print(
            f"  {name:<12} : {rows:>10,} rows in {seconds:6.2f} s = {rows / seconds:>10,.0f} rows/s"
        )
    print(f"  engine / raw : {engine_rate / raw_rate:.0%} (target >= 30%)")
    print(f"  peak Python memory during the purge (tracemalloc): {peak / 2**20:.2f} MiB")
    print(
        f"  process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
