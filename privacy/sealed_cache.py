"""A cache for personal data: values are sealed before they leave the process.

Pages that show a member's own data may keep what they rendered in the cache
(Redis in production) to spare the work on the next visit. The cache is a copy
of personal data like any other, so it is kept encrypted like any other: each
value is sealed with the field-encryption key (AES-256-GCM), bound to its cache
key, and kept for a short time only. A value that cannot be opened (altered,
moved to another key, sealed with a retired key) is a miss, never an error: the
page is computed again.
"""

from __future__ import annotations

from django.core.cache import cache

from privacy.crypto import DecryptionError, seal, unseal

_AAD_PREFIX = b"privacy.sealed_cache\x1f"


def sealed_cache_get(key: str) -> bytes | None:
    """The bytes stored under ``key``, opened; None when absent or unreadable."""
    token = cache.get(key)
    if not isinstance(token, str):
        return None
    try:
        return unseal(token, aad=_AAD_PREFIX + key.encode())
    except DecryptionError:
        return None


def sealed_cache_set(key: str, data: bytes, *, timeout: int) -> None:
    """Keep ``data`` under ``key`` for ``timeout`` seconds, sealed."""
    cache.set(key, seal(data, aad=_AAD_PREFIX + key.encode()), timeout)


def sealed_cache_delete(*keys: str) -> None:
    cache.delete_many(keys)
