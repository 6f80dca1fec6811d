"""Active sessions (last seen, network, device): written at most once a minute per session."""

import time

import pytest
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.middleware import SESSION_ACTIVITY_KEY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/fr/compte/login/"
PAGE = "/fr/mon-compte/"


def sign_in(client, user, address="203.0.113.77"):
    client.post(LOGIN, {"login": user.email, "password": PASSWORD}, REMOTE_ADDR=address)


def usersession_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "usersessions_usersession" in q["sql"]]


def test_session_activity_is_not_written_again_within_a_minute(client, member):
    sign_in(client, member)
    client.get(PAGE, REMOTE_ADDR="203.0.113.77")
    with CaptureQueriesContext(connection) as queries:
        client.get(PAGE, REMOTE_ADDR="203.0.113.77")
    assert usersession_queries(queries) == []


def test_session_activity_is_written_again_after_a_minute(client, member):
    sign_in(client, member)
    client.get(PAGE, REMOTE_ADDR="203.0.113.77")
    UserSession.objects.filter(user=member).update(last_seen_at="2000-01-01T00:00:00Z")
    session = client.session
    _written_at, client_digest = session[SESSION_ACTIVITY_KEY]
    session[SESSION_ACTIVITY_KEY] = [int(time.time()) - 61, client_digest]
    session.save()
    client.get(PAGE, REMOTE_ADDR="203.0.113.77")
    assert UserSession.objects.get(user=member).last_seen_at.year > 2000


def test_session_activity_is_written_at_once_when_the_network_changes(client, member):
    sign_in(client, member)
    client.get(PAGE, REMOTE_ADDR="203.0.113.77")
    client.get(PAGE, REMOTE_ADDR="198.51.100.20")
    assert UserSession.objects.get(user=member).ip == "198.51.100.0"


def test_session_activity_is_written_at_once_when_the_device_changes(client, member):
    sign_in(client, member)
    client.get(PAGE, REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Firefox")
    client.get(PAGE, REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Safari")
    assert UserSession.objects.get(user=member).user_agent == "Safari"


def test_session_keeps_no_address_or_device_in_clear(client, member):
    sign_in(client, member)
    client.get(PAGE, REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="Firefox")
    stored = str(dict(client.session.items()))
    assert "203.0.113" not in stored
    assert "Firefox" not in stored


def test_a_signed_in_page_writes_nothing_within_a_minute(client, member):
    """Neither the session (last seen) nor the active-sessions list is written on
    every request: a reading page runs reads only."""
    sign_in(client, member)
    client.get(PAGE, REMOTE_ADDR="203.0.113.77")
    with CaptureQueriesContext(connection) as queries:
        client.get(PAGE, REMOTE_ADDR="203.0.113.77")
        client.get(PAGE, REMOTE_ADDR="203.0.113.77")
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE", "BEGIN", "SAVEPOINT"}
    ]
    assert writes == []
