"""Reads: the coverage summary, estimates, claims, plans, proof of coverage.

Every member-scoped read takes the signed-in ``member`` and looks objects up
through it, so another member's id simply does not exist (404, never 403).
Each read runs a fixed number of queries whatever the number of claims: the
balance engine then works in Python on the decrypted values.

Why one module past 400 lines: the summary, the estimate and the proof read the
same plan cache and balances; split by page (summary, estimate, proof) next.
"""

from __future__ import annotations

import functools
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection, models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from members import selectors as members_selectors
from members.models import Association, Dependant, Member

from . import rules
from .models import Benefit, Claim, ClaimStatus, Enrolment, EnrolmentStatus, Part, Plan
from .plan_cache import plan_cached, plan_cached_with_generation

# "Use it before August 31": shown on unused benefits this many days before the end.
USE_IT_NOTE_DAYS = 60


class PersonNotFound(Exception):
    pass


@dataclass(frozen=True)
class Person:
    """The member or one of their dependants, as coverage pages show them."""

    id: uuid.UUID
    full_name: str
    card_number: str
    is_member: bool
    relationship: str = ""

    @property
    def key(self) -> str:
        return str(self.id)


def person_of_member(member: Member) -> Person:
    return Person(
        id=member.id,
        full_name=member.full_name,
        card_number=member.card_number,
        is_member=True,
    )


def person_of_dependant(dependant: Dependant, member: Member) -> Person:
    return Person(
        id=dependant.id,
        full_name=dependant.full_name,
        card_number=f"{member.member_number}-{dependant.suffix:02d}",
        is_member=False,
        relationship=dependant.relationship,
    )


def plan_for(*, association_id: int, on: date) -> Plan | None:
    """The association's plan for the policy year ``on`` falls in (cached: public rows)."""
    year = rules.policy_year_of(on)
    return plan_cached(
        f"plan:{association_id}:{year}",
        lambda: (
            Plan.objects.filter(association_id=association_id, policy_year=year)
            .select_related("association")
            .first()
        ),
    )


def _benefits_of(plan: Plan) -> list[Benefit]:
    return list(
        plan.benefits.select_related("category", "combined").order_by(
            "category__position", "category__key", "position", "key"
        )
    )


def plan_benefits(*, plan: Plan) -> list[Benefit]:
    """The plan's benefits in the order pages show them (cached: public rows)."""
    return plan_cached(f"benefits:{plan.pk}", lambda: _benefits_of(plan))


def plan_with_benefits(*, association_id: int, on: date) -> tuple[Plan | None, list[Benefit]]:
    """plan_for() and plan_benefits() in one read of the plan cache (summary, estimates)."""
    year = rules.policy_year_of(on)

    def load() -> tuple[Plan | None, list[Benefit]]:
        plan = (
            Plan.objects.filter(association_id=association_id, policy_year=year)
            .select_related("association")
            .first()
        )
        return plan, _benefits_of(plan) if plan is not None else []

    return plan_cached(f"plan-benefits:{association_id}:{year}", load)


def _paid_claims(claims: Iterable[Claim]) -> list[rules.PaidClaim]:
    return [
        rules.PaidClaim(
            benefit_key=claim.benefit.key,
            person_key=str(claim.person_id),
            service_date=claim.service_date,
            amount_paid=claim.amount_paid,
        )
        for claim in claims
        if claim.status == ClaimStatus.PAID and claim.amount_paid_cents is not None
    ]


def _oldest_counted_year_end(on: date) -> date:
    # Rolling windows reach back at most a few years; older claims cannot count.
    return date(on.year - 4, 8, 31)


def _claims_for_balances_query(*, member: Member, on: date) -> QuerySet[Claim]:
    return Claim.objects.filter(member=member, policy_year_end__gte=_oldest_counted_year_end(on))


def _claims_for_balances(*, member: Member, on: date) -> list[Claim]:
    return list(_claims_for_balances_query(member=member, on=on).select_related("benefit"))


