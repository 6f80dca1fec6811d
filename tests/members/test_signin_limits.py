"""Sign-in limits: brute force stays stopped, and nobody gets a button to lock a member out.

Before: five wrong passwords on a member's e-mail locked that member out for five
minutes, correct password included, and ten failures from one /24 locked out
everyone on it (a campus network).
"""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/fr/compte/login/"
HOME_NETWORK = "192.0.2.10"
ATTACKER = "203.0.113.66"
CAMPUS = "198.51.100.{}"
COOKIE = "known_device"
LOCKED = {
    "fr": "Trop de tentatives de connexion.",
    "en": "Too many sign-in attempts.",
}


def sign_in(client, user, password=PASSWORD, *, login_url=LOGIN):
    response = client.post(login_url, {"login": user.email, "password": password})
    signed_in = client.session.get("_auth_user_id") == str(user.pk)
    return signed_in, response


def known_device(user, address=HOME_NETWORK) -> Client:
    """A browser the member signed in from, then signed out of (the cookie stays)."""
    device = Client(REMOTE_ADDR=address)
    assert sign_in(device, user)[0]
    device.cookies.pop(settings.SESSION_COOKIE_NAME)
    return device


def hammer(user, *, times, address=ATTACKER, password="wrong-password-1"):  # noqa: S107
    attacker = Client(REMOTE_ADDR=address)
    for _ in range(times):
        sign_in(attacker, user, password)
    return attacker


def test_a_sign_in_leaves_a_signed_httponly_known_device_cookie(client, member):
    assert sign_in(client, member)[0]
    cookie = client.cookies[COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.MEMBERS_KNOWN_DEVICE_COOKIE_AGE
    # Signed, and naming the account by a keyed hash only.
    assert member.email not in cookie.value
    assert str(member.pk) not in cookie.value.split(":")[1]


def test_an_attacker_elsewhere_cannot_lock_out_the_members_known_device(member):
    device = known_device(member)
    hammer(member, times=60)
    signed_in, _ = sign_in(device, member)
    assert signed_in


def test_the_attacker_is_still_stopped_even_with_the_right_password(member):
    attacker = hammer(member, times=5)
    signed_in, response = sign_in(attacker, member, PASSWORD)
    assert not signed_in
    assert LOCKED["fr"] in response.content.decode()


def test_many_addresses_hit_the_accounts_ceiling(member, settings):
    """A botnet gets the per-account ceiling, not five tries per address forever."""
    settings.MEMBERS_SIGNIN_FAILURES_PER_ACCOUNT = "12/h"
    for n in range(6):
        hammer(member, times=2, address=f"203.0.{n}.1")
    fresh = Client(REMOTE_ADDR="203.0.99.1")
    assert not sign_in(fresh, member, PASSWORD)[0]


def test_a_known_device_still_gets_only_a_few_tries_of_its_own(member):
    """A thief holding the member's phone is held to the same few guesses."""
    device = known_device(member)
    for _ in range(5):
        assert not sign_in(device, member, "wrong-password-1")[0]
    assert not sign_in(device, member)[0]


def test_a_campus_network_is_not_locked_for_known_devices(member, other_member):
    """Failures from one /24 across many accounts stop strangers there, not members."""
    device = known_device(member, address=CAMPUS.format(200))
    for n in range(40):
        sign_in(Client(REMOTE_ADDR=CAMPUS.format(n)), other_member, f"guess-{n}")
    stranger = Client(REMOTE_ADDR=CAMPUS.format(77))
    assert not sign_in(stranger, other_member, PASSWORD)[0]  # stuffing is still stopped
    assert sign_in(device, member)[0]


def test_another_accounts_cookie_or_a_forged_one_is_no_known_device(member, other_member):
    attacker = known_device(other_member, address=ATTACKER)  # the attacker's own account
    for _ in range(5):
        sign_in(attacker, member, "wrong-password-1")
    assert not sign_in(attacker, member)[0]

    forged = Client(REMOTE_ADDR="203.0.114.1")
    value = attacker.cookies[COOKIE].value
    forged.cookies[COOKIE] = value.replace(value.split(":")[1][:4], "abcd", 1)
    for _ in range(5):
        sign_in(forged, member, "wrong-password-1")
    assert not sign_in(forged, member)[0]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_locked_page_says_why_in_the_members_language_and_offers_unlocking(member, language):
    with translation.override(language):
        login_url = reverse("account_login")
        unlock_url = reverse("members_signin_unlock_request")
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        sign_in(attacker, member, "wrong-password-1", login_url=login_url)
    _, response = sign_in(attacker, member, login_url=login_url)
    page = response.content.decode()
    assert LOCKED[language] in page
    assert f'href="{unlock_url}"' in page


def unlock_link() -> str:
    body = mail.outbox[-1].body
    # The mail links to the portal too (its brand, the service centre): take the unlock link.
    return re.search(
        r"https?://testserver(/[^\s\"<>]*(?:debloquer|unlock)/[^\s\"<>]+)", body
    ).group(1)


def test_a_locked_member_unlocks_by_email_once(member, settings):
    settings.MEMBERS_SIGNIN_FAILURES_PER_ACCOUNT = "10/h"
    for n in range(5):
        hammer(member, times=2, address=f"203.0.{n}.1")
    laptop = Client(REMOTE_ADDR="192.0.2.50")  # new device, never signed in here
    assert not sign_in(laptop, member)[0]

    response = laptop.post(reverse("members_signin_unlock_request"), {"email": member.email})
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    link = unlock_link()

    # Opening the link (or a mail scanner doing so) spends nothing: a button does.
    assert laptop.get(link).status_code == 200
    response = laptop.post(link)
    assert response.status_code == 302
    assert COOKIE in response.cookies
    assert sign_in(laptop, member)[0]

    # The link served once.
    again = Client(REMOTE_ADDR="192.0.2.51")
    response = again.post(link)
    assert response.status_code == 400
    assert "Ce lien ne peut plus servir" in response.content.decode()
    assert COOKIE not in response.cookies


def test_an_unlock_link_is_signed_and_expires(member, settings, client):
    assert client.post(reverse("members_signin_unlock", args=["forged:token"])).status_code == 400
    settings.MEMBERS_SIGNIN_UNLOCK_LINK_AGE = -1
    client.post(reverse("members_signin_unlock_request"), {"email": member.email})
    assert client.post(unlock_link()).status_code == 400


def test_asking_for_an_unlock_link_tells_nothing_about_the_address(client, member):
    known = client.post(reverse("members_signin_unlock_request"), {"email": member.email})
    unknown = client.post(reverse("members_signin_unlock_request"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200

    def page(response):
        return re.sub(r'nonce="[^"]*"', "", response.content.decode())  # CSP nonce differs

    assert page(known) == page(unknown)
    assert len(mail.outbox) == 1


def test_unlock_mails_to_one_account_are_few(client, member):
    for _ in range(6):
        client.post(reverse("members_signin_unlock_request"), {"email": member.email})
    assert len(mail.outbox) == 3


def test_the_known_device_cookie_is_declared_essential_and_listed(client):
    from privacy.consent.cookies import ConsentCategory, cookie_category

    assert cookie_category(COOKIE) == ConsentCategory.ESSENTIAL
    for language in ("fr", "en"):
        with translation.override(language):
            page = client.get(reverse("cookie_policy")).content.decode()
        assert f"<code>{COOKIE}</code>" in page


def test_the_consent_layer_lets_the_cookie_through_with_everything_refused(client, member):
    from tests.privacy.consent_support import post_consent

    post_consent(client, "refuse_all")
    assert sign_in(client, member)[0]
    assert COOKIE in client.cookies
