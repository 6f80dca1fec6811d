"""The Redis cache keeps one client per connection pool and behaves as Django's."""

import os
import uuid

import pytest

from aseq_portal.cache import RedisCache

needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")


@needs_redis
def test_one_client_serves_every_call():
    backend = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    client = backend._cache.get_client()
    assert backend._cache.get_client(write=True) is client
    assert backend._cache.get_client("any-key") is client


@needs_redis
def test_the_cache_still_stores_reads_and_forgets():
    backend = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    try:
        backend.set("a", {"x": 1}, 30)
        assert backend.add("b", 2, 30)
        assert not backend.add("b", 3, 30)
        assert backend.get_many(["a", "b", "c"]) == {"a": {"x": 1}, "b": 2}
        assert backend.incr("b") == 3
        backend.delete("a")
        assert backend.get("a") is None
    finally:
        backend.delete_many(["a", "b"])