def _enrolments_in(*, member: Member, plan: Plan) -> QuerySet[Enrolment]:
    # The proof of other coverage is a document: no page listing enrolments needs it.
    return Enrolment.objects.filter(member=member, plan=plan).defer("proof")


# --- The coverage summary ---------------------------------------------------


@dataclass(frozen=True)
class BenefitLine:
    benefit: Benefit
    balance: rules.Balance
    use_it_note: bool


@dataclass(frozen=True)
class SharedMaximum:
    """A combined yearly maximum that every benefit of a category draws on."""

    name: str
    maximum: Decimal
    used: Decimal
    left: Decimal


@dataclass(frozen=True)
class CategoryBlock:
    name: str
    part: str
    lines: list[BenefitLine]

    @property
    def shared_maximum(self) -> SharedMaximum | None:
        """The combined maximum of the whole category, said once, or None."""
        combined_ids = {line.benefit.combined_id for line in self.lines}
        if len(combined_ids) != 1 or None in combined_ids:
            return None
        first = self.lines[0]
        if first.balance.combined_used is None or first.balance.combined_left is None:
            return None
        combined = first.benefit.combined
        return SharedMaximum(
            name=combined.name,
            maximum=combined.rule().yearly_max,
            used=first.balance.combined_used,
            left=first.balance.combined_left,
        )


@dataclass(frozen=True)
class PersonCoverage:
    person: Person
    parts: dict[str, str]  # part -> enrolment status
    categories: list[CategoryBlock]

    @property
    def covered_parts(self) -> list[str]:
        return [part for part, status in self.parts.items() if status == EnrolmentStatus.COVERED]


@dataclass(frozen=True)
class Window:
    part: str
    start: date
    end: date
    on: date

    @property
    def is_open(self) -> bool:
        return self.start <= self.on <= self.end

    @property
    def is_upcoming(self) -> bool:
        return self.on < self.start

    @property
    def days_left(self) -> int:
        return (self.end - self.on).days


@dataclass(frozen=True)
class CoverageSummary:
    member: Member
    on: date
    plan: Plan | None
    persons: list[PersonCoverage]
    windows: list[Window] = field(default_factory=list)
    claims_in_progress: int = 0
    days_to_year_end: int | None = None

    @property
    def show_use_it_note(self) -> bool:
        return self.days_to_year_end is not None and self.days_to_year_end <= USE_IT_NOTE_DAYS


def _persons(member: Member, dependants: list[Dependant]) -> list[Person]:
    return [person_of_member(member)] + [person_of_dependant(d, member) for d in dependants]


def _statuses(enrolments: Iterable[Enrolment]) -> dict[tuple[str, str], str]:
    return {(str(e.person_id), e.part): e.status for e in enrolments}


def plan_windows(*, plan: Plan, on: date) -> list[Window]:
    return [Window(part, *plan.window(part), on=on) for part in Part.values]


