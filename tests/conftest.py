import pytest
from django.core.cache import cache

from tests.factories import StaffFactory, UserFactory


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
def staff_in_role(db):
    """staff_in_role(role) -> a staff member of that role whom the admin gate lets in."""
    from tests.factories import staff_admin_ready

    def make(role: str | None = None, **fields):
        return staff_admin_ready(StaffFactory(**fields), role=role)

    return make
