import pytest
from django.core.cache import cache

from tests.factories import MemberFactory, StaffFactory, UserFactory


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


@pytest.fixture
def member_record(member):
    """The plan's record of ``member`` (claimed)."""
    return MemberFactory(user=member)


@pytest.fixture
def other_member_record(other_member):
    return MemberFactory(user=other_member)


@pytest.fixture
def staff_in_role(db):
    """staff_in_role(role) -> a staff member of that role whom the admin gate lets in."""
    from tests.factories import staff_admin_ready

    def make(role: str | None = None, **fields):
        return staff_admin_ready(StaffFactory(**fields), role=role)

    return make


# --- Consent layer -----------------------------------------------------------------
@pytest.fixture
def optional_cookies():
    """Declare one test cookie per optional category (the portal sets none of its own yet)."""
    from privacy.consent.cookies import ConsentCategory, cookie_declare, cookie_undeclare

    declared = {
        "test_preferences": ConsentCategory.PREFERENCES,
        "test_analytics": ConsentCategory.ANALYTICS,
        "test_location": ConsentCategory.LOCATION,
    }
    for name, category in declared.items():
        cookie_declare(name, name=name, category=category, purpose="test", lifetime="test")
    yield declared
    for name in declared:
        cookie_undeclare(name)
