"""The sealed cache keeps personal data encrypted outside the process, bound to its key."""

import base64

import pytest
from django.core.cache import cache

from privacy.crypto import unseal
from privacy.sealed_cache import sealed_cache_delete, sealed_cache_get, sealed_cache_set

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
PAGE = b"Camille Tremblay, 514 555-0123"


def test_a_value_is_kept_sealed_and_opens_under_its_own_key():
    sealed_cache_set("summary:1:fr", PAGE, timeout=60)
    stored = cache.get("summary:1:fr")
    assert isinstance(stored, str)
    assert stored.startswith("v1:test1:")
    assert b"Camille" not in stored.encode()
    # Bound to its cache key by the associated data, under a prefix of its own.
    assert unseal(stored, aad=b"privacy.sealed_cache\x1fsummary:1:fr") == PAGE
    assert sealed_cache_get("summary:1:fr") == PAGE


def test_a_value_moved_to_another_key_is_a_miss():
    sealed_cache_set("summary:1:fr", PAGE, timeout=60)
    cache.set("summary:2:fr", cache.get("summary:1:fr"))
    assert sealed_cache_get("summary:2:fr") is None


@pytest.mark.parametrize("stored", [None, b"bytes", 7, "not a token", "v1:test1:AAAA"])
def test_anything_but_a_token_that_opens_is_a_miss(stored):
    if stored is not None:
        cache.set("summary:1:fr", stored)
    assert sealed_cache_get("summary:1:fr") is None


def test_a_value_sealed_with_a_retired_key_is_a_miss(settings):
    settings.PRIVACY_ENCRYPTION_KEYS = f"old:{KEY_A}"
    sealed_cache_set("summary:1:fr", PAGE, timeout=60)
    settings.PRIVACY_ENCRYPTION_KEYS = f"new:{KEY_B}"
    assert sealed_cache_get("summary:1:fr") is None


def test_the_timeout_is_the_one_given(monkeypatch):
    calls = []
    monkeypatch.setattr(cache, "set", lambda key, value, timeout: calls.append((key, timeout)))
    sealed_cache_set("summary:1:fr", PAGE, timeout=90)
    assert calls == [("summary:1:fr", 90)]


def test_delete_forgets_every_key_named():
    for key in ("a", "b", "c"):
        sealed_cache_set(key, PAGE, timeout=60)
    sealed_cache_delete("a", "b")
    assert (sealed_cache_get("a"), sealed_cache_get("b")) == (None, None)
    assert sealed_cache_get("c") == PAGE
