"""What each path costs at the plan's real scale: queries, SQL time, wall time, sequential scans.

Build the population once (15-30 minutes; never in .ci/run), then run this as often
as needed, with the same encryption keys (the environment's, or var/local-keys.env):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/aseq_scale_pop
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/populate.py --scale aseq scale-bench-2026
    .venv/bin/python bench/scale.py [--only member,signin,claim,purge,admin,verify]

Runs in-process through Django's test client (the real middleware, templates and
admin), signed in as a member of the population (the heaviest file, 3,006 claims,
and a typical one) and as staff of each of the three roles. Every path is run
twice and the second run measured; beside wall time, this process's CPU plus
the SQL time (what a path costs whatever else a shared machine runs). For
each captured query, ``EXPLAIN`` names any sequential scan of a table the planner
holds at over 10,000 rows. The last column says whether the path meets its target
(issue 19): no such scan anywhere; sign-in under 5 ms of SQL; every admin list,
search and filter under 300 ms wall; a purge batch bound under 10 ms of SQL;
verify_audit_log after 100,000 new entries under 5 s.

``verify`` appends 100,000 entries to the population's audit log (hashed as the
code hashes them, so the chain stays intact) and times the verification that
follows; the log only grows, as it does in service. ``--full-verify`` also times
``verify_audit_log --full`` over the whole log first (minutes).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aseq_portal.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.db import DatabaseError, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench import population_aseq as pop  # noqa: E402

BIG_TABLE = 10_000
HOST_FR = "aseq.localhost"
HALF = pop.MEMBERS // 2  # a member in the middle of every table
FULL_VERIFY = False


@dataclass
class Row:
    group: str
    label: str
    queries: int = 0
    sql_ms: float = 0.0
    wall_ms: float = 0.0
    seq_scans: set = field(default_factory=set)
    status: int | None = None
    target: str = ""
    met: bool = True
    note: str = ""


ROWS: list[Row] = []
_sizes: dict[str, float] = {}


def table_rows(name: str) -> float:
    if name not in _sizes:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [name])
            found = cursor.fetchone()
        _sizes[name] = found[0] if found else 0
    return _sizes[name]


def _walk(plan: dict, found: set) -> None:
    if plan.get("Node Type") == "Seq Scan":
        name = plan.get("Relation Name", "")
        if table_rows(name) > BIG_TABLE:
            found.add(name)
    for child in plan.get("Plans", ()):
        _walk(child, found)


def seq_scans(queries) -> set:
    found: set = set()
    for query in queries:
        sql = query["sql"]
        head = sql.lstrip()[:10].upper()
        if not head.startswith(("SELECT", "WITH", "UPDATE", "DELETE", "INSERT")):
            continue
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
        except DatabaseError:  # a statement EXPLAIN cannot take (none seen so far)
            print(f"  (no plan for: {sql[:80]})")
            continue
        if isinstance(plan, str):
            plan = json.loads(plan)
        _walk(plan[0]["Plan"], found)
    return found


class SqlTimer:
    """Time spent in the database driver (the round trip included), to the microsecond."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def server_ms(queries) -> float:
    """Planning and execution time the server reports (EXPLAIN ANALYZE) for the SELECTs:
    the database's own time, without the round trip or the client's load."""
    total = 0.0
    for query in queries:
        if not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
            transaction.set_rollback(True)
        if isinstance(plan, str):
            plan = json.loads(plan)
        total += plan[0]["Planning Time"] + plan[0]["Execution Time"]
    return total


def measure(group: str, label: str, run, *, target: str, check=None, server=False) -> Row:
    """Run ``run`` (warm), then again under capture; ``check(row)`` says met or missed."""
    row = Row(group, label, target=target)
    result = run()  # warm: caches, the plan cache, the session
    timer = SqlTimer()
    with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
        started, cpu = time.perf_counter(), time.process_time()
        result = run()
        row.wall_ms = (time.perf_counter() - started) * 1000
        cpu_ms = (time.process_time() - cpu) * 1000
    row.queries = len(captured.captured_queries)
    row.sql_ms = timer.seconds * 1000
    row.status = getattr(result, "status_code", None)
    row.seq_scans = seq_scans(captured.captured_queries)
    # This process's CPU plus the SQL: what the path costs whatever else the machine runs.
    row.note = f"cpu+sql {cpu_ms + row.sql_ms:.0f} ms"
    if server:
        # A single statement on a busy machine: the median of seven round trips, and the
        # server's own planning and execution time beside it.
        times = [row.sql_ms]
        for _ in range(6):
            again = SqlTimer()
            with connection.execute_wrapper(again):
                run()
            times.append(again.seconds * 1000)
        row.sql_ms = statistics.median(times)
        row.note = f"median of 7; server {server_ms(captured.captured_queries):.2f} ms"
    row.met = not row.seq_scans and (check(row) if check else True)
    if row.status is not None and row.status >= 400:
        row.met = False
        row.note = f"HTTP {row.status}"
    ROWS.append(row)
    print(format_row(row), flush=True)
    return row


