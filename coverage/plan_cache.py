"""The published plans (plans, categories, benefits, combined maxima), cached.

Every coverage page reads its member's plan and the plan's benefits: public,
non-personal rows that change a few times a year. They are kept in the cache
(Redis in production) under a *generation*: any save or delete of a plan row, or
of an association, starts a new generation, so the next read goes back to the
database. The generation changes at once and again when the transaction commits,
so a page read between the two cannot keep the old rows. Nothing personal is
ever cached here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar, cast

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "coverage:plans:generation"
# A safety net only: writes through the ORM start a new generation at once.
CACHE_SECONDS = 600
_NONE = "none"

T = TypeVar("T")


def _generation(current: str | None) -> str:
    if current is not None:
        return current
    cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    return cache.get(GENERATION_KEY) or ""


def plan_cached(key: str, compute: Callable[[], T]) -> T:
    """``compute()``, or what it returned under the current generation of plans."""
    return plan_cached_with_generation(key, compute)[1]


def plan_cached_with_generation(key: str, compute: Callable[[], T]) -> tuple[str, T]:
    """(the current generation, ``plan_cached(key, compute)``) in one read of the cache.

    The generation changes whenever a plan row does: a digest of what a page
    shows can include it instead of the plan rows themselves.
    """
    key = f"coverage:plans:{key}"
    found = cache.get_many([GENERATION_KEY, key])
    generation = _generation(found.get(GENERATION_KEY))
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return generation, cast(T, None if stored[1] == _NONE else stored[1])
    value = compute()
    cache.set(key, (generation, _NONE if value is None else value), CACHE_SECONDS)
    return generation, value


def plans_changed(**kwargs) -> None:
    """A plan row changed: forget every cached plan, now and once committed."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    transaction.on_commit(
        lambda: cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None),
        robust=True,
    )


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from members.models import Association

    from .models import Benefit, BenefitCategory, CombinedMaximum, Plan

    for model in (Plan, BenefitCategory, CombinedMaximum, Benefit, Association):
        uid = f"coverage.plan_cache.{model._meta.label_lower}"
        post_save.connect(plans_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(plans_changed, sender=model, dispatch_uid=f"{uid}.delete")
