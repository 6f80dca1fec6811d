"""The plan's real scale, for bench/scale.py: ``bench/populate.py --scale aseq``.

300,000 members (every one with an account), 75,000 dependants, 850,000
enrolments, 2,034,600 claims and 3,000,000 audit entries, the same rows on every
run (fixed seed, ids derived from the index). Rows are written with COPY: each
instance is built as the code builds it and every column is prepared by its own
field (``pre_save`` then ``get_db_prep_save``), so encrypted values are sealed to
their row and blind indexes computed exactly as a ``save()`` would. The audit
log is appended as one chain, each hash computed by ``privacy.audit.chain``'s
own ``entry_hash``, and the chain head moved to its last entry: ``manage.py
verify_audit_log`` passes on the result.

Two members stand out, as the heaviest files do on a real plan: ``member 0``
holds 3,006 claims and ``member 1`` 607 (the claims list at its worst).

Takes 15-30 minutes on a shared 2-core machine. Never part of ``.ci/run``.
"""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta

NAMESPACE = uuid.UUID("0b7e7f3a-52a4-4c1b-9a3d-5a1e0c2d8f11")
SEED = 20260901
MEMBERS = 300_000
DEPENDANT_EVERY = 4  # 75,000 dependants
PREVIOUS_YEAR_EVERY = 6  # 50,000 members also enrolled last year: 850,000 enrolments
CLAIMS = 2_034_600
HEAVY = {0: 3006, 1: 607}
AUDIT_ENTRIES = 3_000_000
ASSOCIATIONS = 12
STAFF_PER_ROLE = 5
CHUNK = 5000

FIRST_NAMES = ("Camille", "Alex", "Samuel", "Léa", "Noah", "Chloé", "Félix", "Zoé", "Émile")
LAST_NAMES = ("Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie")
PROVIDERS = ("Clinique du Plateau", "Physio Rosemont", "Centre dentaire Laurier", "Lunetterie")
CLAIM_BENEFITS = (
    "physiotherapy",
    "psychologist",
    "massage",
    "glasses",
    "dental-checkup",
    "dental-fillings",
)


