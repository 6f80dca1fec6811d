import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from tests import dbroles
from tests.factories import MemberFactory, StaffFactory, UserFactory


def pytest_ignore_collect(collection_path, config):
    """make test (-m "not e2e") does not even import the browser journeys.

    They need the e2e extras (Playwright, axe) and a browser; make e2e runs them.
    """
    if collection_path.name == "e2e" and "not e2e" in (config.getoption("markexpr") or ""):
        return True
    return None


DATABASES_OF_A_TEST = ("default", "keystore")


def pytest_collection_modifyitems(items):
    """Every test that touches the database touches the key store too (privacy/keystore).

    Saving a member seals their values under a data key held in the second database:
    without this, pytest-django would only set up and allow ``default``.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        if marker is not None:
            if marker.kwargs.get("databases") is None:
                item.add_marker(
                    pytest.mark.django_db(
                        *marker.args, **{**marker.kwargs, "databases": DATABASES_OF_A_TEST}
                    ),
                    append=False,  # the closest marker wins: put this one first
                )
        elif {"db", "transactional_db", "live_server"} & set(fixtures):
            item.add_marker(pytest.mark.django_db(databases=DATABASES_OF_A_TEST))


@pytest.fixture(autouse=True)
def _fresh_keystore_cache():
    """Opened data keys are per process: no test reads a key another test rolled back."""
    from privacy.keystore.api import keystore_cache_clear

    keystore_cache_clear()
    yield
    keystore_cache_clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL with DATABASE_APP_USER, the suite runs as the application role.

    See tests/dbroles.py: the owner creates and migrates, the app role runs the tests.
    """
    if not dbroles.APP_ROLE or connection.vendor != "postgresql":
        yield
        return
    with django_db_blocker.unblock():
        dbroles.suite_as_app_role_start()
    yield
    with django_db_blocker.unblock():
        dbroles.suite_as_app_role_stop()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits and locks live in the cache: no test inherits another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _own_audit_anchors(tmp_path_factory):
    """Signed audit anchors outlive a rolled-back test: each test gets its own directory."""
    directory = tmp_path_factory.getbasetemp() / "audit-anchors" / uuid.uuid4().hex
    with override_settings(AUDIT_ANCHOR_DIR=str(directory)):
        yield


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
    """Staff in the privacy officer role, let in by the admin gate (MFA, agreement)."""
    from privacy.roles import PRIVACY_OFFICER
    from tests.factories import staff_admin_ready

    return staff_admin_ready(StaffFactory(), role=PRIVACY_OFFICER)


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


# --- Coverage ----------------------------------------------------------------
# ``coverage_member``: the record claimed by the ``member`` account, on a plan whose
# change-of-coverage window is open today; ``other_coverage_member``
# is ``other_member``'s, with a covered spouse.
from datetime import date  # noqa: E402

from django.utils import timezone  # noqa: E402


@pytest.fixture
def association(db):
    from tests.factories import AssociationFactory

    return AssociationFactory(
        short_code="FAECUM", slug="udem-faecum", name_fr="FAÉCUM", name_en="FAECUM"
    )


@pytest.fixture
def plan(association):
    from coverage import rules
    from coverage.demo import plan_seed, window_open_around

    today = timezone.localdate()
    window = window_open_around(today, before_days=5, after_days=10)
    return plan_seed(
        association=association, policy_year=rules.policy_year_of(today), windows=window
    )


@pytest.fixture
def coverage_member(member, plan):
    from coverage.demo import enrolment_seed
    from tests.factories import MemberFactory

    record = MemberFactory(
        association=plan.association,
        user=member,
        first_name="Camille",
        last_name="Tremblay",
        date_of_birth=date(2003, 4, 5),
    )
    enrolment_seed(member=record, plan=plan)
    return record


@pytest.fixture
def other_coverage_member(other_member, plan):
    from coverage.demo import enrolment_seed
    from tests.factories import DependantFactory, MemberFactory

    record = MemberFactory(association=plan.association, user=other_member)
    spouse = DependantFactory(member=record, relationship="spouse")
    enrolment_seed(member=record, plan=plan, dependants=[spouse])
    return record


@pytest.fixture
def member_services_agent(db):
    """Staff in the member services role: sees a request's status, not its content."""
    from privacy.roles import MEMBER_SERVICES
    from tests.factories import staff_admin_ready

    return staff_admin_ready(StaffFactory(), role=MEMBER_SERVICES)