def coverage_summary(*, member: Member, on: date | None = None) -> CoverageSummary:
    """What each covered person has, has used and has left this policy year.

    Two queries whatever the number of claims: enrolments (with the dependants
    they name: a person without any enrolment is not shown) and claims; the plan
    and its benefits come from the plan cache.
    """
    on = on or timezone.localdate()
    plan, benefits = plan_with_benefits(association_id=member.association_id, on=on)
    if plan is None:
        return CoverageSummary(member=member, on=on, plan=None, persons=[])
    enrolments = list(_enrolments_in(member=member, plan=plan).select_related("dependant"))
    statuses = _statuses(enrolments)
    dependants = sorted(
        {e.dependant_id: e.dependant for e in enrolments if e.dependant_id}.values(),
        key=lambda d: d.suffix,
    )
    claims = _claims_for_balances(member=member, on=on)
    paid = _paid_claims(claims)
    benefit_rules = [b.rule() for b in benefits]
    days_to_year_end = (plan.ends_on - on).days
    near_year_end = days_to_year_end <= USE_IT_NOTE_DAYS

    persons = []
    for person in _persons(member, dependants):
        parts = {part: statuses.get((person.key, part), "") for part in Part.values}
        if not any(parts.values()):
            continue
        blocks: dict[int, CategoryBlock] = {}
        for benefit, rule in zip(benefits, benefit_rules, strict=True):
            if parts.get(benefit.category.part) != EnrolmentStatus.COVERED:
                continue
            balance = rules.balance_for(
                rule, person_key=person.key, on=on, claims=paid, rules=benefit_rules
            )
            block = blocks.setdefault(
                benefit.category_id,
                CategoryBlock(name=benefit.category.name, part=benefit.category.part, lines=[]),
            )
            block.lines.append(
                BenefitLine(
                    benefit=benefit,
                    balance=balance,
                    use_it_note=near_year_end
                    and balance.used == rules.ZERO
                    and rule.frequency_months is None,
                )
            )
        persons.append(PersonCoverage(person=person, parts=parts, categories=list(blocks.values())))

    in_progress = sum(
        1 for c in claims if c.status in (ClaimStatus.RECEIVED, ClaimStatus.IN_REVIEW)
    )
    return CoverageSummary(
        member=member,
        on=on,
        plan=plan,
        persons=persons,
        windows=plan_windows(plan=plan, on=on),
        claims_in_progress=in_progress,
        days_to_year_end=days_to_year_end,
    )


def coverage_summary_fingerprint(*, member: Member, on: date | None = None) -> str:
    """A keyed digest of everything ``coverage_summary(member=member, on=on)`` reads.

    Equal digests mean the summary would come out the same, so a page may show
    what it rendered last time. It covers the day, the plan cache's generation,
    the member's name and number, and every column of the enrolments (with their
    dependants) and claims the summary reads, encrypted ones as stored: a value
    saved again gets a new token, so any write changes the digest. No
    invalidation to forget: a change by any path (form, import, admin, SQL) shows
    at once. Two light queries: rows as stored, no model instance, nothing decrypted.
    """
    on = on or timezone.localdate()
    year = rules.policy_year_of(on)
    # The plan's rows are covered by the generation: only its id is needed here.
    generation, plan_id = plan_cached_with_generation(
        f"plan-id:{member.association_id}:{year}",
        lambda: (
            Plan.objects.filter(association_id=member.association_id, policy_year=year)
            .values_list("pk", flat=True)
            .first()
        ),
    )
    parts: list[object] = [
        on,
        generation,
        member.pk,
        member.association_id,
        member.member_number,
        member.full_name,
    ]
    if plan_id is not None:
        enrolments_sql, claims_sql = _fingerprint_statements(connection.vendor)
        member_id = Member._meta.pk.get_db_prep_value(member.pk, connection)
        oldest = _oldest_counted_year_end(on)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # One round trip: the server digests the rows, we read two hashes.
                cursor.execute(_fingerprint_statement(), [member_id, plan_id, member_id, oldest])
                parts += [plan_id, cursor.fetchone()]
            else:
                cursor.execute(enrolments_sql, [member_id, plan_id])
                parts += [plan_id, cursor.fetchall()]
                cursor.execute(claims_sql, [member_id, oldest])
                parts.append(cursor.fetchall())
    return salted_hmac("coverage.summary_fingerprint", repr(parts), algorithm="sha256").hexdigest()


