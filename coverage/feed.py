"""The insurer's feed: plans, benefits, members, enrolments and claims from CSV.

One file holds one kind of record (its header says which; see
docs/insurer-feed.md). The import streams: lines are read one at a time,
validated, and applied in chunks (one query per chunk to find what exists,
bulk inserts for what is new), so memory does not grow with the file. Every
line is validated; a file with an invalid line imports nothing unless
``skip_invalid``, and a second run of the same file changes nothing.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.db import reset_queries, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Association, Dependant, Member

from . import app_settings, rules
from .models import (
    Benefit,
    BenefitCategory,
    Claim,
    ClaimStatus,
    CombinedMaximum,
    Enrolment,
    EnrolmentStatus,
    Part,
    Plan,
)

MAX_KEPT_ERRORS = 1000
CARD_NUMBER = re.compile(r"^([A-Z]{2,8}-[0-9]{6,10})-([0-9]{2})$")
TRUE = {"1", "true", "yes", "oui", "vrai", "o", "y"}
FALSE = {"0", "false", "no", "non", "faux", "n", ""}


class LineError(Exception):
    """One line's problems, in plain words."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class ImportReport:
    kind: str = ""
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    error_count: int = 0
    file_error: str = ""
    dry_run: bool = False
    applied: bool = False

    def error(self, line: int, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append((line, message))

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.error_count


# --- Parsing helpers: each returns a value or appends a plain-words problem ---------


class Row:
    """One CSV line with helpers that collect every problem before giving up."""

    def __init__(self, data: dict[str, str], line: int):
        self.data = {k: (v or "").strip() for k, v in data.items() if k is not None}
        self.line = line
        self.problems: list[str] = []

    def raw(self, name: str) -> str:
        return self.data.get(name, "")

    def text(self, name: str, *, required: bool = True, max_length: int = 200) -> str:
        value = self.raw(name)
        if required and not value:
            self.problems.append(_("la colonne « %(col)s » est vide") % {"col": name})
        elif len(value) > max_length:
            self.problems.append(
                _("« %(col)s » dépasse %(max)s caractères") % {"col": name, "max": max_length}
            )
        return value

    def date(self, name: str, *, required: bool = True) -> date | None:
        value = self.raw(name)
        if not value:
            if required:
                self.problems.append(_("la colonne « %(col)s » est vide") % {"col": name})
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problems.append(
                _("« %(value)s » (%(col)s) n’est pas une date valide au format AAAA-MM-JJ")
                % {"value": value, "col": name}
            )
            return None

    def money(self, name: str, *, required: bool = True) -> Decimal | None:
        value = self.raw(name)
        if not value:
            if required:
                self.problems.append(_("la colonne « %(col)s » est vide") % {"col": name})
            return None
        try:
            amount = Decimal(value)
        except InvalidOperation:
            amount = None
        if (
            amount is None
            or not amount.is_finite()
            or amount < 0
            or amount.as_tuple().exponent < -2
        ):
            self.problems.append(
                _("« %(value)s » (%(col)s) n’est pas un montant en dollars comme 85.00")
                % {"value": value, "col": name}
            )
            return None
        return amount

    def cents(self, name: str, *, required: bool = False) -> int | None:
        amount = self.money(name, required=required)
        return None if amount is None else rules.money_to_cents(amount)

    def percent(self, name: str, *, required: bool = True) -> Decimal | None:
        value = self.raw(name)
        if not value:
            if required:
                self.problems.append(_("la colonne « %(col)s » est vide") % {"col": name})
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or not 0 <= number <= 100:
            self.problems.append(
                _("« %(value)s » (%(col)s) n’est pas un pourcentage entre 0 et 100")
                % {"value": value, "col": name}
            )
            return None
        return number.quantize(Decimal("0.01"))

    def integer(self, name: str, *, required: bool = True, low: int = 0, high: int = 10**6):
        value = self.raw(name)
        if not value:
            if required:
                self.problems.append(_("la colonne « %(col)s » est vide") % {"col": name})
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            self.problems.append(
                _("« %(value)s » (%(col)s) n’est pas un nombre entier entre %(low)s et %(high)s")
                % {"value": value, "col": name, "low": low, "high": high}
            )
            return None
        return int(value)

    def boolean(self, name: str) -> bool:
        value = self.raw(name).lower()
        if value in TRUE:
            return True
        if value not in FALSE:
            self.problems.append(
                _("« %(value)s » (%(col)s) doit être oui ou non") % {"value": value, "col": name}
            )
        return False

    def choice(self, name: str, choices: list[str]) -> str:
        value = self.raw(name).lower()
        if value not in choices:
            self.problems.append(
                _("« %(value)s » (%(col)s) doit être l’une de ces valeurs : %(choices)s")
                % {"value": value, "col": name, "choices": ", ".join(choices)}
            )
        return value

    def card_number(self, name: str = "card_number") -> tuple[str, int] | None:
        value = self.raw(name).upper()
        match = CARD_NUMBER.match(value)
        if not match:
            self.problems.append(
                _("« %(value)s » (%(col)s) n’est pas un numéro de carte comme ASEQ-123456-00")
                % {"value": value, "col": name}
            )
            return None
        return match.group(1), int(match.group(2))

    def done(self) -> None:
        if self.problems:
            raise LineError(self.problems)


def _set(instance: Any, values: dict[str, Any]) -> list[str]:
    """Assign what differs; the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed


# --- Kinds -------------------------------------------------------------------


@dataclass
class Parsed:
    line: int
    values: dict[str, Any]


class Kind:
    name = ""
    columns: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.plans: dict[tuple[str, int], Plan | None] = {}
        self.associations: dict[str, Association | None] = {}

    def parse(self, row: Row) -> dict[str, Any]:
        raise NotImplementedError

    def apply(self, chunk: list[Parsed], report: ImportReport, *, write: bool) -> None:
        raise NotImplementedError

    # Small caches: there are a handful of associations and plans, never one per line.
    def association(self, slug: str) -> Association | None:
        if slug not in self.associations:
            self.associations[slug] = Association.objects.filter(slug=slug).first()
        return self.associations[slug]

    def plan(self, slug: str, year: int) -> Plan | None:
        key = (slug, year)
        if key not in self.plans:
            plan = Plan.objects.filter(association__slug=slug, policy_year=year).first()
            if plan is not None:
                plan.benefit_map = {b.key: b for b in plan.benefits.all()}
            self.plans[key] = plan
        return self.plans[key]

    @staticmethod
    def persons(
        chunk: list[Parsed], *, full: bool = False
    ) -> tuple[dict[str, Member], dict[tuple[str, int], Dependant]]:
        """Members and dependants named by the chunk's card numbers: two queries.

        Only ids are loaded unless ``full`` (the members kind compares every value).
        """
        numbers = {p.values["member_number"] for p in chunk}
        fields = (
            [f.name for f in Member._meta.concrete_fields]
            if full
            else ["id", "member_number", "association_id"]
        )
        dependant_fields = (
            [f.name for f in Dependant._meta.concrete_fields]
            if full
            else ["id", "suffix", "member"]
        )
        members = {
            m.member_number: m
            for m in Member.objects.filter(member_number__in=numbers).only(*fields)
        }
        dependants = {
            (d.member.member_number, d.suffix): d
            for d in Dependant.objects.filter(member__member_number__in=numbers)
            .select_related("member")
            .only(*dependant_fields, *(f"member__{f}" for f in fields))
        }
        return members, dependants


class PlanKind(Kind):
    name = "plans"
    columns = (
        "association",
        "association_short_code",
        "association_name_fr",
        "association_name_en",
        "policy_year",
        "name_fr",
        "name_en",
        "health_window_start",
        "health_window_end",
        "dental_window_start",
        "dental_window_end",
        "proof_required",
        "family_allowed",
    )

    def parse(self, row: Row) -> dict[str, Any]:
        values = {
            "association": row.text("association", max_length=60),
            "short_code": row.text("association_short_code", max_length=20),
            "association_name_fr": row.text("association_name_fr"),
            "association_name_en": row.text("association_name_en"),
            "policy_year": row.integer("policy_year", low=2000, high=2100),
            "name_fr": row.text("name_fr"),
            "name_en": row.text("name_en"),
            "proof_required": row.boolean("proof_required"),
            "family_allowed": row.boolean("family_allowed"),
        }
        for part in ("health", "dental"):
            start = row.date(f"{part}_window_start")
            end = row.date(f"{part}_window_end")
            if start and end and start > end:
                row.problems.append(
                    _("la période %(part)s se termine avant de commencer") % {"part": part}
                )
            values[f"{part}_window_start"], values[f"{part}_window_end"] = start, end
        row.done()
        return values

    def apply(self, chunk, report, *, write):
        for parsed in chunk:
            v = dict(parsed.values)
            slug = v.pop("association")
            association_values = {
                "short_code": v.pop("short_code"),
                "name_fr": v.pop("association_name_fr"),
                "name_en": v.pop("association_name_en"),
            }
            association = self.association(slug)
            plan = (
                Plan.objects.filter(association=association, policy_year=v["policy_year"]).first()
                if association
                else None
            )
            changed = bool(association is None or _set(association, association_values))
            if plan is None:
                report.created += 1
                if write:
                    if association is None:
                        association = Association(slug=slug, **association_values)
                    association.save()
                    self.associations[slug] = association
                    Plan.objects.create(association=association, **v)
                continue
            changed |= bool(_set(plan, v))
            if not changed:
                report.unchanged += 1
                continue
            report.updated += 1
            if write:
                association.save()
                plan.save()


class BenefitKind(Kind):
    name = "benefits"
    columns = (
        "association",
        "policy_year",
        "category",
        "category_part",
        "category_name_fr",
        "category_name_en",
        "benefit",
        "name_fr",
        "name_en",
        "keywords_fr",
        "keywords_en",
        "percent",
        "per_visit_max",
        "yearly_max",
        "combined",
        "combined_name_fr",
        "combined_name_en",
        "combined_yearly_max",
        "combined_shared_by_family",
        "frequency_months",
        "frequency_max",
        "network_percent",
        "shared_by_family",
    )

    def parse(self, row: Row) -> dict[str, Any]:
        values = {
            "association": row.text("association", max_length=60),
            "policy_year": row.integer("policy_year", low=2000, high=2100),
            "category": row.text("category", max_length=50),
            "category_part": row.choice("category_part", Part.values),
            "category_name_fr": row.text("category_name_fr"),
            "category_name_en": row.text("category_name_en"),
            "benefit": row.text("benefit", max_length=50),
            "name_fr": row.text("name_fr"),
            "name_en": row.text("name_en"),
            "keywords_fr": row.text("keywords_fr", required=False, max_length=300),
            "keywords_en": row.text("keywords_en", required=False, max_length=300),
            "percent": row.percent("percent"),
            "per_visit_max_cents": row.cents("per_visit_max"),
            "yearly_max_cents": row.cents("yearly_max"),
            "combined": row.text("combined", required=False, max_length=50),
            "combined_name_fr": row.raw("combined_name_fr"),
            "combined_name_en": row.raw("combined_name_en"),
            "combined_yearly_max_cents": row.cents("combined_yearly_max"),
            "combined_shared_by_family": row.boolean("combined_shared_by_family"),
            "frequency_months": row.integer("frequency_months", required=False, low=1, high=120),
            "frequency_max_cents": row.cents("frequency_max"),
            "network_percent": row.percent("network_percent", required=False),
            "shared_by_family": row.boolean("shared_by_family"),
        }
        if values["combined"] and not (
            values["combined_name_fr"]
            and values["combined_name_en"]
            and values["combined_yearly_max_cents"] is not None
        ):
            row.problems.append(
                _("un maximum combiné a besoin de ses noms et de son montant annuel")
            )
        if (values["frequency_months"] is None) != (values["frequency_max_cents"] is None):
            row.problems.append(
                _("frequency_months et frequency_max vont ensemble : les deux ou aucun")
            )
        row.done()
        return values

    def apply(self, chunk, report, *, write):
        for parsed in chunk:
            v = parsed.values
            plan = self.plan(v["association"], v["policy_year"])
            if plan is None:
                report.invalid += 1
                report.error(
                    parsed.line,
                    _("aucun régime %(year)s pour l’association « %(slug)s »")
                    % {"year": v["policy_year"], "slug": v["association"]},
                )
                continue
            category = BenefitCategory.objects.filter(plan=plan, key=v["category"]).first()
            category_values = {
                "part": v["category_part"],
                "name_fr": v["category_name_fr"],
                "name_en": v["category_name_en"],
            }
            combined = None
            combined_values = {}
            if v["combined"]:
                combined = CombinedMaximum.objects.filter(plan=plan, key=v["combined"]).first()
                combined_values = {
                    "name_fr": v["combined_name_fr"],
                    "name_en": v["combined_name_en"],
                    "yearly_max_cents": v["combined_yearly_max_cents"],
                    "shared_by_family": v["combined_shared_by_family"],
                }
            benefit = plan.benefit_map.get(v["benefit"])
            benefit_values = {
                name: v[name]
                for name in (
                    "name_fr",
                    "name_en",
                    "keywords_fr",
                    "keywords_en",
                    "percent",
                    "per_visit_max_cents",
                    "yearly_max_cents",
                    "frequency_months",
                    "frequency_max_cents",
                    "network_percent",
                    "shared_by_family",
                )
            }
            changed = category is None or bool(_set(category, category_values))
            if v["combined"]:
                changed |= combined is None or bool(_set(combined, combined_values))
            if benefit is not None:
                changed |= bool(_set(benefit, benefit_values))
                changed |= benefit.category_id != (category.id if category else None)
                changed |= benefit.combined_id != (combined.id if combined else None)
            if benefit is not None and not changed:
                report.unchanged += 1
                continue
            if benefit is None:
                report.created += 1
            else:
                report.updated += 1
            if not write:
                continue
            if category is None:
                category = BenefitCategory(plan=plan, key=v["category"], **category_values)
            category.save()
            if v["combined"]:
                if combined is None:
                    combined = CombinedMaximum(plan=plan, key=v["combined"], **combined_values)
                combined.save()
            if benefit is None:
                benefit = Benefit(plan=plan, key=v["benefit"], **benefit_values)
                plan.benefit_map[benefit.key] = benefit
            benefit.category = category
            benefit.combined = combined
            benefit.save()


class MemberKind(Kind):
    """Students (suffix 00) and their dependants (01 spouse, 02+ children)."""

    name = "members"
    columns = (
        "card_number",
        "association",
        "relationship",
        "first_name",
        "last_name",
        "date_of_birth",
        "student_number",
    )
    optional = ("preferred_language",)

    def parse(self, row: Row) -> dict[str, Any]:
        card = row.card_number()
        relationship = row.choice("relationship", ["member", "spouse", "child"])
        values = {
            "association": row.text("association", max_length=60),
            "relationship": relationship,
            "first_name": row.text("first_name", max_length=100),
            "last_name": row.text("last_name", max_length=100),
            "date_of_birth": row.date("date_of_birth"),
            "student_number": row.text(
                "student_number", required=relationship == "member", max_length=20
            ),
            "preferred_language": row.raw("preferred_language").lower() or "fr",
        }
        if values["preferred_language"] not in ("fr", "en"):
            row.problems.append(_("preferred_language doit être fr ou en"))
        if card:
            values["member_number"], values["suffix"] = card
            expected = {"member": "00", "spouse": "01"}.get(relationship)
            suffix = f"{card[1]:02d}"
            if (expected and suffix != expected) or (relationship == "child" and card[1] < 2):
                row.problems.append(
                    _("le suffixe -%(suffix)s ne correspond pas au lien « %(rel)s »")
                    % {"suffix": suffix, "rel": relationship}
                )
        row.done()
        return values

    def apply(self, chunk, report, *, write):
        members, dependants = self.persons(chunk, full=True)
        # Student numbers are encrypted: found by blind index, one query per chunk.
        students = [p for p in chunk if p.values["relationship"] == "member"]
        taken: dict[tuple[int, str], str] = {}
        if students:
            index = Member._meta.get_field("student_number_index")
            digests = {index.index_of(p.values["student_number"]) for p in students}
            for other in Member.objects.filter(student_number_index__in=digests).only(
                "id", "association_id", "member_number", "student_number_index"
            ):
                taken[(other.association_id, other.student_number_index)] = other.member_number
        new_members: list[Member] = []
        new_dependants: list[Dependant] = []
        for parsed in chunk:
            v = parsed.values
            association = self.association(v["association"])
            if association is None:
                report.invalid += 1
                report.error(
                    parsed.line, _("association « %(slug)s » inconnue") % {"slug": v["association"]}
                )
                continue
            personal = {
                "first_name": v["first_name"],
                "last_name": v["last_name"],
                "date_of_birth": v["date_of_birth"],
            }
            if v["relationship"] == "member":
                digest = Member._meta.get_field("student_number_index").index_of(
                    v["student_number"]
                )
                holder = taken.get((association.id, digest))
                if holder and holder != v["member_number"]:
                    report.invalid += 1
                    report.error(
                        parsed.line,
                        _("ce numéro d’étudiant appartient déjà au membre %(number)s")
                        % {"number": holder},
                    )
                    continue
                taken[(association.id, digest)] = v["member_number"]
                values = {
                    **personal,
                    "association_id": association.id,
                    "student_number": v["student_number"],
                }
                member = members.get(v["member_number"])
                if member is None:
                    member = Member(
                        member_number=v["member_number"],
                        preferred_language=v["preferred_language"],
                        **values,
                    )
                    members[member.member_number] = member
                    new_members.append(member)
                    report.created += 1
                elif _set(member, values):
                    report.updated += 1
                    if write:
                        member.save()
                else:
                    report.unchanged += 1
                continue
            member = members.get(v["member_number"])
            if member is None:
                report.invalid += 1
                report.error(
                    parsed.line,
                    _("le membre %(number)s-00 doit être importé avant ses personnes à charge")
                    % {"number": v["member_number"]},
                )
                continue
            values = {**personal, "relationship": v["relationship"]}
            dependant = dependants.get((v["member_number"], v["suffix"]))
            if dependant is None:
                dependant = Dependant(member=member, suffix=v["suffix"], **values)
                dependants[(v["member_number"], v["suffix"])] = dependant
                new_dependants.append(dependant)
                report.created += 1
            elif _set(dependant, values):
                report.updated += 1
                if write:
                    dependant.save()
            else:
                report.unchanged += 1
        if write:
            Member.objects.bulk_create(new_members)
            Dependant.objects.bulk_create(new_dependants)


class EnrolmentKind(Kind):
    name = "enrolments"
    columns = ("card_number", "association", "policy_year", "part", "status")

    def parse(self, row: Row) -> dict[str, Any]:
        card = row.card_number()
        values = {
            "association": row.text("association", max_length=60),
            "policy_year": row.integer("policy_year", low=2000, high=2100),
            "part": row.choice("part", Part.values),
            "status": row.choice("status", EnrolmentStatus.values),
        }
        if card:
            values["member_number"], values["suffix"] = card
        row.done()
        return values

    def apply(self, chunk, report, *, write):
        members, dependants = self.persons(chunk)
        existing = {
            (e.member_id, e.dependant_id, e.plan_id, e.part): e
            for e in Enrolment.objects.filter(member__in=[m.id for m in members.values()])
        }
        new: list[Enrolment] = []
        for parsed in chunk:
            v = parsed.values
            member, dependant = _person(members, dependants, v)
            plan = self.plan(v["association"], v["policy_year"])
            problem = _person_problem(member, dependant, v) or (
                _("aucun régime %(year)s pour l’association « %(slug)s »")
                % {"year": v["policy_year"], "slug": v["association"]}
                if plan is None
                else None
            )
            if problem is None and member.association_id != plan.association_id:
                problem = _("ce membre n’appartient pas à l’association « %(slug)s »") % {
                    "slug": v["association"]
                }
            if problem:
                report.invalid += 1
                report.error(parsed.line, problem)
                continue
            key = (member.id, dependant.id if dependant else None, plan.id, v["part"])
            enrolment = existing.get(key)
            if enrolment is None:
                enrolment = Enrolment(
                    member=member,
                    dependant=dependant,
                    plan=plan,
                    part=v["part"],
                    status=v["status"],
                    policy_year_end=plan.ends_on,
                )
                existing[key] = enrolment
                new.append(enrolment)
                report.created += 1
            elif _set(enrolment, {"status": v["status"]}):
                report.updated += 1
                if write:
                    enrolment.save(update_fields=["status", "changed_at"])
            else:
                report.unchanged += 1
        if write:
            Enrolment.objects.bulk_create(new)


def _person(members, dependants, v) -> tuple[Member | None, Dependant | None]:
    member = members.get(v["member_number"])
    if v["suffix"] == 0:
        return member, None
    return member, dependants.get((v["member_number"], v["suffix"]))


def _person_problem(member, dependant, v) -> str | None:
    if member is None or (v["suffix"] != 0 and dependant is None):
        return _("aucune personne ne porte le numéro %(number)s-%(suffix)02d") % {
            "number": v["member_number"],
            "suffix": v["suffix"],
        }
    return None


class ClaimKind(Kind):
    name = "claims"
    columns = (
        "reference",
        "card_number",
        "benefit",
        "service_date",
        "amount_claimed",
        "amount_paid",
        "status",
        "received_on",
    )
    optional = ("in_review_on", "decided_on", "refusal_reason", "provider_name", "in_network")

    def parse(self, row: Row) -> dict[str, Any]:
        card = row.card_number()
        status = row.choice("status", ClaimStatus.values)
        values = {
            "reference": row.text("reference", max_length=40),
            "benefit": row.text("benefit", max_length=50),
            "service_date": row.date("service_date"),
            "amount_claimed_cents": row.cents("amount_claimed", required=True),
            "amount_paid_cents": row.cents("amount_paid", required=status == ClaimStatus.PAID),
            "status": status,
            "received_on": row.date("received_on"),
            "in_review_on": row.date("in_review_on", required=False),
            "decided_on": row.date(
                "decided_on", required=status in (ClaimStatus.PAID, ClaimStatus.REFUSED)
            ),
            "refusal_reason": row.text(
                "refusal_reason", required=status == ClaimStatus.REFUSED, max_length=500
            ),
            "provider_name": row.text("provider_name", required=False),
            "in_network": row.boolean("in_network"),
        }
        if status != ClaimStatus.PAID and values["amount_paid_cents"] not in (None,):
            row.problems.append(_("seule une demande payée (paid) a un montant payé"))
        if (
            values["amount_paid_cents"] is not None
            and values["amount_claimed_cents"] is not None
            and values["amount_paid_cents"] > values["amount_claimed_cents"]
        ):
            row.problems.append(_("le montant payé dépasse le montant réclamé"))
        if values["service_date"] and values["service_date"] > timezone.localdate():
            row.problems.append(_("la date du service est dans le futur"))
        if card:
            values["member_number"], values["suffix"] = card
        row.done()
        return values

    def apply(self, chunk, report, *, write):
        members, dependants = self.persons(chunk)
        existing = {
            c.reference: c
            for c in Claim.objects.filter(reference__in=[p.values["reference"] for p in chunk])
        }
        plans_by_association = {}
        new: list[Claim] = []
        seen: dict[str, int] = {}
        for parsed in chunk:
            v = parsed.values
            if v["reference"] in seen:
                report.invalid += 1
                report.error(
                    parsed.line,
                    _("le numéro de demande %(ref)s est déjà à la ligne %(line)s")
                    % {"ref": v["reference"], "line": seen[v["reference"]]},
                )
                continue
            seen[v["reference"]] = parsed.line
            member, dependant = _person(members, dependants, v)
            problem = _person_problem(member, dependant, v)
            benefit = None
            year = rules.policy_year_of(v["service_date"])
            if problem is None:
                slug_key = (member.association_id, year)
                if slug_key not in plans_by_association:
                    plan = Plan.objects.filter(
                        association_id=member.association_id, policy_year=year
                    ).first()
                    plans_by_association[slug_key] = (
                        self.plan(plan.association.slug, year) if plan else None
                    )
                plan = plans_by_association[slug_key]
                benefit = plan.benefit_map.get(v["benefit"]) if plan else None
                if benefit is None:
                    problem = _(
                        "la garantie « %(benefit)s » n’existe pas dans le régime %(year)s "
                        "de ce membre"
                    ) % {"benefit": v["benefit"], "year": year}
            if problem:
                report.invalid += 1
                report.error(parsed.line, problem)
                continue
            values = {
                "member_id": member.id,
                "dependant_id": dependant.id if dependant else None,
                "benefit_id": benefit.id,
                "status": v["status"],
                "policy_year_end": rules.policy_year_bounds(year)[1],
                "service_date": v["service_date"],
                "amount_claimed_cents": v["amount_claimed_cents"],
                "amount_paid_cents": v["amount_paid_cents"],
                "provider_name": v["provider_name"],
                "in_network": v["in_network"],
                "received_on": v["received_on"],
                "in_review_on": v["in_review_on"],
                "decided_on": v["decided_on"],
                "refusal_reason": v["refusal_reason"],
            }
            claim = existing.get(v["reference"])
            if claim is None:
                new.append(Claim(reference=v["reference"], **values))
                report.created += 1
                continue
            if _set(claim, values):
                report.updated += 1
                if write:
                    # Encrypted values are bound to their row: saved one by one.
                    claim.save()
            else:
                report.unchanged += 1
        if write:
            Claim.objects.bulk_create(new)


KINDS: dict[str, type[Kind]] = {
    kind.name: kind for kind in (PlanKind, BenefitKind, MemberKind, EnrolmentKind, ClaimKind)
}


def kind_for_header(header: list[str]) -> str | None:
    """The kind whose required columns the header has (the most specific one)."""
    present = set(header)
    matches = [k for k in KINDS.values() if set(k.columns) <= present]
    matches.sort(key=lambda k: len(k.columns), reverse=True)
    return matches[0].name if matches else None


def _lines(stream: IO[bytes]) -> Iterator[str]:
    """UTF-8 text lines, with or without a byte order mark, decoded as they stream."""
    reader = codecs.getreader("utf-8-sig")(stream, errors="strict")
    yield from reader


def coverage_import(
    *,
    stream: IO[bytes],
    kind: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate every line and upsert in chunks; nothing is kept unless the file is clean.

    With ``skip_invalid`` the valid lines are imported and the others reported.
    """
    chunk_size = chunk_size or app_settings.import_chunk_size()
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        try:
            _run(stream, kind, report, skip_invalid, dry_run, chunk_size, progress)
        except UnicodeDecodeError:
            report.file_error = _(
                "Le fichier n’est pas en UTF-8 (après la ligne %(line)s). Enregistrez-le en "
                "« CSV UTF-8 » et recommencez."
            ) % {"line": report.lines}
        except csv.Error as error:
            report.file_error = _("Ligne %(line)s : CSV illisible (%(error)s).") % {
                "line": report.lines + 1,
                "error": error,
            }
        blocked = report.file_error or (report.error_count and not skip_invalid)
        report.applied = not (dry_run or blocked)
        if not report.applied:
            transaction.set_rollback(True)
    return report


def _run(stream, kind_name, report, skip_invalid, dry_run, chunk_size, progress) -> None:
    reader = csv.DictReader(_lines(stream))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    if not header:
        report.file_error = _("Le fichier est vide : il manque la ligne d’en-tête.")
        return
    kind_name = kind_name or kind_for_header(header)
    if kind_name not in KINDS:
        report.file_error = _(
            "Ligne 1 : l’en-tête ne correspond à aucun type de fichier connu (%(kinds)s). "
            "Voir docs/insurer-feed.md."
        ) % {"kinds": ", ".join(KINDS)}
        return
    kind = KINDS[kind_name]()
    report.kind = kind_name
    missing = [c for c in kind.columns if c not in header]
    if missing:
        report.file_error = _("Ligne 1 : colonnes manquantes : %(cols)s.") % {
            "cols": ", ".join(missing)
        }
        return
    chunk: list[Parsed] = []
    for data in reader:
        line = reader.line_num
        report.lines += 1
        if None in data:
            report.invalid += 1
            report.error(line, _("plus de valeurs que de colonnes dans l’en-tête"))
            continue
        try:
            chunk.append(Parsed(line, kind.parse(Row(data, line))))
        except LineError as error:
            report.invalid += 1
            report.error(line, "; ".join(error.messages))
        if len(chunk) >= chunk_size:
            _flush(kind, chunk, report, skip_invalid, dry_run)
            chunk = []
            if progress:
                progress(report.lines)
    if chunk:
        _flush(kind, chunk, report, skip_invalid, dry_run)
    if progress:
        progress(report.lines)


def _flush(kind: Kind, chunk, report, skip_invalid, dry_run) -> None:
    # Once a line is invalid (and not skipped) nothing will be kept: validate only.
    write = not dry_run and (skip_invalid or not report.error_count)
    kind.apply(chunk, report, write=write)
    # With DEBUG on, Django keeps every query's SQL: memory would grow with the file.
    reset_queries()
