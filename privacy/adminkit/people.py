"""Who an account is, as staff call them: the app that keeps member records says so.

privacy knows accounts only by id. ``people_directory()`` lets an app (members,
for its records; requests, for request references) tell the admin how to name
an account (name and member number, with the link to the record, whose opening
is audited there) and which accounts a typed number or reference designates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Person:
    name: str
    number: str
    # The admin page of their record; opening it is audited by that page.
    url: str = ""
    # Who may follow the link ("app_label.codename"); others read the name and number only.
    permission: str = ""


Describer = Callable[[Any], Person | None]
Finder = Callable[[str], set]

_DESCRIBERS: list[Describer] = []
_FINDERS: list[Finder] = []


def people_directory(*, describe: Describer | None = None, find: Finder | None = None) -> None:
    """Register how to name an account id (``describe``) and find accounts by a term (``find``)."""
    if describe is not None and describe not in _DESCRIBERS:
        _DESCRIBERS.append(describe)
    if find is not None and find not in _FINDERS:
        _FINDERS.append(find)


def person_of(account_id) -> Person | None:
    if account_id is None:
        return None
    for describe in _DESCRIBERS:
        person = describe(account_id)
        if person is not None:
            return person
    return None


def accounts_matching(term: str) -> set:
    """Account ids an exact number or reference designates (never a partial match)."""
    term = (term or "").strip()
    found: set = set()
    if term:
        for find in _FINDERS:
            found |= set(find(term))
    found.discard(None)
    return found


def person_link(account_id, *, viewer=None):
    """ "Name (member number)", linked to their record for a ``viewer`` who may open it;
    never an account id."""
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    if account_id is None:
        return "—"
    person = person_of(account_id)
    if person is None:
        return _("Compte sans dossier de membre")
    may_open = person.url and (
        not person.permission or (viewer is not None and viewer.has_perm(person.permission))
    )
    if not may_open:
        return format_html("{} ({})", person.name, person.number)
    return format_html('<a href="{}">{} ({})</a>', person.url, person.name, person.number)
