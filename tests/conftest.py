import pytest
from django.core.cache import cache

from tests.factories import StaffFactory, UserFactory


def pytest_ignore_collect(collection_path, config):
    """make test (-m "not e2e") does not even import the browser journeys.

    They need the e2e extras (Playwright, axe) and a browser; make e2e runs them.
    """
    if collection_path.name == "e2e" and "not e2e" in (config.getoption("markexpr") or ""):
        return True
    return None


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and locks live in the cache: no test inherits another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def other_member(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()