def format_row(row: Row) -> str:
    scans = ",".join(sorted(row.seq_scans)) or "-"
    verdict = "met" if row.met else "MISSED"
    return (
        f"{row.group:<7} {row.label[:72]:<72} {row.queries:>4} {row.sql_ms:>9.1f} "
        f"{row.wall_ms:>9.1f}  {scans:<28} {row.target:<16} {verdict} {row.note}"
    )


HEADER = (
    f"{'group':<7} {'path':<72} {'qry':>4} {'SQL ms':>9} {'wall ms':>9}  "
    f"{'seq scan (>10k rows)':<28} {'target':<16} result"
)

# --- Member pages ---------------------------------------------------------------


def member_client(index: int) -> Client:
    from members.models import User

    client = Client(HTTP_HOST=HOST_FR)
    client.force_login(User.objects.get(pk=pop.uid("user", index)))
    return client


def run_member_pages() -> None:
    from coverage.models import Claim

    for index, who in ((0, "3,006 claims"), (2, "typical member")):
        client = member_client(index)
        member_id = pop.uid("member", index)
        pages = [
            ("coverage summary", "/fr/couverture/"),
            ("opt-out page", "/fr/couverture/adhesion/"),
            ("proof of coverage", f"/fr/couverture/carte/{member_id}/"),
            ("estimate", "/fr/couverture/estimation/"),
            ("claims list", "/fr/couverture/demandes/"),
            ("my account", "/fr/mon-compte/"),
            ("profile", "/fr/mon-compte/profil/"),
            ("dependants", "/fr/mon-compte/personnes-a-charge/"),
            ("activity", "/fr/mon-compte/activite/"),
            ("privacy centre", "/fr/confidentialite/"),
            ("privacy requests", "/fr/confidentialite/demandes/"),
        ]
        kept = Claim.objects.filter(member_id=member_id).count()
        if kept > 25:
            pages.append(("claims list, last page", f"/fr/couverture/demandes/?page={kept // 25}"))
        for name, url in pages:
            measure(
                "member",
                f"{name} ({who})",
                lambda url=url, client=client: client.get(url),
                target="index scans",
            )


# --- Sign-in, claiming a record -----------------------------------------------------


def run_signin(password: str) -> None:
    from members.models import User

    for index in (HALF, pop.MEMBERS - 1):
        email = pop.email_of(index).upper()
        measure(
            "signin",
            f"sign-in account lookup, {email}",
            lambda email=email: User._default_manager.get_by_natural_key(email),
            target="SQL < 5 ms",
            check=lambda row: row.sql_ms < 5,
            server=True,
        )
    for index in (HALF, pop.MEMBERS - 1):
        email = pop.email_of(index)

        def sign_in(email=email):
            client = Client(HTTP_HOST=HOST_FR)
            return client.post("/fr/compte/login/", {"login": email, "password": password})

        measure("signin", f"sign in (POST), {email}", sign_in, target="index scans")
    measure(
        "signin",
        "sign in (POST), unknown address",
        lambda: Client(HTTP_HOST=HOST_FR).post(
            "/fr/compte/login/", {"login": "nobody@scale.example.org", "password": password}
        ),
        target="index scans",
    )


def run_claim() -> None:
    from members.models import Member, User
    from members.origin import Origin
    from members.services import member_claim

    claimed = Member.objects.get(pk=pop.uid("member", HALF + 1))

    def attempt(**answers):
        with transaction.atomic():
            user = User.objects.create_user(f"claim-{uuid.uuid4().hex}@scale.example.org", "x")
            result = member_claim(user=user, origin=Origin(ip_network="192.0.2.0"), **answers)
            transaction.set_rollback(True)
        return result

    cases = {
        "no such record": {"student_number": "99999999", "date_of_birth": claimed.date_of_birth},
        "wrong date of birth": {
            "student_number": claimed.student_number,
            "date_of_birth": claimed.date_of_birth.replace(year=1980),
        },
        "already claimed": {
            "student_number": claimed.student_number,
            "date_of_birth": claimed.date_of_birth,
        },
    }
    for name, answers in cases.items():
        measure(
            "claim",
            f"claim a record: {name}",
            lambda answers=answers: attempt(association=claimed.association, **answers),
            target="index scans",
        )


# --- The purge's batch queries -------------------------------------------------------


