"""One keyset batch walker: a queryset taken in bounded windows, resumable from a cursor.

The retention purge, key rotation and the blind-index reindex all work through a
table a bounded batch at a time, each batch in its own transaction. They walk it the
same way, here:

    for window in keyset_windows(rows, size=1000):
        with transaction.atomic():
            act_on(rows.filter(window.q))      # or any queryset of the same model
        save_somewhere(window.last)           # resume later with after=window.last

- Order is a *key* of columns ending with the primary key (``("pk",)`` by default;
  the purge walks ``(start date, pk)``), so it is total and stable.
- Each window's upper bound is the ``size``-th row after the cursor, found by one
  query (``ORDER BY key LIMIT 1 OFFSET size-1``) that an index on the key serves;
  the window itself is a range ``after < key <= last``. Rows are never loaded to
  find the bound, and no window rescans rows that earlier ones removed.
- The last window has ``last = None``: it is open-ended (fewer than ``size`` rows
  were left when its bound was looked for). The walk stops after yielding it.
- Resumable: pass a window's ``last`` as ``after`` to start behind it (a pause, a
  crash, the next run).

The bound is looked for on ``rows`` (the walk's scope); ``window.q`` can then filter
another queryset of the same model (the purge walks every row in scope but acts on
the rows not under a hold). The caller decides transactions, locking and when to stop:
the walker only says where each window ends.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Window:
    """Rows with ``after < key <= last`` (either end open when None)."""

    key: tuple[str, ...]
    after: Key | None
    last: Key | None

    @property
    def q(self) -> Q:
        lower = keyset_q(self.key, self.after, ">") if self.after is not None else Q()
        return lower & keyset_q(self.key, self.last, "<=") if self.last is not None else lower

    @property
    def is_last(self) -> bool:
        return self.last is None


def keyset_windows(
    rows: models.QuerySet,
    *,
    size: int,
    key: Sequence[str] = ("pk",),
    after: Key | None = None,
) -> Iterator[Window]:
    """Yield the windows of ``rows`` in ``key`` order, ``size`` rows each, from ``after``.

    The bound of each window is looked for when the window is asked for, after the
    caller has dealt with the one before (so rows it removed are not counted).
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    key = tuple(key)
    while True:
        lower = keyset_q(key, after, ">") if after is not None else Q()
        last = next(
            iter(rows.filter(lower).order_by(*key).values_list(*key)[size - 1 : size]), None
        )
        yield Window(key=key, after=after, last=last)
        if last is None:
            return
        after = last


def keyset_q(key: Sequence[str], value: Key, side: str) -> Q:
    """Rows after (``>``) or up to (``<=``) ``value`` in ``key`` order.

    Written so the first column alone narrows the range (``a >= x AND (a > x OR ...)``):
    an index whose first column is the key's first serves it.
    """
    if side not in (">", "<="):
        raise ValueError(f"side must be '>' or '<=', not {side!r}")
    first, *rest = key
    head, *tail = value
    if side == ">":
        if not rest:
            return Q(**{f"{first}__gt": head})
        return Q(**{f"{first}__gte": head}) & (
            Q(**{f"{first}__gt": head}) | keyset_q(rest, tuple(tail), side)
        )
    if not rest:
        return Q(**{f"{first}__lte": head})
    return Q(**{f"{first}__lte": head}) & (
        Q(**{f"{first}__lt": head}) | keyset_q(rest, tuple(tail), side)
    )
