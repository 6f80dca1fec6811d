"""Admin lists over tables of millions of rows (claims, enrolments, the audit log).

At the plan's scale (300,000 members, 2 million claims, 3 million audit
entries; bench/scale.py) the admin's defaults cost seconds a page: a COUNT(*)
of the whole filtered set (twice when filtered), OFFSET paging deep into it,
substring search (``icontains`` scans every row, across a join for
``member__member_number``) and filters that compute their choices with a
DISTINCT over the table. What this module offers instead:

- ``CappedPaginator``: counts at most ``BIG_LIST_COUNT_CAP`` rows (a COUNT over
  a LIMIT), so the list pages through the first 10,000 results and says "more
  than 10,000" beyond; a page number past the end shows the last page. Staff
  narrow a search or a filter rather than page through millions. A deep page
  reads its keys first, then its rows (no OFFSET over whole rows).
- ``ExactSearchMixin``: ``exact_search_fields`` matched by exact value on
  indexed columns; a path through a foreign key (``member__member_number``) is
  first resolved to ids, so the search stays two index lookups.
- ``BigListMixin``: both, and no full count.
"""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest

BIG_LIST_COUNT_CAP = 10_000
# A term naming more rows than this through a relation is not an exact search.
_RELATED_IDS_MAX = 100


class CappedPaginator(Paginator):
    """Counts at most ``BIG_LIST_COUNT_CAP`` rows; past the last page, the last page."""

    cap = BIG_LIST_COUNT_CAP

    @cached_property
    def count(self) -> int:
        rows = self.object_list[: self.cap + 1]
        counted = rows.count() if isinstance(rows, QuerySet) else len(rows)
        self.capped = counted > self.cap
        return min(counted, self.cap)

    capped = False

    def page(self, number):
        """Deep pages read the page's keys first (an index-only walk past the skipped
        rows), then those rows alone: OFFSET over whole rows fetched every skipped one."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list
        if bottom < self.per_page * 5 or not isinstance(rows, QuerySet) or not rows.ordered:
            return super().page(number)
        keys = list(rows.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        found = {row.pk: row for row in rows.filter(pk__in=keys)}
        return self._get_page([found[k] for k in keys if k in found], number, self)

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except PageNotAnInteger:
            raise
        except EmptyPage:
            if int(number) > 1:
                return self.num_pages
            raise


class ExactSearchMixin:
    """``exact_search_fields = ("reference", "member__member_number")``: exact values only.

    Each field is compared with the term as typed and in capitals (member numbers
    and references are written in capitals); a field across a foreign key is
    resolved to the related rows' ids first. Never a substring: no scan.
    """

    exact_search_fields: tuple[str, ...] = ()

    def get_search_fields(self, request: HttpRequest):
        fields = tuple(super().get_search_fields(request))  # type: ignore[misc]
        return fields or self.exact_search_fields

    def exact_search_q(self, search_term: str) -> Q | None:
        term = search_term.strip()
        if not term or not self.exact_search_fields:
            return None
        values = sorted({term, term.upper()})
        model = self.model  # type: ignore[attr-defined]
        q = Q(pk__in=[])
        for path in self.exact_search_fields:
            relation, _sep, column = path.partition("__")
            if not column:
                q |= Q(**{f"{path}__in": values})
                continue
            related = model._meta.get_field(relation).related_model
            ids = list(
                related._default_manager.filter(**{f"{column}__in": values}).values_list(
                    "pk", flat=True
                )[:_RELATED_IDS_MAX]
            )
            if ids:
                q |= Q(**{f"{relation}__in": ids})
        return q

    def get_search_results(self, request: HttpRequest, queryset, search_term: str):
        q = self.exact_search_q(search_term)
        if q is None:
            return super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        return queryset.filter(q), False


class BigListMixin(ExactSearchMixin):
    """A list over millions of rows: capped count, no full count, exact search."""

    paginator = CappedPaginator
    show_full_result_count = False