def run_purge() -> None:
    from django.utils import timezone

    from privacy.batches import keyset_q
    from privacy.retention import engine
    from privacy.retention.models import RetentionRunLine
    from privacy.retention.rules import Action, retention_rules

    batch = settings.PRIVACY_PURGE_BATCH_SIZE
    for rule in retention_rules():
        if table_rows(rule.model._meta.db_table) <= BIG_TABLE:
            continue
        # Far enough ahead that every row has expired: the widest scope there is.
        started = timezone.now() + rule.keep_for + timezone.timedelta(days=5 * 366)
        line = RetentionRunLine(cutoff=rule.cutoff(started))
        scope = engine._expired(rule, line)
        if rule.action == Action.ANONYMISE:
            scope = scope.filter(engine._pending_q(rule))
        start = rule.starts_from

        def bound(after=None, scope=scope, start=start):
            key = (start, "pk")
            lower = keyset_q(key, after, ">") if after is not None else engine.Q()
            return next(
                iter(
                    scope.filter(lower)
                    .order_by(start, "pk")
                    .values_list(start, "pk")[batch - 1 : batch]
                ),
                None,
            )

        first = bound()
        label = rule.label
        measure(
            "purge",
            f"{label}: first batch bound",
            bound,
            target="SQL < 10 ms",
            check=lambda row: row.sql_ms < 10,
            server=True,
        )
        if first is not None:
            second = bound(first)
            measure(
                "purge",
                f"{label}: next batch bound",
                lambda first=first: bound(first),
                target="SQL < 10 ms",
                check=lambda row: row.sql_ms < 10,
                server=True,
            )
            window = keyset_q((start, "pk"), first, ">")
            if second is not None:
                window &= keyset_q((start, "pk"), second, "<=")
            measure(
                "purge",
                f"{label}: rows of a batch (what it deletes)",
                lambda window=window, scope=scope: len(
                    list(scope.filter(window).values_list("pk", flat=True))
                ),
                target="index scans",
            )


# --- Admin: every list, search and filter the three roles use -------------------------


def staff_ready(role: str, n: int = 0):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import generate_totp_secret
    from allauth.mfa.utils import encrypt

    from members.models import User
    from privacy.models import StaffDocumentAcceptance
    from privacy.staff.selectors import staff_documents_pending

    user = User.objects.get(email=pop.staff_email(role, n))
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.TOTP,
            data={"secret": encrypt(generate_totp_secret())},
        )
    for document in staff_documents_pending(user=user):
        StaffDocumentAcceptance.objects.create(user=user, document=document)
    return user


def search_terms(model) -> list[tuple[str, str]]:
    member_number = pop.member_number(HALF)
    label = model._meta.label
    if label == "members.Member":
        student_number = f"{HALF % pop.ASSOCIATIONS:02d}{HALF:08d}"
        return [("member number", member_number), ("student number", student_number)]
    if label == "members.User":
        return [("email", pop.email_of(HALF))]
    if label == "coverage.Claim":
        reference = f"R{time.gmtime().tm_year - 1}-{HALF:09d}"
        return [("member number", member_number), ("claim reference", reference)]
    if label == "privacy.AuditEntry":
        return [("object id", str(pop.uid("member", HALF)))]
    return [("member number", member_number)]


def admin_paths(client: Client, model, model_admin, user) -> list[tuple[str, str]]:
    from django.test import RequestFactory

    info = (model._meta.app_label, model._meta.model_name)
    url = reverse("admin:{}_{}_changelist".format(*info))
    paths = [("list", url)]
    request = RequestFactory().get(url, HTTP_HOST=HOST_FR)
    request.user = user
    request.session = client.session
    size = table_rows(model._meta.db_table)
    if model_admin.get_search_fields(request):
        for name, term in search_terms(model):
            paths.append((f"search {name}", f"{url}?q={term}"))
    # The filters' links, as the list offers them (computed outside the measure).
    try:
        changelist = model_admin.get_changelist_instance(request)
        for spec in changelist.filter_specs:
            choices = [c for c in spec.choices(changelist) if not c.get("selected")]
            for choice in choices[:2]:
                name = f"filter {spec.title}: {choice['display']}"
                paths.append((name, url + choice["query_string"]))
    except Exception as error:  # a filter that cannot list its choices is noted
        paths.append((f"filters not read ({type(error).__name__})", url))
    hierarchy = (
        model_admin.get_date_hierarchy(request)
        if hasattr(model_admin, "get_date_hierarchy")
        else model_admin.date_hierarchy
    )
    if hierarchy:
        year = time.gmtime().tm_year
        paths.append((f"date {year}", f"{url}?{hierarchy}__year={year}"))
    if size > 500_000:
        paths.append(("page 10,000", f"{url}?p=10000"))
    elif size > 50_000:
        paths.append(("page 1,000", f"{url}?p=1000"))
    return paths