@functools.cache
def _fingerprint_statements(vendor: str) -> tuple[str, str]:
    """The rows of _enrolments_in() with their dependants, and of _claims_for_balances_query().

    Written in SQL rather than built by the ORM on every visit: compiling the two
    querysets cost more than the rest of a kept visit. Every column is read (but
    the proof document, which no page lists), so a column the summary starts to
    show cannot be forgotten here. tests/coverage/test_summary_page.py changes each
    kind of row and checks that the page follows.
    """
    qn = connection.ops.quote_name

    def columns(model: type[models.Model], alias: str, skip: tuple[str, ...] = ()) -> list[str]:
        return [
            f"{alias}.{qn(f.column)}" for f in model._meta.concrete_fields if f.name not in skip
        ]

    enrolment, dependant, claim = Enrolment._meta, Dependant._meta, Claim._meta
    # Identifiers from the models' own meta, quoted; values are parameters.
    enrolment_columns = ", ".join([*columns(Enrolment, "e", ("proof",)), *columns(Dependant, "d")])
    enrolments = (
        f"SELECT {enrolment_columns} "  # noqa: S608  # nosec B608 - quoted model names
        f"FROM {qn(enrolment.db_table)} e LEFT JOIN {qn(dependant.db_table)} d "
        f"ON d.{qn(dependant.pk.column)} = e.{qn(enrolment.get_field('dependant').column)} "
        f"WHERE e.{qn(enrolment.get_field('member').column)} = %s "
        f"AND e.{qn(enrolment.get_field('plan').column)} = %s "
        f"ORDER BY e.{qn(enrolment.pk.column)}"
    )
    claim_columns = ", ".join(columns(Claim, "c"))
    claims = (
        f"SELECT {claim_columns} FROM {qn(claim.db_table)} c "  # noqa: S608  # nosec B608
        f"WHERE c.{qn(claim.get_field('member').column)} = %s "
        f"AND c.{qn(claim.get_field('policy_year_end').column)} >= %s "
        f"ORDER BY c.{qn(claim.pk.column)}"
    )
    return enrolments, claims


@functools.cache
def _fingerprint_statement() -> str:
    """PostgreSQL: both reads of _fingerprint_statements() in one statement, each row
    set digested by the server (SHA-256 of its rows as text, in order).

    The rows no longer cross the wire nor become Python values (dates, time zones):
    the summary's fingerprint was a fifth of a kept visit, in two round trips.
    """
    enrolments, claims = _fingerprint_statements("postgresql")

    def digest(statement: str) -> str:
        select, _sep, rest = statement.partition(" FROM ")
        order = rest.rpartition(" ORDER BY ")[2]
        return (
            f"(SELECT sha256(convert_to(string_agg(ROW({select[len('SELECT ') :]})::text, "  # noqa: S608  # nosec B608 - built from quoted model names
            f"'|' ORDER BY {order}), 'UTF8')) FROM {rest.rpartition(' ORDER BY ')[0]})"
        )

    return f"SELECT {digest(enrolments)}, {digest(claims)}"


# --- Estimate: "how much will I get back?" ----------------------------------