def uid(kind: str, index: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{kind}-{index}")


def member_number(index: int) -> str:
    return f"ASEQ-{index + 1:07d}"


def email_of(index: int) -> str:
    return f"etudiant{index}@scale.example.org"


def staff_email(role: str, n: int) -> str:
    return f"{role}{n}@staff.scale.example.org"


def claims_of(index: int) -> int:
    """Claims of member ``index``: the two heavy files, then an even spread of the rest."""
    if index in HEAVY:
        return HEAVY[index]
    rest = CLAIMS - sum(HEAVY.values())
    others = MEMBERS - len(HEAVY)
    j = index - len(HEAVY)
    return (rest * (j + 1)) // others - (rest * j) // others


class Copier:
    """COPY rows of one model, each column prepared by its own field."""

    def __init__(self, connection, model):
        self.connection = connection
        self.model = model
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not (f.primary_key and f.get_internal_type() in {"AutoField", "BigAutoField"})
        ]
        self.rows = 0

    def write(self, objs) -> None:
        connection = self.connection
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        table = connection.ops.quote_name(self.model._meta.db_table)
        fields = self.fields
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row(
                        [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                    )
                    self.rows += 1


def _progress(label: str, started: float, done: int, total: int) -> None:
    print(f"  {label}: {done:,}/{total:,} ({time.monotonic() - started:.0f} s)", flush=True)


def populate_aseq(*, password: str) -> dict[str, int]:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from coverage import rules
    from coverage.demo import plan_seed
    from coverage.models import Claim, ClaimStatus, Enrolment, EnrolmentStatus, Part
    from members.models import Association, Dependant, Member, User
    from privacy.roles import ROLES, roles_sync

    if connection.vendor != "postgresql":
        raise SystemExit("--scale aseq needs PostgreSQL (COPY)")
    if Member.objects.exists():
        raise SystemExit("the database already holds members: build the population in an empty one")
    rng = random.Random(SEED)
    today = timezone.localdate()
    now = timezone.now()
    year = rules.policy_year_of(today)
    years = (year - 2, year - 1, year)
    started = time.monotonic()

    # Associations and their plans for three policy years (ORM: a few hundred rows).
    plans: dict[tuple[int, int], object] = {}
    with transaction.atomic():
        for n in range(ASSOCIATIONS):
            association, _created = Association.objects.get_or_create(
                short_code=f"AE{n:02d}",
                defaults={
                    "slug": f"ae-{n:02d}",
                    "name_fr": f"Association étudiante {n:02d}",
                    "name_en": f"Student Association {n:02d}",
                },
            )
            for y in years:
                plans[(n, y)] = plan_seed(association=association, policy_year=y)
    benefits = {key: {b.key: b.pk for b in plan.benefits.all()} for key, plan in plans.items()}
    ends = {key: plan.ends_on for key, plan in plans.items()}
    starts = {y: rules.policy_year_bounds(y)[0] for y in years}

    # Staff: a few accounts per role, so the admin lists have authors to name.
    roles_sync()
    hashed = make_password(password)
    staff = []
    with transaction.atomic():
        for role in ROLES:
            group = Group.objects.get(name=role)
            for n in range(STAFF_PER_ROLE):
                user, _created = User.objects.get_or_create(
                    email=staff_email(role, n),
                    defaults={"password": hashed, "is_staff": True},
                )
                user.groups.add(group)
                staff.append((user, role))

    counts = {"members": 0, "dependants": 0, "enrolments": 0, "claims": 0, "audit": 0}
    users_c = Copier(connection, User)
    emails_c = Copier(connection, EmailAddress)
    members_c = Copier(connection, Member)
    dependants_c = Copier(connection, Dependant)
    enrolments_c = Copier(connection, Enrolment)
    claims_c = Copier(connection, Claim)
    claim_index = 0
    for start in range(0, MEMBERS, CHUNK):
        indexes = range(start, min(start + CHUNK, MEMBERS))
        users, addresses, members, dependants, enrolments, claims = [], [], [], [], [], []
        for i in indexes:
            a = i % ASSOCIATIONS
            user = User(
                id=uid("user", i),
                email=email_of(i),
                password=hashed,
                preferred_language="fr" if i % 3 else "en",
                date_joined=now - timedelta(days=i % 700),
            )
            users.append(user)
            addresses.append(EmailAddress(user=user, email=user.email, verified=True, primary=True))
            member = Member(
                id=uid("member", i),
                association_id=plans[(a, year)].association_id,
                member_number=member_number(i),
                student_number=f"{a:02d}{i:08d}",
                first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                last_name=f"{LAST_NAMES[i % len(LAST_NAMES)]}-{i}",
                date_of_birth=date(1995, 1, 1) + timedelta(days=(i * 7) % 4000),
                address_line1=f"{100 + i % 9000}, rue Saint-Denis",
                city="Montréal",
                province="QC",
                postal_code="H2X 2E5",
                phone="514 555-0100",
                email=f"contact{i}@scale.example.org",
                preferred_language=user.preferred_language,
                user=user,
                claimed_at=now - timedelta(days=i % 300),
            )
            members.append(member)
            persons = [None]
            if i % DEPENDANT_EVERY == 0:
                child = i % 3 == 0
                dependant = Dependant(
                    id=uid("dependant", i),
                    member=member,
                    relationship=Dependant.Relationship.CHILD
                    if child
                    else Dependant.Relationship.SPOUSE,
                    suffix=Dependant.FIRST_CHILD_SUFFIX if child else Dependant.SPOUSE_SUFFIX,
                    first_name="Alex",
                    last_name=member.last_name,
                    date_of_birth=date(2018, 6, 1) if child else date(1996, 6, 1),
                )
                dependants.append(dependant)
                persons.append(dependant)
            enrolled_years = [year, year - 1] if i % PREVIOUS_YEAR_EVERY == 0 else [year]
            for y in enrolled_years:
                for person in persons if y == year else [None]:
                    for part in Part.values:
                        opted_out = rng.random() < 0.08
                        enrolments.append(
                            Enrolment(
                                id=uid("enrolment", len(enrolments) + counts["enrolments"]),
                                member=member,
                                dependant=person,
                                plan_id=plans[(a, y)].pk,
                                part=part,
                                status=EnrolmentStatus.OPTED_OUT
                                if opted_out
                                else EnrolmentStatus.COVERED,
                                policy_year_end=ends[(a, y)],
                            )
                        )
            for _n in range(claims_of(i)):
                r = rng.random()
                y = years[2] if r < 0.5 else years[1] if r < 0.85 else years[0]
                last_day = min(today, ends[(a, y)]) if y == year else ends[(a, y)]
                span = max(0, (last_day - starts[y]).days - 10)
                served = starts[y] + timedelta(days=rng.randint(0, span))
                s = rng.random()
                status = (
                    ClaimStatus.PAID
                    if s < 0.7
                    else ClaimStatus.IN_REVIEW
                    if s < 0.82
                    else ClaimStatus.REFUSED
                    if s < 0.9
                    else ClaimStatus.RECEIVED
                )
                claimed = rng.randrange(2000, 40000, 5)
                claims.append(
                    Claim(
                        id=uid("claim", claim_index),
                        member=member,
                        benefit_id=benefits[(a, y)][CLAIM_BENEFITS[claim_index % 6]],
                        reference=f"R{y}-{claim_index:09d}",
                        status=status,
                        policy_year_end=ends[(a, y)],
                        service_date=served,
                        amount_claimed_cents=claimed,
                        amount_paid_cents=claimed * 8 // 10 if status == ClaimStatus.PAID else None,
                        provider_name=PROVIDERS[claim_index % len(PROVIDERS)],
                        in_network=rng.random() < 0.3,
                        received_on=served + timedelta(days=1),
                        in_review_on=served + timedelta(days=2)
                        if status != ClaimStatus.RECEIVED
                        else None,
                        decided_on=served + timedelta(days=6)
                        if status in (ClaimStatus.PAID, ClaimStatus.REFUSED)
                        else None,
                        refusal_reason="reçu incomplet" if status == ClaimStatus.REFUSED else "",
                    )
                )
                claim_index += 1
        with transaction.atomic():
            users_c.write(users)
            emails_c.write(addresses)
            members_c.write(members)
            dependants_c.write(dependants)
            enrolments_c.write(enrolments)
            claims_c.write(claims)
        counts["members"] += len(members)
        counts["dependants"] += len(dependants)
        counts["enrolments"] += len(enrolments)
        counts["claims"] += len(claims)
        if (start // CHUNK) % 6 == 0:
            _progress("members", started, counts["members"], MEMBERS)
    counts["audit"] = audit_append(staff=staff, rng=rng, started=started)
    with connection.cursor() as cursor:
        # Visibility map and planner statistics, as autovacuum keeps them on a live
        # database: without them a bulk-loaded table is read with plans for an empty one.
        cursor.execute("VACUUM ANALYZE")
    return counts


def audit_append(
    *, staff, rng: random.Random, started: float, count: int | None = None, days: int = 730
) -> int:
    """``count`` entries (three million) over the last ``days``, continuing the chain,
    each hashed as ``audit_record`` hashes it."""
    from django.db import connection, transaction

    from privacy.audit.chain import entry_hash
    from privacy.audit.models import CHAIN_HEAD_PK, AuditChainHead, AuditEntry

    head = AuditChainHead.objects.get(pk=CHAIN_HEAD_PK)
    next_id, prev = head.last_id + 1, head.last_hash
    total = AUDIT_ENTRIES if count is None else count
    first_day = datetime.now(UTC) - timedelta(days=days)
    step = timedelta(days=days) / total
    columns = [
        "id",
        "created_at",
        "actor_id",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "subject_id",
        "ip_prefix",
        "metadata",
        "prev_hash",
        "hash",
    ]
    staff_ids = [(str(u.pk), role) for u, role in staff]
    kinds = (
        # (weight, action, object type, who acts)
        (40, "admin.view", "members.Member", "staff"),
        (8, "admin.reveal", "members.Member", "staff"),
        (6, "admin.change", "members.Member", "staff"),
        (12, "admin.view", "coverage.Claim", "staff"),
        (20, "coverage.enrolment_changed", "coverage.Enrolment", "member"),
        (6, "members.looked_up_by_name_and_birth", "members.Member", "staff"),
        (4, "privacy_request.export_build", "privacy.PrivacyRequest", "system"),
        (4, "admin.export", "coverage.Claim", "staff"),
    )
    table = [k for k in kinds for _ in range(k[0])]
    written = 0
    import json

    from psycopg.types.json import Jsonb

    while written < total:
        batch = min(100_000, total - written)
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(
                f"COPY {AuditEntry._meta.db_table} ({', '.join(columns)}) FROM STDIN"
            ) as copy:
                for _ in range(batch):
                    n = written
                    _w, action, object_type, who = table[rng.randrange(len(table))]
                    member = rng.randrange(MEMBERS)
                    subject = str(uid("user", member))
                    if who == "staff":
                        actor_id, role = staff_ids[n % len(staff_ids)]
                    elif who == "member":
                        actor_id, role = subject, "member"
                    else:
                        actor_id, role = "", "system"
                    object_id = (
                        str(uid("member", member))
                        if object_type == "members.Member"
                        else str(uid("claim", rng.randrange(CLAIMS)))
                        if object_type == "coverage.Claim"
                        else str(uid("enrolment", rng.randrange(MEMBERS * 2)))
                    )
                    metadata = {"field": "date_of_birth"} if action == "admin.reveal" else {}
                    fields = {
                        "id": next_id,
                        "created_at": first_day + step * n,
                        "actor_id": actor_id,
                        "actor_role": role,
                        "action": action,
                        "object_type": object_type,
                        "object_id": object_id,
                        "subject_id": subject,
                        "ip_prefix": "203.0.113.0/24" if who != "system" else "",
                        "metadata": metadata,
                        "prev_hash": prev,
                    }
                    digest = entry_hash(**fields)
                    copy.write_row(
                        [
                            fields["id"],
                            fields["created_at"],
                            actor_id,
                            role,
                            action,
                            object_type,
                            object_id,
                            subject,
                            fields["ip_prefix"],
                            Jsonb(metadata, dumps=json.dumps),
                            prev,
                            digest,
                        ]
                    )
                    prev = digest
                    next_id += 1
                    written += 1
            AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).update(
                last_id=next_id - 1, last_hash=prev
            )
        _progress("audit entries", started, written, total)
    return written
