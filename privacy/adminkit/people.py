"""Who an account is, as staff call them: the app that keeps member records says so.

privacy knows accounts only by id. ``people_directory()`` lets an app (members,
for its records; requests, for request references) tell the admin how to name
an account (name and member number, with the link to the record, whose opening
is audited there) and which accounts a typed number or reference designates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib import admin


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


def account_label(user) -> str:
    """An account as staff know it, never its id: a member's number, a colleague's address."""
    from django.utils.translation import gettext as _

    if user is None:
        return "—"
    person = person_of(user.pk)
    if person is not None:
        return person.number
    if getattr(user, "is_staff", False):
        return user.get_username()
    return _("Compte sans dossier de membre")


if TYPE_CHECKING:  # the mixin's super() and attributes are the ModelAdmin's
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object


class AccountsByNameMixin(_AdminBase):
    """``account_fields = ("user",)``: those account links read as ``account_label()`` on
    read-only pages and in the list, instead of account ids."""

    account_fields: tuple[str, ...] = ()

    def _account_display_name(self, name: str) -> str:
        display = f"{name}_account"
        if not hasattr(type(self), display):
            from django.contrib import admin

            field = self.model._meta.get_field(name)

            @admin.display(description=field.verbose_name)
            def show(_self, obj, _name=name):
                return account_label(getattr(obj, _name))

            setattr(type(self), display, show)
        return display

    def _swap_accounts(self, names):
        return [
            self._account_display_name(n) if isinstance(n, str) and n in self.account_fields else n
            for n in names
        ]

    def get_list_display(self, request):
        return self._swap_accounts(super().get_list_display(request))

    def _shown_as_text(self, request, obj) -> set[str]:
        """The account fields this page shows read-only (all of them on a view-only page)."""
        if obj is None:
            return set()
        if not self.has_change_permission(request, obj):
            return set(self.account_fields)
        readonly = super().get_readonly_fields(request, obj)
        return set(readonly) & set(self.account_fields)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        swapped = self._shown_as_text(request, obj)
        kept = [name for name in readonly if name not in swapped]
        return [*kept, *(self._account_display_name(name) for name in sorted(swapped))]

    def get_fieldsets(self, request, obj=None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        swapped = self._shown_as_text(request, obj)
        if not swapped:
            return fieldsets
        result = []
        seen: set[str] = set()
        for title, options in fieldsets:
            names = []
            for name in options.get("fields", ()):
                if isinstance(name, str) and name in swapped:
                    name = self._account_display_name(name)
                if name in seen:
                    continue
                seen.add(str(name))
                names.append(name)
            result.append((title, {**options, "fields": names}))
        return result
