"""Deadline day on one machine: gunicorn + PostgreSQL + 10,000 members, locust at 8 users.

    make bench                    # or: .venv/bin/python bench/pages.py [options]

Prints, for each page alone and for the deadline-day mix: requests per second,
p50/p95/p99 latency and errors, next to a bare Django view served by the same
server (the ratio is the figure), and the bytes each page costs a phone
(HTML and CSS, gzip-compressed). Needs PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/postgres: a fresh database is created next to
it and dropped at the end). Traffic goes to 127.0.0.1 only and stops by itself.

Pages are declared in PAGES below; the mix is --mix name:weight,... so pages that
land later (coverage summary, opt-out, proof of coverage) are one line each.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-portail-2026"  # noqa: S105 - benchmark accounts on a throwaway database
TARGET_BYTES = 30 * 1024


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    signed_in: bool
    kind: str = "get"  # "get" or "sign_in"


# Every page the bench knows. Add coverage pages here when they land, e.g.
#   Page("coverage summary", "/fr/couverture/", signed_in=True),
PAGES = {
    "bare": Page("bare Django view", "/bench/bare/", signed_in=False),
    "home": Page("home (signed out)", "/fr/", signed_in=False),
    "sign_in_form": Page("sign-in form", "/fr/compte/login/", signed_in=False),
    "sign_in": Page("sign in (POST)", "/fr/compte/login/", signed_in=False, kind="sign_in"),
    "account": Page("my account", "/fr/mon-compte/", signed_in=True),
    "privacy_centre": Page("privacy centre", "/fr/confidentialite/", signed_in=True),
}
# Deadline day until the coverage pages exist: members sign in and look around.
DEFAULT_MIX = "sign_in:1,account:4,privacy_centre:2,home:2"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, env=env, check=True, **kwargs)


def create_database(base_url: str) -> tuple[str, str, str]:
    import psycopg

    parts = urlsplit(base_url)
    name = f"aseq_bench_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin, name


def drop_database(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


POPULATE = """
import time
import django
django.setup()
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from members.models import User

count, password = {count}, {password!r}
started = time.monotonic()
hashed = make_password(password)  # one hash, shared: hashing 10,000 times proves nothing
with transaction.atomic():
    users = User.objects.bulk_create(
        [User(email=f"bench{{i}}@bench.example.org", password=hashed) for i in range(count)],
        batch_size=2000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=2000,
    )
# Later features add their per-member demo rows here (member records, enrolments).
print(f"{{count}} members in {{time.monotonic() - started:.1f}} s")
"""


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int, log: Path):
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "aseq_portal.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--worker-class", "gthread", "--threads", str(threads), "--timeout", "60",
        ],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")


def locust(env, host: str, pages: list[tuple[Page, int]], users: int, seconds: int, out: Path):
    spec = [
        {"name": p.name, "path": p.path, "signed_in": p.signed_in, "weight": w, "kind": p.kind}
        for p, w in pages
    ]
    env = dict(env, BENCH_PAGES=json.dumps(spec), BENCH_PASSWORD=PASSWORD)
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


def sign_in_opener(host: str) -> urllib.request.OpenerDirector:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{host}{PAGES['sign_in'].path}").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode(
        {"login": "bench0@bench.example.org", "password": PASSWORD, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{host}{PAGES['sign_in'].path}", data=body, headers={"Referer": host}
    )
    opener.open(request).read()
    return opener


def page_weight(host: str, page: Page, opener, anonymous) -> tuple[int, int, int]:
    """(HTML gzip bytes, CSS+JS gzip bytes as served, total) for one page."""
    html = (opener if page.signed_in else anonymous).open(f"{host}{page.path}").read()
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=8, help="concurrent simulated members")
    parser.add_argument("--seconds", type=int, default=15, help="per page, and for the mix")
    parser.add_argument("--mix", default=DEFAULT_MIX, help=f"name:weight,... of {list(PAGES)}")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    mix = [(PAGES[n], int(w)) for n, w in (item.split(":") for item in args.mix.split(","))]

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/pages.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    database_url, admin, name = create_database(base)
    work = Path(tempfile.mkdtemp(prefix="aseq-bench-"))
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_IGNORE_DOTENV="true",
        DATABASE_URL=database_url,
        BENCH_STATIC_ROOT=str(work / "static"),
        BENCH_MEMBERS=str(args.members),
        PYTHONPATH=str(ROOT),
    )
    process = None
    try:
        started = time.monotonic()
        python = [sys.executable, "manage.py"]
        run([*python, "migrate", "--noinput", "-v", "0"], env)
        run([*python, "collectstatic", "--noinput", "-v", "0"], env)
        run([sys.executable, "-c", POPULATE.format(count=args.members, password=PASSWORD)], env)
        print(f"setup (migrate, static, members) {time.monotonic() - started:.1f} s")
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        process = start_gunicorn(env, port, args.workers, args.threads, work / "gunicorn.log")
        print(
            f"gunicorn {args.workers} workers x {args.threads} threads, locust {args.users} "
            f"users, {args.seconds} s per run, {os.cpu_count()} cores shared by both\n"
        )

        alone: dict[str, dict] = {}
        order = [PAGES["bare"], *dict.fromkeys(p for p, _w in mix if p is not PAGES["bare"])]
        for page in order:
            out = Path(tempfile.mkdtemp(dir=work))
            alone[page.name] = locust(env, host, [(page, 1)], args.users, args.seconds, out)
        out = Path(tempfile.mkdtemp(dir=work))
        mixed = locust(env, host, mix, args.users, args.seconds, out)

        bare_rps = float(alone["bare Django view"]["bare Django view"]["Requests/s"])
        header = (
            f"{'page':<22}{'req/s':>8}{'vs bare':>9}{'p50':>7}{'p95':>7}{'p99':>7}{'errors':>8}"
        )
        print("Each page alone (ms):")
        print(header)
        for page in order:
            row = alone[page.name].get(page.name, {})
            rps = float(row.get("Requests/s") or 0)
            print(
                f"{page.name:<22}{rps:>8.1f}{rps / bare_rps:>8.0%} {figure(row, '50%'):>6}"
                f" {figure(row, '95%'):>6} {figure(row, '99%'):>6}{figure(row, 'Failure Count'):>8}"
            )
        print(f"\nDeadline-day mix {args.mix} (ms):")
        print(header)
        for page, _weight in mix:
            row = mixed.get(page.name, {})
            rps = float(row.get("Requests/s") or 0)
            print(
                f"{page.name:<22}{rps:>8.1f}{'':>9} {figure(row, '50%'):>6}"
                f" {figure(row, '95%'):>6} {figure(row, '99%'):>6}{figure(row, 'Failure Count'):>8}"
            )

        print("\nBytes per page, gzip (HTML at level 6 as a proxy would; CSS/JS as served):")
        opener = sign_in_opener(host)
        anonymous = urllib.request.build_opener()
        for page in [p for p in PAGES.values() if p.kind == "get" and p.path != "/bench/bare/"]:
            html_gz, assets, total = page_weight(host, page, opener, anonymous)
            verdict = "ok" if total < TARGET_BYTES else "OVER 30 KB"
            print(
                f"{page.name:<22} HTML {html_gz:>6} B + CSS/JS {assets:>6} B"
                f" = {total:>6} B  {verdict}"
            )
        print(f"\ntotal {time.monotonic() - started:.0f} s")
    finally:
        if process:
            process.terminate()
            process.wait(timeout=10)
        drop_database(admin, name)


if __name__ == "__main__":
    main()
