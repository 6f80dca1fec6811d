"""Member records, dependants and their enrolments."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from members.models import Dependant, Member

from ..models import (
    Enrolment,
    EnrolmentStatus,
    Part,
)
from .base import Kind, Row, _set


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
    public_columns = frozenset({"association", "relationship"})

    def parse(self, row: Row) -> dict[str, Any]:
        card = row.card_number()
        relationship = row.choice("relationship", ["member", "spouse", "child"])
        values = {
            "association": row.text("association", max_length=60),
            "relationship": relationship,
            "first_name": row.name("first_name"),
            "last_name": row.name("last_name"),
            "date_of_birth": row.date("date_of_birth"),
            "student_number": row.text(
                "student_number", required=relationship == "member", max_length=20
            ),
            "preferred_language": row.raw("preferred_language").lower() or "fr",
        }
        if values["preferred_language"] not in ("fr", "en"):
            row.bad("preferred_language", _("la langue doit être fr ou en"))
        if card:
            values["member_number"], values["suffix"] = card
            expected = {"member": "00", "spouse": "01"}.get(relationship)
            suffix = f"{card[1]:02d}"
            if (expected and suffix != expected) or (relationship == "child" and card[1] < 2):
                row.bad(
                    "card_number",
                    _("le suffixe du numéro de carte ne correspond pas au lien « %(rel)s »")
                    % {"rel": relationship},
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
            repeated = self.repeated((v["member_number"], v["suffix"]), parsed.line, "card_number")
            if repeated:
                report.invalid += 1
                report.error(parsed.line, repeated)
                continue
            association = self.association(v["association"])
            if association is None:
                report.invalid += 1
                report.error(
                    parsed.line,
                    self.problem(
                        "association",
                        _("association « %(slug)s » inconnue") % {"slug": v["association"]},
                    ),
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
                        self.problem(
                            "student_number",
                            _("ce numéro d’étudiant est déjà celui d’un autre membre"),
                        ),
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
                    self.problem(
                        "card_number",
                        _(
                            "le membre principal (suffixe -00) doit être importé avant ses "
                            "personnes à charge"
                        ),
                    ),
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
    public_columns = frozenset({"association", "policy_year", "part", "status"})

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
            problem = self.repeated(
                (v["member_number"], v["suffix"], v["association"], v["policy_year"], v["part"]),
                parsed.line,
                "card_number",
            )
            problem = (
                problem
                or _person_problem(self, member, dependant, v)
                or (
                    _("aucun régime %(year)s pour l’association « %(slug)s »")
                    % {"year": v["policy_year"], "slug": v["association"]}
                    if plan is None
                    else None
                )
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


def _person_problem(kind, member, dependant, v) -> str | None:
    if member is None or (v["suffix"] != 0 and dependant is None):
        return kind.problem("card_number", _("aucune personne ne porte ce numéro de carte"))
    return None
