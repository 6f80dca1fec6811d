"""Instructions per request: a yardstick that does not move with the machine's load.

    make bench                    # or: .venv/bin/python bench/instructions.py [options]

Each page goes through Django's real WSGI handler, in-process, with PostgreSQL
and Redis as in production (bench/settings.py: DEBUG off, persistent connections
with health checks, cached_db sessions on Redis, the hashed static files), as
the member ``bench0`` of the bench population (bench/populate.py) signed in
through the real sign-in form. Beside it, in the same run and by the same code,
the peer (bench/peer/): the same page written the usual way. Every figure is
printed as a ratio to the peer's.

How it counts, and why the counts repeat
----------------------------------------
The worker runs under ``valgrind --tool=callgrind --collect-atstart=no``: nothing
is counted while Python starts, Django sets up and the pages warm up (first
imports, template loading, prepared statements, the plan cache). Around each
measured request the worker calls two C functions (bench/callgrind_marks.c,
compiled here with the system's C compiler) that issue callgrind's client
requests: zero the counters and start collecting; stop collecting and dump the
counters under the page's name. So each dump holds the instructions executed by
exactly one request, from ``application(environ, start_response)`` to the last
byte of the body and ``close()`` (Django's request_finished), in our process:
PostgreSQL's and Redis's own work is not counted, the round trips' client side is.
The figure per page is the median of ``--requests`` dumps, so an occasional
request that also writes a once-a-minute timestamp, reconnects or collects
garbage does not move it. Instruction counts do not depend on what else the
machine runs; PYTHONHASHSEED is fixed so dict and set layouts repeat too.
Two runs of ``make bench`` agree within 1 %; an instruction is not a fixed
amount of time, so compare pages with each other and with the peer, not with
the wall clock.

Secondary figures, which do move with the machine: the same worker run natively
(no valgrind) prints wall-clock median and p95 per request and the queries each
page runs. ``make bench-load`` keeps the gunicorn + locust load bench
(bench/pages.py) for requests per second under concurrency.

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres:
two throwaway databases are created next to it, named after its database, e.g.
aseq_perf_instructions_<pid>, and dropped at the end), Redis (REDIS_URL, else
BENCH_REDIS_URL, default redis://127.0.0.1:6379/15; keys under a prefix of their own
that starts with CACHE_KEY_PREFIX, removed at the end), valgrind and a C compiler.

Why one module past 400 lines: a benchmark is one script a reader runs and reads
whole (worker, callgrind marks, report); its data lives in bench/populate.py.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-portail-2026"  # noqa: S105 - benchmark accounts on a throwaway database
USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
MARKS_SOURCE = ROOT / "bench" / "callgrind_marks.c"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    path: str
    cookie: bool = True  # sent with the signed-in member's cookies


# The portal's yardsticks and every member page (GET), as bench0 sees them.
PORTAL_PAGES = [
    Page("bare", "bare view, no cookie", "/bench/bare/", cookie=False),
    Page("bare_cookie", "bare view, session cookie", "/bench/bare/"),
    Page("noop", "signed-in no-op", "/bench/bare/signed-in/"),
    Page("summary", "coverage summary", "/fr/couverture/"),
    Page("enrolment", "opt-out page", "/fr/couverture/adhesion/"),
    Page("card", "proof of coverage", "/fr/couverture/carte/{member_id}/"),
    Page("estimate", "estimate", "/fr/couverture/estimation/"),
    Page("claims", "claims", "/fr/couverture/demandes/"),
    Page("account", "my account", "/fr/mon-compte/"),
    Page("profile", "profile", "/fr/mon-compte/profil/"),
    Page("dependants", "dependants", "/fr/mon-compte/personnes-a-charge/"),
    Page("activity", "activity", "/fr/mon-compte/activite/"),
    Page("privacy_centre", "privacy centre", "/fr/confidentialite/"),
    Page("privacy_requests", "privacy requests", "/fr/confidentialite/demandes/"),
]
PEER_PAGES = [
    Page("bare", "bare view, no cookie", "/bench/bare/", cookie=False),
    Page("bare_cookie", "bare view, session cookie", "/bench/bare/"),
    Page("noop", "signed-in no-op", "/bench/bare/signed-in/"),
    Page("page", "coverage page", "/fr/couverture/"),
]
SIGN_IN_PATH = "/fr/compte/login/"
# What each of our rows is compared with on the peer's side; the rest: the peer's page.
PEER_COUNTERPART = {"bare": "bare", "bare_cookie": "bare_cookie", "noop": "noop"}


# --- The worker: one Django process, requests through the WSGI handler ------------


class Browser:
    """A client of the WSGI application in this process: cookies, CSRF, nothing else."""

    def __init__(self, application) -> None:
        self.application = application
        self.cookies: dict[str, str] = {}

    def environ(self, method: str, path: str, body: bytes, cookies: bool, extra: dict) -> dict:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_USER_AGENT": USER_AGENT,
            "HTTP_ACCEPT": "text/html,application/xhtml+xml,*/*;q=0.8",
            "HTTP_ACCEPT_LANGUAGE": "fr-CA,fr;q=0.9,en;q=0.8",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            **extra,
        }
        if body:
            environ["CONTENT_LENGTH"] = str(len(body))
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        if cookies and self.cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return environ

    def request(
        self, method: str, path: str, *, body: bytes = b"", cookies: bool = True, **extra
    ) -> tuple[int, bytes]:
        answer: dict = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = int(status.split()[0]), headers

        response = self.application(
            self.environ(method, path, body, cookies, extra), start_response
        )
        try:
            content = b"".join(response)
        finally:
            response.close()
        if cookies:
            for name, value in answer["headers"]:
                if name.lower() == "set-cookie":
                    for morsel in SimpleCookie(value).values():
                        if morsel["max-age"] == "0" or not morsel.value:
                            self.cookies.pop(morsel.key, None)
                        else:
                            self.cookies[morsel.key] = morsel.value
        return answer["status"], content

    def sign_in(self, email: str, password: str) -> None:
        """Through the real sign-in form: CSRF token, allauth, the real password hasher."""
        status, page = self.request("GET", SIGN_IN_PATH)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SystemExit(f"sign-in form: HTTP {status}")
        body = urlencode(
            {"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        status, _page = self.request(
            "POST", SIGN_IN_PATH, body=body, HTTP_REFERER="http://127.0.0.1" + SIGN_IN_PATH
        )
        if status != 302:
            raise SystemExit(f"sign-in of {email} failed: HTTP {status}")


def worker(args: argparse.Namespace) -> None:
    """Sign in, warm each page up, then run the measured requests (see the module doc)."""
    import ctypes

    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    from django.db import connection

    pages = [Page(**spec) for spec in json.loads(args.pages)]
    browser = Browser(application)
    browser.sign_in(args.email, PASSWORD)
    marks = ctypes.CDLL(args.marks) if args.marks else None
    results = {}
    for page in pages:
        path = page.path.format(**json.loads(args.values))
        for _ in range(args.warmup):
            status, content = browser.request("GET", path, cookies=page.cookie)
            if status != 200:
                raise SystemExit(f"{page.label} ({path}): HTTP {status}")
        result = {"bytes": len(content)}
        if marks is not None:
            label = page.key.encode()
            for _ in range(args.requests):
                marks.bench_collect_on()
                browser.request("GET", path, cookies=page.cookie)
                marks.bench_collect_off(label)
        else:
            queries: list[str] = []

            def counted(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counted):
                browser.request("GET", path, cookies=page.cookie)
            times = []
            for _ in range(args.requests):
                started = time.perf_counter_ns()
                browser.request("GET", path, cookies=page.cookie)
                times.append((time.perf_counter_ns() - started) / 1e6)
            times.sort()
            result.update(
                queries=len(queries),
                median_ms=statistics.median(times),
                p95_ms=times[min(len(times) - 1, int(len(times) * 0.95))],
            )
        results[page.key] = result
    print(json.dumps(results))


# --- The run: databases, populations, both workers, the table ------------------------


def throwaway_keys() -> dict[str, str]:
    return {
        "PRIVACY_ENCRYPTION_KEYS": "bench:" + base64.b64encode(os.urandom(32)).decode(),
        "PRIVACY_BLIND_INDEX_KEY": base64.b64encode(os.urandom(32)).decode(),
    }


def marks_library(directory: Path) -> Path:
    """bench/callgrind_marks.c compiled for this machine's valgrind headers."""
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if compiler is None:
        raise SystemExit("bench/instructions.py needs a C compiler (cc) for callgrind's marks")
    library = directory / "callgrind_marks.so"
    subprocess.run(
        [compiler, "-O2", "-shared", "-fPIC", "-o", str(library), str(MARKS_SOURCE)], check=True
    )
    return library


