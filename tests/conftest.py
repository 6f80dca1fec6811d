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


# --- Privacy requests -------------------------------------------------------


@pytest.fixture
def privacy_officer(db):
    """Staff in the privacy officer role, with MFA (the admin requires it)."""
    from django.contrib.auth.models import Group, Permission

    from privacy.roles import PRIVACY_OFFICER
    from tests.factories import totp_authenticator_add

    officer = StaffFactory()
    group, _ = Group.objects.get_or_create(name=PRIVACY_OFFICER)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="privacy",
            codename__in=[
                "view_privacyrequest",
                "change_privacyrequest",
                "triage_privacyrequest",
            ],
        )
    )
    officer.groups.add(group)
    totp_authenticator_add(officer)
    return officer


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


@pytest.fixture
def member_services_agent(db):
    """Staff in the member services role, with MFA: sees a request's status, not its content."""
    from django.contrib.auth.models import Group, Permission

    from privacy.roles import MEMBER_SERVICES
    from tests.factories import totp_authenticator_add

    agent = StaffFactory()
    group, _ = Group.objects.get_or_create(name=MEMBER_SERVICES)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="privacy", codename="view_privacyrequeststatus"
        )
    )
    agent.groups.add(group)
    totp_authenticator_add(agent)
    return agent