def run_admin() -> None:
    from privacy.roles import ROLES

    for role in ROLES:
        user = staff_ready(role)
        client = Client(HTTP_HOST=HOST_FR)
        client.force_login(user)
        for model, model_admin in sorted(
            admin.site._registry.items(), key=lambda item: item[0]._meta.label
        ):
            from django.test import RequestFactory

            request = RequestFactory().get("/admin/")
            request.user = user
            if not model_admin.has_view_permission(request):
                continue
            for name, url in admin_paths(client, model, model_admin, user):
                measure(
                    "admin",
                    f"{role}: {model._meta.label} {name}",
                    lambda url=url, client=client: client.get(url),
                    target="wall < 300 ms",
                    check=lambda row: row.wall_ms < 300,
                )


# --- Audit log verification ------------------------------------------------------------


def run_verify() -> None:
    import random

    from django.core.management import CommandError, call_command

    def verify(*args):
        out = io.StringIO()
        call_command("verify_audit_log", "--no-anchor", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue()

    # The chain up to now (whole with --full-verify, else from the last verified head:
    # either way its head is signed as found intact), then 100,000 entries more.
    started = time.perf_counter()
    try:
        report = verify("--full") if FULL_VERIFY else verify()
    except CommandError as error:  # before incremental verification: always the whole chain
        if "unrecognized arguments" not in str(error):
            raise
        report = verify()
    ROWS.append(
        Row(
            "verify",
            "verify_audit_log " + ("--full (whole chain)" if FULL_VERIFY else "(catching up)"),
            wall_ms=(time.perf_counter() - started) * 1000,
            target="(reference)",
            note=report.split(";")[0].strip(),
        )
    )
    print(format_row(ROWS[-1]), flush=True)
    staff = [(staff_ready("member_services"), "member_services")]
    pop.audit_append(
        staff=staff, rng=random.Random(), started=time.monotonic(), count=100_000, days=1
    )
    started, cpu = time.perf_counter(), time.process_time()
    report = verify()
    row = Row(
        "verify",
        "verify_audit_log after 100,000 new entries",
        wall_ms=(time.perf_counter() - started) * 1000,
        target="wall < 5 s",
        note=f"cpu {(time.process_time() - cpu):.1f} s; " + report.split(";")[0].strip(),
    )
    row.met = row.wall_ms < 5000
    ROWS.append(row)
    print(format_row(row), flush=True)


GROUPS = {
    "member": run_member_pages,
    "signin": None,
    "claim": run_claim,
    "purge": run_purge,
    "admin": run_admin,
    "verify": run_verify,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help=f"comma-separated groups of {list(GROUPS)}")
    parser.add_argument("--password", default="scale-bench-2026")
    parser.add_argument(
        "--full-verify", action="store_true", help="time verify_audit_log --full too (minutes)"
    )
    args = parser.parse_args()
    global FULL_VERIFY
    FULL_VERIFY = args.full_verify
    if connection.vendor != "postgresql":
        raise SystemExit("bench/scale.py needs the population on PostgreSQL (DATABASE_URL)")
    chosen = args.only.split(",") if args.only else list(GROUPS)
    with override_settings(
        ACCOUNT_RATE_LIMITS=False,
        MEMBERS_SIGNIN_FAILURES_PER_NETWORK="1000000/m",
        PORTAL_ANONYMOUS_WRITE_RATE_LIMIT="1000000/m",
        PORTAL_MEMBER_WRITE_RATE_LIMIT="1000000/m",
        MEMBERS_CLAIM_RATE_LIMIT="1000000/h",
        MEMBERS_CLAIM_RATE_LIMIT_PER_NETWORK="1000000/h",
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        ALLOWED_HOSTS=["*"],
    ):
        from members.models import Member

        global HALF
        pop.MEMBERS = Member.objects.filter(member_number__startswith="ASEQ-").count()
        HALF = pop.MEMBERS // 2
        counts = {}
        with connection.cursor() as cursor:
            for table in ("members_member", "coverage_claim", "privacy_auditentry"):
                cursor.execute(f"SELECT reltuples::bigint FROM pg_class WHERE relname = '{table}'")
                counts[table] = cursor.fetchone()[0]
        print("population: " + ", ".join(f"{t} ~{n:,}" for t, n in counts.items()))
        print(HEADER)
        for group in chosen:
            if group == "signin":
                run_signin(args.password)
            else:
                GROUPS[group]()
    missed = [row for row in ROWS if not row.met]
    print(f"\n{len(ROWS)} paths, {len(ROWS) - len(missed)} met, {len(missed)} missed")
    for row in missed:
        print("  MISSED: " + format_row(row))


if __name__ == "__main__":
    main()