def dumps_by_page(directory: Path) -> dict[str, list[int]]:
    """Instructions of each dump, by the page named when it was taken."""
    counts: dict[str, list[int]] = {}
    for dump in sorted(directory.glob("cg.*.*"), key=lambda p: int(p.name.split(".")[-1])):
        text = dump.read_text(errors="replace")
        label = re.search(r"^desc: Trigger: Client Request: (\S+)$", text, re.M)
        total = re.search(r"^totals: (\d+)", text, re.M)
        if label and total:
            counts.setdefault(label.group(1), []).append(int(total.group(1)))
    return counts


def run_worker(
    env: dict[str, str], pages: list[Page], values: dict, options: list[str], prefix: list[str]
) -> dict:
    spec = json.dumps([page.__dict__ for page in pages])
    command = [
        *prefix, sys.executable, str(Path(__file__)), "--worker", "--pages", spec,
        "--values", json.dumps(values), *options,
    ]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"worker failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(env, pages, values, args, work: Path, name: str) -> tuple[dict, dict]:
    """(instructions per page: median, min, max; native figures per page) for one site."""
    directory = work / name
    directory.mkdir()
    callgrind = [
        "valgrind", "--tool=callgrind", "--collect-atstart=no", "--dump-line=no",
        f"--callgrind-out-file={directory}/cg.%p", "--log-file=" + str(directory / "valgrind.log"),
    ]  # fmt: skip
    counted = run_worker(
        env,
        pages,
        values,
        [
            "--marks", str(args.marks), "--warmup", str(args.warmup),
            "--requests", str(args.requests), "--email", values["email"],
        ],
        callgrind,
    )  # fmt: skip
    dumps = dumps_by_page(directory)
    instructions = {
        key: {
            "median": statistics.median(dumps[key]),
            "min": min(dumps[key]),
            "max": max(dumps[key]),
            "bytes": counted[key]["bytes"],
        }
        for key in counted
    }
    native = {}
    if args.wall:
        native = run_worker(
            env,
            pages,
            values,
            ["--warmup", "20", "--requests", str(args.wall), "--email", values["email"]],
            [],
        )
    return instructions, native


