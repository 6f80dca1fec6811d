"""Staff find a member by family name and date of birth together.

Names are encrypted, so there is no substring search: the pair, normalised
(accents, case, hyphens and spacing do not matter), is compared through its
blind index. Each lookup is written to the audit log with how many records it
found, never the name typed.
"""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from members.models import Member
from privacy.audit.api import audit_record
from privacy.fields import blind_index_filter

LOOKUP_ACTION = "members.looked_up_by_name_and_birth"
NAME_BIRTH_FIELDS = ("last_name", "date_of_birth")
# "Nguyen 2001-03-04", "D'Amours-Tremblay, 1999-12-31": a name, then an ISO date.
_NAME_THEN_DATE = re.compile(r"^(?P<name>.*?\S)[\s,;]+(?P<date>\d{4}-\d{1,2}-\d{1,2})$")


def name_and_birth_parse(term: str) -> tuple[str, date] | None:
    """The family name and date of birth in a search term, or None if it is not such a pair."""
    match = _NAME_THEN_DATE.match(term.strip())
    if match is None or not any(ch.isalpha() for ch in match["name"]):
        return None
    try:
        year, month, day = (int(part) for part in match["date"].split("-"))
        return match["name"], date(year, month, day)
    except ValueError:
        return None


@transaction.atomic
def members_find_by_name_and_birth(
    *, last_name: str, date_of_birth: date, actor, request=None
) -> QuerySet[Member]:
    """Records whose family name and date of birth both equal these; the lookup is audited."""
    found = Member.objects.filter(
        blind_index_filter(Member, NAME_BIRTH_FIELDS, (last_name, date_of_birth))
    )
    count = found.count()
    only = found.first() if count == 1 else None
    audit_record(
        action=LOOKUP_ACTION,
        actor=actor,
        request=request,
        object_type=Member._meta.label,
        object_id=str(only.pk) if only else "",
        subject=only.user_id if only and only.user_id else None,
        metadata={"found": count},
    )
    return found
