"""Deadline day on one machine: gunicorn + PostgreSQL + 10,000 members, locust at 8 users.

    make bench                    # or: .venv/bin/python bench/pages.py [options]

Prints, for each page alone and for the deadline-day mix: requests per second,
p50/p95/p99 latency and errors, next to a bare Django view served by the same
server (the ratio is the figure), and the bytes each page costs a phone
(HTML and CSS, gzip-compressed). Needs PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/postgres: a fresh database is created next to
it and dropped at the end). Traffic goes to 127.0.0.1 only and stops by itself.

Every bench member has claimed a member record with enrolments, a spouse for one
in four, and three claims (bench/populate.py), so the coverage pages show real
balances. Pages are declared in PAGES below; the mix is --mix name:weight,...

A second yardstick, a signed-in view that only loads the session, the account
and the member record (bench/urls.py), shows what being signed in costs before
a page does anything: the part of every member page no page-level work removes.

The last table is the verdict per page against the targets: coverage summary at
least 50 % of the bare view's requests per second; every page p95 under 50 ms at
8 users with zero errors; every member page under 30 KB gzip (HTML + CSS/JS).
Signing in is reported apart: it runs the real password hasher (PBKDF2-SHA256,
1,000,000 iterations: about 0.2 s of CPU each, by design), which no page target
applies to; in the mix it takes most of the CPU.

Sessions and the cache use Redis as in production (REDIS_URL, else BENCH_REDIS_URL,
default redis://127.0.0.1:6379/15, keys under a prefix of their own, removed at the
end); without a Redis server the run falls back to the in-process cache and says so.
Encryption keys are generated for each run.

gunicorn runs 2 workers x 4 threads (gthread) by default: one process per core of
the 2-core reference machine, threads to overlap database and Redis waits, and 8
request slots for the 8 users. On that machine (shared with locust and other work),
2x4, 3x2, 4x1, 4x2 and 5x1 were each run twice: 2x4 gave the best coverage summary
throughput and p95 both times (94-103 req/s, p95 130-140 ms, against 58-112 and
130-760 ms). Set --workers/--threads to the cores of another machine.

Why one module past 400 lines: a benchmark is one script a reader runs and reads
whole (setup, load, measures, verdict); its data lives in bench/populate.py.
"""

from __future__ import annotations

import argparse
import base64
import csv
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.populate import email_of, member_id  # noqa: E402
from ops.loopback import (  # noqa: E402
    free_port,
    gunicorn_start,
    postgres_database_create,
    postgres_database_drop,
)

PASSWORD = "bench-portail-2026"  # noqa: S105 - benchmark accounts on a throwaway database
TARGET_BYTES = 30 * 1024
TARGET_RATIO = 0.5  # coverage summary req/s against the bare view's
TARGET_P95_MS = 50


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    signed_in: bool
    kind: str = "get"  # "get", "sign_in" or "opt_out" (see bench/locustfile.py)
    ratio_target: float | None = None  # share of the bare view's req/s to reach


# Every page the bench knows; {member_id} is the signed-in member's record.
PAGES = {
    "bare": Page("bare Django view", "/bench/bare/", signed_in=False),
    "bare_signed_in": Page("bare view, signed in", "/bench/bare/signed-in/", signed_in=True),
    "home": Page("home (signed out)", "/fr/", signed_in=False),
    "sign_in_form": Page("sign-in form", "/fr/compte/login/", signed_in=False),
    "sign_in": Page("sign in (POST)", "/fr/compte/login/", signed_in=False, kind="sign_in"),
    "summary": Page(
        "coverage summary", "/fr/couverture/", signed_in=True, ratio_target=TARGET_RATIO
    ),
    "enrolment": Page("opt-out page", "/fr/couverture/adhesion/", signed_in=True),
    "opt_out": Page("opt out (POST)", "/fr/couverture/adhesion/", signed_in=True, kind="opt_out"),
    "card": Page("proof of coverage", "/fr/couverture/carte/{member_id}/", signed_in=True),
    "account": Page("my account", "/fr/mon-compte/", signed_in=True),
    "privacy_centre": Page("privacy centre", "/fr/confidentialite/", signed_in=True),
}
# Deadline day: members sign in, read their coverage, show their proof, and some
# open the change-of-coverage page and opt out (or back in) before the window closes.
DEFAULT_MIX = "sign_in:1,summary:6,card:3,enrolment:2,opt_out:1,account:1,privacy_centre:1,home:1"