def site_setup(env: dict[str, str], populate: list[str], *, keystore: bool = True) -> None:
    python = [sys.executable, "manage.py"]
    subprocess.run([*python, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    if keystore:  # ours only: the peer has no key store
        subprocess.run(
            [*python, "migrate", "--database", "keystore", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    subprocess.run([*populate], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def millions(count: float) -> str:
    return f"{count / 1e6:.2f} M"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1000, help="bench population")
    parser.add_argument("--requests", type=int, default=11, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=4, help="uncounted requests per page")
    parser.add_argument("--wall", type=int, default=100, help="native requests per page; 0: none")
    parser.add_argument("--pages", help="comma-separated keys of our pages (default: all)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--marks", help=argparse.SUPPRESS)
    parser.add_argument("--values", default="{}", help=argparse.SUPPRESS)
    parser.add_argument("--email", help=argparse.SUPPRESS)
    args, _rest = parser.parse_known_args()
    if args.worker:
        worker(args)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("bench/instructions.py needs valgrind (Debian package valgrind)")

    from bench.pages import redis_cleanup, redis_for_bench
    from bench.populate import email_of, member_id
    from ops.loopback import postgres_database_create, postgres_database_drop

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    if not base.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/instructions.py needs PostgreSQL: set DATABASE_URL=postgres://...")
    # Named after DATABASE_URL's database and CACHE_KEY_PREFIX when given, so that runs
    # by several people on one server never touch each other's databases or keys.
    stem = urlsplit(base).path.strip("/")
    stem = stem if stem and stem != "postgres" else "bench"
    ours_db, peer_db = f"{stem}_instructions_{os.getpid()}", f"{stem}_peer_{os.getpid()}"
    prefix = f"{os.environ.get('CACHE_KEY_PREFIX') or 'aseq'}-bench-{os.getpid()}"
    redis_url, cache_note = redis_for_bench(prefix)
    if not redis_url:
        raise SystemExit(f"bench/instructions.py needs Redis as in production ({cache_note})")
    work = Path(tempfile.mkdtemp(prefix="aseq-instructions-"))
    args.marks = marks_library(work)
    ours_url, admin = postgres_database_create(base, ours_db)
    # The key store beside it, as bench/settings.py names it (<database>_keys).
    postgres_database_create(base, f"{ours_db}_keys")
    peer_url, _admin = postgres_database_create(base, peer_db)
    common = dict(
        os.environ,
        DJANGO_IGNORE_DOTENV="true",
        REDIS_URL=redis_url,
        PYTHONPATH=str(ROOT),
        PYTHONHASHSEED="0",
        BENCH_STATIC_ROOT=str(work / "static"),
    )
    ours_env = dict(
        common,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=ours_url,
        CACHE_KEY_PREFIX=f"{prefix}:ours",
        **throwaway_keys(),
    )
    peer_env = dict(
        common,
        DJANGO_SETTINGS_MODULE="bench.peer.settings",
        DATABASE_URL=peer_url,
        CACHE_KEY_PREFIX=f"{prefix}:peer",
    )
    chosen = set(args.pages.split(",")) if args.pages else None
    ours_pages = [
        p for p in PORTAL_PAGES if chosen is None or p.key in chosen or p.key in PEER_COUNTERPART
    ]
    try:
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT, env=ours_env, check=True,
        )  # fmt: skip
        with ThreadPoolExecutor(max_workers=2) as pool:
            setups = [
                pool.submit(
                    site_setup,
                    ours_env,
                    [sys.executable, "bench/populate.py", str(args.members), PASSWORD],
                ),
                pool.submit(
                    site_setup,
                    peer_env,
                    [sys.executable, "-m", "bench.peer.populate", str(args.members), PASSWORD],
                    keystore=False,
                ),
            ]
            for setup in setups:
                setup.result()
        print(
            f"setup (2 databases, {args.members} members each) {time.monotonic() - started:.0f} s;"
            f" {cache_note}"
        )
        values = {"email": email_of(0), "member_id": str(member_id(0))}
        with ThreadPoolExecutor(max_workers=2) as pool:
            ours_job = pool.submit(measure, ours_env, ours_pages, values, args, work, "ours")
            peer_job = pool.submit(measure, peer_env, PEER_PAGES, values, args, work, "peer")
            ours, ours_native = ours_job.result()
            peer, peer_native = peer_job.result()
        report(ours, ours_native, peer, peer_native, args)
        print(f"\ntotal {time.monotonic() - started:.0f} s")
    finally:
        postgres_database_drop(admin, ours_db)
        postgres_database_drop(admin, f"{ours_db}_keys")
        postgres_database_drop(admin, peer_db)
        redis_cleanup(redis_url, prefix)
        shutil.rmtree(work, ignore_errors=True)


def report(ours: dict, ours_native: dict, peer: dict, peer_native: dict, args) -> None:
    floor = ours["noop"]["median"]
    peer_page = peer["page"]["median"]
    print(
        f"\nInstructions per request (median of {args.requests}, callgrind, in-process WSGI;"
        f" spread = (max - min) / median).\n'vs peer': against the peer's counterpart (bare,"
        f" no-op) or the peer's page;\n'vs floor': against our signed-in no-op.\n"
    )
    header = (
        f"{'page':<28}{'instructions':>14}{'spread':>8}{'vs peer':>9}{'vs floor':>9}"
        f"{'queries':>9}{'ms p50':>8}{'ms p95':>8}{'KB':>6}"
    )
    print(f"ours\n{header}")
    for page in PORTAL_PAGES:
        if page.key not in ours:
            continue
        figures = ours[page.key]
        counterpart = peer[PEER_COUNTERPART.get(page.key, "page")]["median"]
        print(
            line(
                page.label,
                figures,
                figures["median"] / counterpart,
                floor,
                ours_native.get(page.key),
            )
        )
    print(
        f"\npeer (bench/peer/: plain Django + allauth + django-csp + cached_db sessions)\n{header}"
    )
    for page in PEER_PAGES:
        figures = peer[page.key]
        print(
            line(
                page.label, figures, figures["median"] / peer_page, None, peer_native.get(page.key)
            )
        )
    print("\nTargets (issue 19):")
    checks = [
        ("signed-in no-op / peer's no-op", floor / peer["noop"]["median"], 1.0),
        ("coverage summary / peer's page", ours["summary"]["median"] / peer_page, 0.35)
        if "summary" in ours
        else None,
    ]
    for page in PORTAL_PAGES[3:]:
        if page.key in ours:
            checks.append((f"{page.label} / our floor", ours[page.key]["median"] / floor, 2.5))
    for check in filter(None, checks):
        name, ratio, target = check
        verdict = "met" if ratio <= target else "MISSED"
        print(f"  {name:<40}{ratio:>6.2f}x  (<= {target:.2f}x)  {verdict}")


def line(label: str, figures: dict, vs_peer: float, floor: float | None, native: dict | None):
    spread = (figures["max"] - figures["min"]) / figures["median"]
    text = f"{label:<28}{millions(figures['median']):>14}{spread:>8.1%}{vs_peer:>8.2f}x" + (
        f"{figures['median'] / floor:>8.2f}x" if floor else f"{'':>9}"
    )
    if native:
        text += f"{native['queries']:>9}{native['median_ms']:>8.2f}{native['p95_ms']:>8.2f}"
    else:
        text += f"{'':>25}"
    return text + f"{figures['bytes'] / 1024:>6.1f}"


if __name__ == "__main__":
    main()
