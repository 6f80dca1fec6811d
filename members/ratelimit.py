"""A fixed-window counter in the shared cache (Redis in production)."""

from django.core.cache import cache


def rate_limit_hit(*, key: str, limit: int, period: int) -> bool:
    """Count one attempt under ``key``; True when it is over ``limit`` in this window."""
    cache_key = f"members:rl:{key}"
    cache.add(cache_key, 0, timeout=period)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period)
        count = 1
    return count > limit
