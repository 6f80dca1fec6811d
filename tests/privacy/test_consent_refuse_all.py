"""Refusing every optional cookie leaves the whole public site and sign-in working (P18)."""

import pytest
from django.test import Client

from privacy.models import ConsentRecord
from tests.factories import PASSWORD

from .consent_support import form_posting_to, post_consent, url_in

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "home",
    "contact",
    "privacy_policy",
    "cookie_policy",
    "privacy_centre",
    "policy_history",
    "account_login",
    "account_signup",
    "account_reset_password",
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_public_page_works_after_refuse_all(client, name, language):
    post_consent(client, "refuse_all", language=language)
    response = client.get(url_in(language, name))
    assert response.status_code == 200
    assert 'class="consent-banner"' not in response.content.decode()


def test_sign_in_works_after_refuse_all_with_csrf_checks_on(member):
    browser = Client(enforce_csrf_checks=True)
    html = browser.get(url_in("fr", "home")).content.decode()
    form_posting_to(html, url_in("fr", "consent_update")).submit(browser, press="refuse_all")

    login = url_in("fr", "account_login")
    page = browser.get(login)
    token = page.context["csrf_token"]
    response = browser.post(
        login,
        {"login": member.email, "password": PASSWORD, "csrfmiddlewaretoken": str(token)},
    )
    assert response.status_code == 302
    account = browser.get(url_in("fr", "account_overview"))
    assert account.status_code == 200
    assert member.email in account.content.decode()
    assert ConsentRecord.objects.get().user == member


def test_sign_up_works_after_refuse_all(client):
    post_consent(client, "refuse_all")
    response = client.post(
        url_in("fr", "account_signup"),
        {
            "email": "newcomer@example.org",
            "password1": "a-long-enough-passphrase",
            "password2": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302


def test_signed_in_pages_work_after_refuse_all(client, member):
    client.force_login(member)
    post_consent(client, "refuse_all")
    for name in ("account_overview", "privacy_centre", "account_email"):
        assert client.get(url_in("en", name)).status_code == 200
