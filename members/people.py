"""How staff name an account in the admin: the member's name and member number, with the
link to their record (opening it is audited); and which account a number designates."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse

from members.models import Member
from privacy.fields import blind_index_filter
from privacy.staff.api import Person, people_directory


def member_person(account_id) -> Person | None:
    member = Member.objects.filter(user_id=account_id).first()
    if member is None:
        return None
    return Person(
        name=member.full_name,
        number=member.member_number,
        url=reverse("admin:members_member_change", args=[member.pk]),
        permission="members.view_member",
    )


def accounts_by_number(term: str) -> set:
    """The accounts of the records whose student number or member number is exactly ``term``."""
    try:
        by_student_number = blind_index_filter(Member, "student_number", term)
    except ValueError:
        by_student_number = Q(pk__in=[])
    # Member numbers are written in capitals: an exact match uses the unique index
    # (member_number__iexact compares UPPER() and scans every record).
    rows = Member.objects.filter(by_student_number | Q(member_number__in={term, term.upper()}))
    return set(rows.exclude(user__isnull=True).values_list("user_id", flat=True))


people_directory(describe=member_person, find=accounts_by_number)
