"""No client writes without bound: anonymous posts per network, a member's per account.

300 anonymous consent posts once wrote 300 rows in 23 s; one member added 97
dependants in a minute.
"""

import pytest
from django.test import Client

from privacy.models import ConsentRecord
from tests.privacy.consent_support import post_consent, url_in

pytestmark = pytest.mark.django_db


def test_anonymous_consent_posts_stop_at_the_limit_with_a_429(client, settings):
    settings.PORTAL_ANONYMOUS_WRITE_RATE_LIMIT = "5/m"
    statuses = [post_consent(client, "accept_all").status_code for _ in range(8)]
    assert statuses == [303] * 5 + [429] * 3
    assert ConsentRecord.objects.count() == 5


def test_the_default_limit_keeps_a_flood_of_consent_posts_small(client):
    """The flood of the report, with the shipped setting (60 a minute per network)."""
    statuses = [post_consent(client, "refuse_all").status_code for _ in range(100)]
    assert statuses.count(429) == 40
    assert ConsentRecord.objects.count() == 60


@pytest.mark.parametrize(
    ("language", "title", "advice"),
    [
        ("fr", "Trop de demandes", "Attendez 1 minute, puis réessayez."),
        ("en", "Too many requests", "Wait 1 minute, then try again."),
    ],
)
def test_the_429_page_speaks_the_visitors_language(client, settings, language, title, advice):
    settings.PORTAL_ANONYMOUS_WRITE_RATE_LIMIT = "1/m"
    post_consent(client, "accept_all", language=language)
    response = post_consent(client, "accept_all", language=language)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert title in page
    assert advice in page


def test_another_network_is_not_stopped_by_a_flooding_one(client, settings):
    settings.PORTAL_ANONYMOUS_WRITE_RATE_LIMIT = "2/m"
    for _ in range(3):
        post_consent(client, "accept_all")
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert post_consent(other, "accept_all").status_code == 303


@pytest.mark.parametrize("name", ["account_signup", "account_reset_password"])
def test_every_anonymous_post_counts_not_only_the_consent_form(client, settings, name):
    settings.PORTAL_ANONYMOUS_WRITE_RATE_LIMIT = "3/m"
    url = url_in("fr", name)
    statuses = [
        client.post(url, {"email": f"x{n}@example.org", "password1": "x", "password2": "x"})
        for n in range(4)
    ]
    assert [r.status_code for r in statuses][-1] == 429
    assert "Trop de demandes" in statuses[-1].content.decode()


def test_sign_in_is_left_to_its_own_per_account_limits(client, settings, member):
    """A campus signing in at 9 a.m. is not one anonymous writer."""
    from tests.factories import PASSWORD

    settings.PORTAL_ANONYMOUS_WRITE_RATE_LIMIT = "2/m"
    for _ in range(3):
        post_consent(client, "accept_all")
    response = client.post(
        url_in("fr", "account_login"), {"login": member.email, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_a_members_posts_are_bounded_per_account(client, settings, member_record):
    settings.PORTAL_MEMBER_WRITE_RATE_LIMIT = "3/m"
    client.force_login(member_record.user)
    statuses = [post_consent(client, "accept_all").status_code for _ in range(5)]
    assert statuses == [303] * 3 + [429] * 2


def test_allauths_own_429_is_our_page(client, settings):
    """allauth answers its own limits (here: password reset per address) with our page."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "1/m/ip"}
    url = url_in("en", "account_reset_password")
    client.post(url, {"email": "a@example.org"})
    response = client.post(url, {"email": "b@example.org"})
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
