"""Every signed-in request reads the account again: what changes elsewhere shows at once.

The account, its member record and association are loaded by one statement
compiled once per process (members.selectors.user_for_session), which is also
the persistent connection's health check. Nothing about the account is kept
between requests, so each change below is noticed on the very next request.
With DATABASE_URL and REDIS_URL set, this runs on PostgreSQL with sessions in
Redis written through to the database, as in production.
"""

import os

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from members.models import Member, User
from tests.factories import PASSWORD, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/fr/compte/login/"
PAGE = "/fr/couverture/"
ACCOUNT = "/fr/mon-compte/"


@pytest.fixture(autouse=True)
def _sessions_as_in_production():
    """Redis cache and cached_db sessions when a Redis server is configured."""
    url = os.environ.get("REDIS_URL")
    if not url:
        yield
        return
    from django.core.cache import caches

    redis_cache = {
        "BACKEND": "aseq_portal.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "tests-authentication-read",
    }
    with override_settings(
        CACHES={
            "default": redis_cache,
            "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        },
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
    ):
        caches["default"].clear()
        yield
        caches["default"].clear()


@pytest.fixture
def signed_in(client):
    """A member signed in through the real sign-in form, their summary shown once."""
    record = MemberFactory(user=UserFactory())
    response = client.post(LOGIN, {"login": record.user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(PAGE).status_code == 200
    return record


def signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_password_changed_elsewhere_signs_the_session_out_at_once(client, signed_in):
    # Straight in the table, as a reset by another process or an operator would:
    # no signal, no cache to forget.
    User.objects.filter(pk=signed_in.user.pk).update(password=make_password("a-new-one-2026"))
    assert signed_out(client.get(PAGE))


def test_a_deactivated_account_is_signed_out_at_once(client, signed_in):
    User.objects.filter(pk=signed_in.user.pk).update(is_active=False)
    assert signed_out(client.get(PAGE))


def test_an_unlinked_member_record_shows_at_once(client, signed_in):
    Member.objects.filter(pk=signed_in.pk).update(user=None, claimed_at=None)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/fr/mon-compte/rattacher-mon-dossier/"


def test_a_record_linked_to_the_account_instead_shows_at_once(client, signed_in):
    other = MemberFactory(first_name="Dominique")
    Member.objects.filter(pk=signed_in.pk).update(user=None, claimed_at=None)
    Member.objects.filter(pk=other.pk).update(user=signed_in.user, claimed_at=timezone.now())
    response = client.get(ACCOUNT)
    assert response.status_code == 200
    assert "Bonjour Dominique." in response.content.decode()


def test_a_session_ended_from_another_device_is_signed_out_at_once(client, signed_in):
    # The member's list of active sessions ("sign out this device"), from elsewhere.
    (session,) = UserSession.objects.filter(user=signed_in.user)
    session.end()
    assert signed_out(client.get(PAGE))


def test_the_account_is_read_again_on_every_request(client, signed_in):
    with CaptureQueriesContext(connection) as first:
        assert client.get(ACCOUNT).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(ACCOUNT).status_code == 200
    for queries in (first, second):
        reads = [q["sql"] for q in queries.captured_queries if 'FROM "members_user"' in q["sql"]]
        assert len(reads) == 1
        assert '"members_member"' in reads[0]
        assert '"members_association"' in reads[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a server-side disconnect")
def test_the_account_read_stands_in_for_the_health_check_and_reconnects():
    """A persistent connection the server dropped between requests is replaced, as
    Django's SELECT 1 check would replace it, without running that check first."""
    from members.selectors import user_for_session

    record = MemberFactory(user=UserFactory())
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:  # as an administrator or a failover would: end this backend
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    # The start of the next request: a check is due on this persistent connection.
    connection.health_check_enabled, connection.health_check_done = True, False
    try:
        user = user_for_session(user_id=record.user.pk)
    finally:
        connection.health_check_enabled = False
    assert user == record.user
    assert user.member == record
    assert connection.connection.info.backend_pid != pid


def test_sign_in_finds_the_account_whatever_the_case_of_the_address(client):
    user = UserFactory(email="camille.banc@example.org")
    response = client.post(LOGIN, {"login": "Camille.BANC@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get_by_natural_key("CAMILLE.banc@EXAMPLE.ORG") == user


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_sign_in_looks_the_address_up_through_the_unique_index():
    """On the plan's 300,000 accounts a scan costs 50-125 ms of every sign-in."""
    user = UserFactory(email="camille.banc@example.org")
    with CaptureQueriesContext(connection) as queries:
        assert User.objects.get_by_natural_key("Camille.Banc@example.org") == user
    (lookup,) = [q["sql"] for q in queries.captured_queries]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table is scanned anyway
        cursor.execute(f"EXPLAIN {lookup}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "members_user_email_ci_unique" in plan, plan


def test_the_policy_notice_comes_with_the_account_read_not_from_the_cache(client, signed_in):
    """A version published by another process shows on the next page, whatever the cache
    holds: the versions in force are read in the statement that loads the account."""
    from django.core.cache import cache

    from privacy.consent.selectors import CURRENT_VERSIONS_CACHE_KEY
    from privacy.consent.services import policy_publish
    from privacy.models import PolicyKind

    policy_publish(
        kind=PolicyKind.PRIVACY,
        text_fr="# Politique de confidentialité\n\nTexte révisé.",
        text_en="# Privacy Policy\n\nRevised text.",
        changes_fr="Nouvelle section sur la localisation.",
        changes_en="New section on location.",
    )
    cache.set(CURRENT_VERSIONS_CACHE_KEY, (1, 1), 300)  # what another process cached earlier
    with CaptureQueriesContext(connection) as queries:
        html = client.get(ACCOUNT).content.decode()
    assert 'class="policy-notice"' in html
    assert "Nouvelle section sur la localisation." in html
    account_reads = [q for q in queries.captured_queries if 'FROM "members_user"' in q["sql"]]
    assert len(account_reads) == 1
