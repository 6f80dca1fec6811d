import pytest
from django.core.cache import cache

from tests.factories import MemberFactory, StaffFactory, UserFactory


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


@pytest.fixture
def member_record(member):
    """The plan's record of ``member`` (claimed)."""
    return MemberFactory(user=member)


@pytest.fixture
def other_member_record(other_member):
    return MemberFactory(user=other_member)