def _fold(text: str) -> str:
    """Lower case without accents, so "denti" finds "Dentiste" and "lunettes" finds glasses."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Everyday words, in both languages, for what each part of the plan is about: a
# student types "dents", "teeth" or "orthodontie", not the insurer's benefit name.
PART_WORDS: dict[str, str] = {
    Part.DENTAL: (
        "dent dents dentaire dentiste bouche gencives carie orthodontie orthodontiste broches "
        "tooth teeth dental dentist mouth gums cavity orthodontics orthodontist braces"
    ),
    Part.HEALTH: "santé soins health care",
}


def _stems(word: str) -> set[str]:
    """The word, and without a plural ending: "dents" finds "dentiste", "lenses" finds "lens"."""
    stems = {word}
    for ending in ("es", "s", "x"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stems.add(word[: -len(ending)])
    return stems


def benefit_search(*, benefits: Iterable[Benefit], query: str) -> list[Benefit]:
    """Benefits whose names, keywords, category or part's everyday words, in French or
    English, contain every word of ``query``."""
    words = _fold(query).split()
    if not words:
        return []
    found = []
    for benefit in benefits:
        haystack = _fold(
            " ".join(
                (
                    benefit.name_fr,
                    benefit.name_en,
                    benefit.keywords_fr,
                    benefit.keywords_en,
                    benefit.category.name_fr,
                    benefit.category.name_en,
                    PART_WORDS.get(benefit.category.part, ""),
                )
            )
        )
        if all(any(stem in haystack for stem in _stems(word)) for word in words):
            found.append(benefit)
    return found


@dataclass(frozen=True)
class EstimateResult:
    person: Person
    benefit: Benefit
    on: date
    covered: bool
    estimate: rules.Estimate | None


def coverage_persons(*, member: Member) -> list[Person]:
    return _persons(member, members_selectors.dependants_of(member=member))


def coverage_estimate(
    *,
    member: Member,
    person_id: uuid.UUID,
    benefit_key: str,
    on: date,
    cost: Decimal,
    in_network: bool = False,
) -> EstimateResult:
    """What the plan would pay, from the same engine and claims as the summary."""
    person = member_person(member=member, person_id=person_id)
    plan, benefits = plan_with_benefits(association_id=member.association_id, on=on)
    if plan is None:
        raise Benefit.DoesNotExist
    benefit = next((b for b in benefits if b.key == benefit_key), None)
    if benefit is None:
        raise Benefit.DoesNotExist
    status = (
        Enrolment.objects.filter(
            member=member,
            plan=plan,
            part=benefit.category.part,
            dependant_id=None if person.is_member else person.id,
        )
        .values_list("status", flat=True)
        .first()
    )
    if status != EnrolmentStatus.COVERED:
        return EstimateResult(person=person, benefit=benefit, on=on, covered=False, estimate=None)
    paid = _paid_claims(_claims_for_balances(member=member, on=on))
    result = rules.estimate(
        benefit.rule(),
        person_key=person.key,
        on=on,
        cost=cost,
        in_network=in_network,
        claims=paid,
        rules=[b.rule() for b in benefits],
    )
    return EstimateResult(person=person, benefit=benefit, on=on, covered=True, estimate=result)


# --- Claims -----------------------------------------------------------------


CLAIMS_PER_PAGE = 25


@dataclass(frozen=True)
class ClaimPage:
    claims: list[Claim]
    number: int
    has_previous: bool
    has_next: bool

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def claim_page(*, member: Member, number: int = 1, per_page: int = CLAIMS_PER_PAGE) -> ClaimPage:
    """One page of the member's and dependants' claims, newest first (two queries).

    Ordered in the database on plain columns: the newest policy year first, then
    the insurer's reference (its order of receipt), newest first. The service
    date is ciphertext and cannot order rows in SQL; sorting on it meant opening
    every kept claim. Only the page's claims are read (one row more tells whether
    a next page exists: no COUNT), and only what the page shows is decrypted.
    """
    number = max(1, number)
    start = (number - 1) * per_page
    rows = list(
        Claim.objects.filter(member=member)
        .select_related("benefit", "benefit__category")
        .order_by("-policy_year_end", "-reference")[start : start + per_page + 1]
    )
    claims = rows[:per_page]
    if claims:
        dependants = {d.id: d for d in members_selectors.dependants_of(member=member)}
        member_person = person_of_member(member)
        for claim in claims:
            dependant = dependants.get(claim.dependant_id)
            claim.person = person_of_dependant(dependant, member) if dependant else member_person
    return ClaimPage(
        claims=claims, number=number, has_previous=number > 1, has_next=len(rows) > per_page
    )


def claim_get(*, member: Member, claim_id: uuid.UUID) -> Claim:
    """One of the member's claims; Claim.DoesNotExist for anyone else's."""
    claim = Claim.objects.select_related("benefit", "benefit__category", "dependant").get(
        id=claim_id, member=member
    )
    claim.person = (
        person_of_dependant(claim.dependant, member)
        if claim.dependant
        else person_of_member(member)
    )
    return claim


# --- Enrolment --------------------------------------------------------------


@dataclass(frozen=True)
class EnrolmentPage:
    plan: Plan | None
    persons: list[Person]
    statuses: dict[tuple[str, str], str]
    windows: list[Window]
    on: date

    def status_of(self, person: Person, part: str) -> str:
        return self.statuses.get((person.key, part), "")

    @property
    def rows(self) -> list[tuple[Person, list[tuple[str, str]]]]:
        """Each person with (part, status) for every part, for the choices table."""
        return [
            (person, [(part, self.status_of(person, part)) for part in Part.values])
            for person in self.persons
        ]


def enrolment_overview(*, member: Member, on: date | None = None) -> EnrolmentPage:
    on = on or timezone.localdate()
    plan = plan_for(association_id=member.association_id, on=on)
    persons = coverage_persons(member=member)
    if plan is None:
        return EnrolmentPage(plan=None, persons=persons, statuses={}, windows=[], on=on)
    statuses = _statuses(_enrolments_in(member=member, plan=plan))
    return EnrolmentPage(
        plan=plan, persons=persons, statuses=statuses, windows=plan_windows(plan=plan, on=on), on=on
    )


# --- Public plan pages ------------------------------------------------------


def association_list() -> list[Association]:
    """Associations that publish a plan, for "pick your school"."""
    return list(Association.objects.filter(plans__isnull=False).distinct().order_by("name_fr"))


def public_plan(*, association_slug: str, on: date | None = None) -> Plan:
    """The school's plan for the current policy year, or the latest one it published."""
    on = on or timezone.localdate()
    plans = Plan.objects.filter(association__slug=association_slug).select_related("association")
    plan = (
        plans.filter(policy_year=rules.policy_year_of(on)).first()
        or plans.order_by("-policy_year").first()
    )
    if plan is None:
        raise Plan.DoesNotExist
    plan.benefit_list = plan_benefits(plan=plan)
    return plan


