"""Sign-up, sign-in, MFA gate and session lifetime."""

import time

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import override_settings

from members.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from members.models import User
from tests.factories import (
    PASSWORD,
    StaffFactory,
    UserFactory,
    staff_admin_ready,
    totp_authenticator_add,
)

pytestmark = pytest.mark.django_db

LOGIN = "/fr/compte/login/"
SIGNUP = "/fr/compte/signup/"


def test_sign_up_requires_email_verification_before_sign_in(client):
    response = client.post(
        SIGNUP,
        {"email": "nouvelle@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    user = User.objects.get(email="nouvelle@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "_auth_user_id" not in client.session

    # Signing in before verifying only resends the link.
    response = client.post(LOGIN, {"login": "nouvelle@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) >= 1

    # Following the emailed link verifies the address; then sign-in works.
    link = next(word for word in mail.outbox[0].body.split() if "/confirm-email/" in word)
    path = link.split("testserver", 1)[1]
    client.post(path)
    assert EmailAddress.objects.get(user=user).verified
    response = client.post(LOGIN, {"login": "nouvelle@example.org", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_sign_in_is_by_email_and_case_insensitive(client, member):
    client.post(LOGIN, {"login": member.email.upper(), "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(member.pk)


def test_sign_in_is_rate_limited_after_repeated_failures(client, member):
    for _ in range(5):
        response = client.post(LOGIN, {"login": member.email, "password": "wrong-password"})
        assert "_auth_user_id" not in client.session
    # Even the right password is refused until the window passes.
    response = client.post(LOGIN, {"login": member.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Trop de tentatives" in response.content.decode()


def test_email_uniqueness_ignores_case(member):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(member.email.upper(), PASSWORD)


def test_staff_without_mfa_cannot_open_the_admin(client, staff):
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].endswith("/2fa/")


def test_staff_with_mfa_opens_the_admin(client, staff):
    staff_admin_ready(staff)  # MFA, and the current confidentiality agreement accepted
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_members_never_open_the_admin(client, member):
    totp_authenticator_add(member)
    client.force_login(member)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


def test_admin_login_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_member_session_ends_after_inactivity(client, member, settings):
    client.force_login(member)
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 60
    session[SESSION_SEEN_KEY] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 1
    session.save()
    response = client.get("/fr/mon-compte/")
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_session_has_an_absolute_lifetime_even_when_active(client, member, settings):
    client.force_login(member)
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - settings.SESSION_ABSOLUTE_LIFETIME - 1
    session[SESSION_SEEN_KEY] = int(time.time())
    session.save()
    assert client.get("/fr/mon-compte/").status_code == 302


@override_settings(SESSION_IDLE_TIMEOUT=3600, STAFF_SESSION_IDLE_TIMEOUT=600)
@pytest.mark.parametrize(("is_staff", "expired"), [(False, False), (True, True)])
def test_staff_sessions_expire_sooner(client, is_staff, expired):
    user = StaffFactory() if is_staff else UserFactory()
    client.force_login(user)
    session = client.session
    session[SESSION_STARTED_KEY] = int(time.time()) - 60
    session[SESSION_SEEN_KEY] = int(time.time()) - 1200
    session.save()
    client.get("/fr/mon-compte/")
    assert ("_auth_user_id" not in client.session) is expired


def test_user_sessions_keep_only_a_truncated_address(client, member):
    from allauth.usersessions.models import UserSession

    client.post(LOGIN, {"login": member.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.77")
    session = UserSession.objects.get(user=member)
    assert session.ip == "203.0.113.0"
