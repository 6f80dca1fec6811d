"""Admin support for encrypted fields.

Encrypted values display decrypted (the field descriptor opens them for staff
who can open the page). ``BlindIndexSearchMixin`` adds search by exact value on
blind-indexed fields and keeps encrypted columns out of sorting.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import Q
from django.http import HttpRequest
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from privacy.fields import blind_index_filter, encrypted_field_at

_SEARCHING_FLAG = "_privacy_blind_index_searching"


class EncryptedChangeList(ChangeList):
    """Ignores a request to sort by an encrypted column (``?o=``) instead of failing."""

    def get_ordering_field(self, field_name):
        order_field = super().get_ordering_field(field_name)
        if isinstance(order_field, str) and encrypted_field_at(self.model, order_field.lstrip("-")):
            return None
        return order_field


class BlindIndexSearchMixin:
    """``blind_index_search_fields = ("student_number", "email")``: exact-value search.

    The whole search term is compared (normalised, through the blind index) with each
    listed encrypted field; rows matching the ordinary ``search_fields`` are kept too.
    """

    blind_index_search_fields: tuple[str, ...] = ()

    def get_blind_index_search_fields(self, request: HttpRequest) -> tuple[str, ...]:
        return tuple(self.blind_index_search_fields)

    def get_search_fields(self, request: HttpRequest):
        fields = tuple(super().get_search_fields(request))
        if getattr(request, _SEARCHING_FLAG, False):
            return fields
        # Listed so that the admin shows its search box.
        return fields + self.get_blind_index_search_fields(request)

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        blind_fields = self.get_blind_index_search_fields(request)
        term = search_term.strip()
        plain_exact = self.exact_search_q(search_term) if hasattr(self, "exact_search_q") else None
        if plain_exact is not None:
            # Exact plain fields (ExactSearchMixin) and blind indexes in one WHERE on
            # the table: index lookups OR-ed, no subquery testing every row.
            return queryset.filter(plain_exact | self._blind_q(blind_fields, term)), False
        setattr(request, _SEARCHING_FLAG, True)
        try:
            plain_fields = tuple(super().get_search_fields(request))
            if plain_fields:
                matched, duplicates = super().get_search_results(request, queryset, search_term)
            else:
                matched, duplicates = queryset.none(), False
        finally:
            setattr(request, _SEARCHING_FLAG, False)
        if not term or not blind_fields:
            return (matched if plain_fields else queryset), duplicates
        exact = self._blind_q(blind_fields, term)
        if not exact:
            return matched, duplicates
        if plain_fields:
            return queryset.filter(Q(pk__in=matched.values("pk")) | exact), duplicates
        return queryset.filter(exact), duplicates

    def _blind_q(self, blind_fields: tuple[str, ...], term: str) -> Q:
        exact = Q()
        for name in blind_fields:
            try:
                exact |= blind_index_filter(self.model, name, term)
            except ValueError:
                continue
        return exact

    def get_changelist(self, request: HttpRequest, **kwargs):
        return EncryptedChangeList

    def get_sortable_by(self, request: HttpRequest):
        sortable = super().get_sortable_by(request)
        return [
            name
            for name in sortable
            if not (isinstance(name, str) and encrypted_field_at(self.model, name))
        ]

    @property
    def search_help_text(self):
        names = [
            str(capfirst(self.model._meta.get_field(name).verbose_name))
            for name in self.blind_index_search_fields
        ]
        if not names:
            return None
        return _("Valeur exacte pour : %(fields)s.") % {"fields": ", ".join(names)}


class EncryptedModelAdmin(BlindIndexSearchMixin, admin.ModelAdmin):
    """A ModelAdmin ready for models with encrypted fields."""