# --- Proof of coverage ------------------------------------------------------


@dataclass(frozen=True)
class ProofOfCoverage:
    """Only what a clinic needs: name, member id, covered parts, valid through."""

    full_name: str
    card_number: str
    covered_parts: list[str]
    valid_through: date | None
    association_name: str = ""


def proof_for_person(*, person_id: uuid.UUID, on: date | None = None) -> ProofOfCoverage:
    """The proof for a member or dependant by id; Member.DoesNotExist when unknown."""
    dependant = (
        Dependant.objects.select_related("member", "member__association")
        .filter(id=person_id)
        .first()
    )
    if dependant is not None:
        member = dependant.member
        person = person_of_dependant(dependant, member)
    else:
        member = Member.objects.select_related("association").get(id=person_id)
        person = person_of_member(member)
    return proof_of(member=member, person=person, on=on)


def proof_of(*, member: Member, person: Person, on: date | None = None) -> ProofOfCoverage:
    """The proof for one of ``member``'s persons, already read (the member's own card
    page has them: no need to look the person up again by id)."""
    on = on or timezone.localdate()
    plan = plan_for(association_id=member.association_id, on=on)
    covered: list[str] = []
    if plan is not None:
        covered = list(
            Enrolment.objects.filter(
                plan=plan,
                member=member,
                dependant_id=None if person.is_member else person.id,
                status=EnrolmentStatus.COVERED,
            )
            .order_by("part")
            .values_list("part", flat=True)
        )
        # Health first, as on the insurer's card.
        covered.sort(key=Part.values.index)
    return ProofOfCoverage(
        full_name=person.full_name,
        card_number=person.card_number,
        covered_parts=covered,
        valid_through=plan.ends_on if plan and covered else None,
        association_name=member.association.name,
    )


def member_person(*, member: Member, person_id: uuid.UUID) -> Person:
    """The member or one of their dependants; PersonNotFound for anyone else."""
    if person_id == member.id:
        return person_of_member(member)
    dependant = members_selectors.dependant_of_member(member=member, dependant_id=person_id)
    if dependant is None:
        raise PersonNotFound
    return person_of_dependant(dependant, member)


def deadline_days(*, windows: list[Window]) -> dict[str, int]:
    return {w.part: w.days_left for w in windows if w.is_open}