def run(command: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def throwaway_keys() -> dict[str, str]:
    """Field-encryption keys for this run only (the database is dropped at the end)."""
    return {
        "PRIVACY_ENCRYPTION_KEYS": "bench:" + base64.b64encode(os.urandom(32)).decode(),
        "PRIVACY_BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
    }


def redis_for_bench(prefix: str) -> tuple[str, str]:
    """(REDIS_URL, what to print): production's cache and session store, if one answers."""
    import redis

    url = os.environ.get("REDIS_URL") or os.environ.get(
        "BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"
    )
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError:
        return "", "no Redis server answered: in-process cache (not as in production)"
    return url, f"Redis cache {urlsplit(url).netloc}{urlsplit(url).path}, key prefix {prefix}"


def redis_cleanup(url: str, prefix: str) -> None:
    import redis

    if not url:
        return
    client = redis.Redis.from_url(url, socket_timeout=5)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


def locust(
    env,
    host: str,
    pages: list[tuple[Page, int]],
    users: int,
    seconds: int,
    out: Path,
    sessions: list[dict],
):
    spec = [
        {"name": p.name, "path": p.path, "signed_in": p.signed_in, "weight": w, "kind": p.kind}
        for p, w in pages
    ]
    env = dict(
        env,
        BENCH_PAGES=json.dumps(spec),
        BENCH_PASSWORD=PASSWORD,
        BENCH_SESSIONS=json.dumps(sessions),
    )
    prefix = out / "run"
    run(
        [
            sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"),
            "--headless", "--only-summary", "--users", str(users), "--spawn-rate", str(users),
            "--run-time", f"{seconds}s", "--stop-timeout", "5", "--host", host,
            "--csv", str(prefix), "--loglevel", "WARNING",
        ],
        env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", newline="") as handle:
        return {row["Name"]: row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"}


class ServerCPU:
    """CPU seconds the server spent (gunicorn and its workers, and the PostgreSQL backends
    of the bench database): per request, a figure other work on the machine cannot skew
    the way it skews requests per second."""

    def __init__(self, gunicorn: subprocess.Popen, admin: str, database: str) -> None:
        import psutil
        import psycopg

        self.psutil = psutil
        self.gunicorn = psutil.Process(gunicorn.pid)
        self.database = database
        self.connection = psycopg.connect(admin, autocommit=True)

    def sample(self) -> dict[int, float]:
        """CPU seconds so far of each process, by pid."""
        processes = [self.gunicorn, *self.gunicorn.children(recursive=True)]
        rows = self.connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
        ).fetchall()
        spent = {}
        for process in [*processes, *(pid for (pid,) in rows)]:
            # A backend listed a moment ago may have exited since (a connection
            # recycled): opening it fails like reading it, and both mean "gone".
            try:
                if isinstance(process, int):
                    process = self.psutil.Process(process)
                times = process.cpu_times()
            except (self.psutil.NoSuchProcess, self.psutil.AccessDenied):
                continue
            spent[process.pid] = times.user + times.system
        return spent

    def during(self, work):
        """(work(), CPU seconds the server spent meanwhile). Sampled four times a second,
        so a database connection recycled meanwhile (CONN_MAX_AGE) still counts."""
        import threading

        first = self.sample()
        last = dict(first)
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.25):
                last.update(self.sample())

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            result = work()
        finally:
            done.set()
            watcher.join()
        last.update(self.sample())
        return result, sum(cpu - first.get(pid, 0.0) for pid, cpu in last.items())


def settle(host: str, seconds: float = 20) -> None:
    """Wait until the server is idle again: requests a run left queued (a sign-in is
    0.2 s of hashing) must not eat into the next run."""
    deadline = time.monotonic() + seconds
    quick = 0
    while quick < 5 and time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(f"{host}/bench/bare/", timeout=10):  # noqa: S310
            pass
        quick = quick + 1 if time.monotonic() - started < 0.01 else 0
        time.sleep(0.05)


def sign_in_opener(host: str, index: int = 0) -> tuple[urllib.request.OpenerDirector, CookieJar]:
    """A browser signed in as bench{index}, through the real sign-in form and hasher."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{host}{PAGES['sign_in'].path}").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode(
        {
            "login": email_of(index),
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{host}{PAGES['sign_in'].path}", data=body, headers={"Referer": host}
    )
    opener.open(request).read()
    return opener, jar


def signed_in_sessions(host: str, users: int) -> list[dict]:
    """One signed-in browser per simulated member, made once before the runs.

    Each locust process starts from these cookies, so a run of a signed-in page
    measures that page, not eight sign-ins (0.2 s of hashing each) at its start.
    """
    with ThreadPoolExecutor(max_workers=users) as pool:
        jars = list(pool.map(lambda i: sign_in_opener(host, i)[1], range(users)))
    return [
        {"index": i, "cookies": [[c.name, c.value, c.domain, c.path] for c in jar]}
        for i, jar in enumerate(jars)
    ]


def page_weight(host: str, page: Page, opener, anonymous) -> tuple[int, int, int]:
    """(HTML gzip bytes, CSS+JS gzip bytes as served, total) for one page, as bench0 sees it."""
    path = page.path.format(member_id=member_id(0))
    html = (opener if page.signed_in else anonymous).open(f"{host}{path}").read()
    html_gz = len(gzip.compress(html, compresslevel=6))
    assets = 0
    for url in re.findall(rb'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', html):
        if not url.endswith((b".css", b".js")):
            continue
        request = urllib.request.Request(  # noqa: S310
            f"{host}{url.decode()}", headers={"Accept-Encoding": "gzip"}
        )
        with anonymous.open(request) as response:
            assets += len(response.read())
    return html_gz, assets, html_gz + assets


def figure(row: dict, key: str) -> str:
    value = row.get(key) or "0"
    return "n/a" if value == "N/A" else value


def number(row: dict, key: str) -> float:
    try:
        return float(row.get(key) or 0)
    except ValueError:
        return 0.0


def stats_line(name: str, row: dict, bare_rps: float | None, cpu_ms: float | None = None) -> str:
    rps = number(row, "Requests/s")
    ratio = f"{rps / bare_rps:>8.0%}" if bare_rps else f"{'':>8}"
    cpu = f"{cpu_ms:>8.2f}" if cpu_ms is not None else f"{'':>8}"
    return (
        f"{name:<22}{rps:>8.1f}{ratio} {figure(row, '50%'):>6} {figure(row, '95%'):>6}"
        f" {figure(row, '99%'):>6}{figure(row, 'Failure Count'):>8}{cpu}"
    )


def requests_in(rows: dict) -> int:
    return sum(int(number(row, "Request Count")) for row in rows.values())


def verdict(page: Page, row: dict, bare_rps: float, weight: int | None) -> str:
    """Each target that applies to this page, met or missed."""
    if page.kind == "sign_in":
        return "n/a: real password hasher (PBKDF2, 1M iterations), slow by design"
    missed, met = [], []
    rps = number(row, "Requests/s")
    if page.ratio_target is not None:
        text = f"{rps / bare_rps:.0%} of bare (>= {page.ratio_target:.0%})"
        (met if rps >= page.ratio_target * bare_rps else missed).append(text)
    p95 = number(row, "95%")
    (met if p95 < TARGET_P95_MS else missed).append(f"p95 {p95:.0f} ms (< {TARGET_P95_MS})")
    failures = int(number(row, "Failure Count"))
    (met if failures == 0 else missed).append(f"{failures} errors")
    if weight is not None:
        (met if weight < TARGET_BYTES else missed).append(f"{weight / 1024:.1f} KB (< 30)")
    if missed:
        return "MISSED: " + ", ".join(missed) + ("; met: " + ", ".join(met) if met else "")
    return "met: " + ", ".join(met)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=8, help="concurrent simulated members")
    parser.add_argument("--seconds", type=int, default=15, help="per page, and for the mix")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"name:weight,... of {list(PAGES)}")
    parser.add_argument("--pages", help="pages run alone (default: every page of the mix)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    mix = [(PAGES[n], int(w)) for n, w in (item.split(":") for item in args.mix.split(","))]

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/pages.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    name = f"bench_pages_{os.getpid()}"
    database_url, admin = postgres_database_create(base, name)
    work = Path(tempfile.mkdtemp(prefix="aseq-bench-"))
    prefix = f"aseq-bench-{os.getpid()}"
    redis_url, cache_note = redis_for_bench(prefix)
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_IGNORE_DOTENV="true",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CACHE_KEY_PREFIX=prefix,
        BENCH_STATIC_ROOT=str(work / "static"),
        BENCH_MEMBERS=str(args.members),
        PYTHONPATH=str(ROOT),
        **throwaway_keys(),
    )
    process = None
    try:
        started = time.monotonic()
        python = [sys.executable, "manage.py"]
        run([*python, "migrate", "--noinput", "-v", "0"], env)
        run([*python, "migrate", "--database", "keystore", "--noinput", "-v", "0"], env)
        run([*python, "collectstatic", "--noinput", "-v", "0"], env)
        run([sys.executable, "bench/populate.py", str(args.members), PASSWORD], env)
        print(f"setup (migrate, static, members) {time.monotonic() - started:.1f} s")
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        process = gunicorn_start(
            env=env,
            port=port,
            workers=args.workers,
            threads=args.threads,
            log_path=work / "gunicorn.log",
        )
        print(
            f"gunicorn {args.workers} workers x {args.threads} threads (gthread), locust "
            f"{args.users} users, {args.seconds} s per run, {os.cpu_count()} cores shared by "
            f"both\n{cache_note}\n"
        )

        signing_in = time.monotonic()
        sessions = signed_in_sessions(host, args.users)
        print(
            f"{args.users} members signed in, in parallel, in "
            f"{time.monotonic() - signing_in:.1f} s (real password hasher)\n"
        )

        cpu = ServerCPU(process, admin, name)
        alone: dict[str, dict] = {}
        cpu_ms: dict[str, float] = {}
        chosen = [PAGES[n] for n in args.pages.split(",")] if args.pages else [p for p, _w in mix]
        # The two yardsticks first; signing in last, its queue of hashing cannot slow
        # another run.
        yardsticks = [PAGES["bare"], PAGES["bare_signed_in"]]
        order = [
            *yardsticks,
            *dict.fromkeys(
                sorted(
                    (p for p in chosen if p not in yardsticks),
                    key=lambda p: p.kind == "sign_in",
                )
            ),
        ]
        for page in order:
            settle(host)
            out = Path(tempfile.mkdtemp(dir=work))
            alone[page.name], spent = cpu.during(
                lambda page=page, out=out: locust(
                    env, host, [(page, 1)], args.users, args.seconds, out, sessions
                )
            )
            cpu_ms[page.name] = spent * 1000 / max(1, requests_in(alone[page.name]))
        settle(host)
        out = Path(tempfile.mkdtemp(dir=work))
        mixed, spent = cpu.during(
            lambda: locust(env, host, mix, args.users, args.seconds, out, sessions)
        )
        mixed_cpu_ms = spent * 1000 / max(1, requests_in(mixed))

        bare_rps = number(alone["bare Django view"]["bare Django view"], "Requests/s")
        header = (
            f"{'page':<22}{'req/s':>8}{'vs bare':>8} {'p50':>6} {'p95':>6} {'p99':>6}"
            f"{'errors':>8}{'CPU ms':>8}"
        )
        print(
            "Each page alone, 8 users (latency in ms; CPU ms = server CPU per request,\n"
            "gunicorn and PostgreSQL, all requests of the run; a page's form counts):"
        )
        print(header)
        for page in order:
            row = alone[page.name].get(page.name, {})
            print(stats_line(page.name, row, bare_rps, cpu_ms[page.name]))
            form = alone[page.name].get(f"{page.name} (form)")
            if form:
                print(stats_line(f"  {page.name} (form)", form, bare_rps))
        floor_rps = number(
            alone[PAGES["bare_signed_in"].name][PAGES["bare_signed_in"].name], "Requests/s"
        )
        summary_row = alone.get(PAGES["summary"].name, {}).get(PAGES["summary"].name)
        if floor_rps and summary_row:
            print(
                f"A signed-in request that does nothing reaches {floor_rps / bare_rps:.0%} of the "
                f"bare view; the coverage summary reaches "
                f"{number(summary_row, 'Requests/s') / floor_rps:.0%} of that floor."
            )
        print(f"\nDeadline-day mix {args.mix} (ms):")
        print(header)
        for page, _weight in mix:
            print(stats_line(page.name, mixed.get(page.name, {}), None))
        total = sum(number(row, "Requests/s") for row in mixed.values())
        print(f"{'all requests':<22}{total:>8.1f}{'':>43}{mixed_cpu_ms:>8.2f}")

        settle(host)
        print("\nBytes per page, gzip (HTML at level 6 as a proxy would; CSS/JS as served):")
        opener = sign_in_opener(host, 0)[0]
        anonymous = urllib.request.build_opener()
        weights: dict[str, int] = {}
        for page in [p for p in PAGES.values() if p.kind == "get" and p not in yardsticks]:
            html_gz, assets, total_bytes = page_weight(host, page, opener, anonymous)
            weights[page.name] = total_bytes
            print(
                f"{page.name:<22} HTML {html_gz:>6} B + CSS/JS {assets:>6} B"
                f" = {total_bytes:>6} B  {'ok' if total_bytes < TARGET_BYTES else 'OVER 30 KB'}"
            )

        print("\nVerdict, each page alone (req/s, ratio to bare, p50/p95/p99 ms, errors, gzip):")
        print(f"{header}{'bytes':>8}  targets")
        for page in order[len(yardsticks) :]:
            row = alone[page.name].get(page.name, {})
            weight = weights.get(page.name) if page.kind == "get" else None
            shown = f"{weight:>8}" if weight is not None else f"{'':>8}"
            print(
                f"{stats_line(page.name, row, bare_rps, cpu_ms[page.name])}{shown}  "
                f"{verdict(page, row, bare_rps, weight)}"
            )
        cpu.connection.close()
        print(f"\ntotal {time.monotonic() - started:.0f} s")
    finally:
        if process:
            process.terminate()
            process.wait(timeout=10)
        postgres_database_drop(admin, name)
        redis_cleanup(redis_url, prefix)


if __name__ == "__main__":
    main()
