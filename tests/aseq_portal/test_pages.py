"""Every page in both languages, per-host brands, and cookie-free reading."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "home",
    "contact",
    "privacy_policy",
    "account_login",
    "account_signup",
    "account_reset_password",
]
SIGNED_IN_PAGES = [
    "account_overview",
    "account_email",
    "account_change_password",
    "mfa_index",
    "usersessions_list",
]
READING_PAGES = ["home", "contact", "privacy_policy"]


def url_in(language: str, name: str) -> str:
    with translation.override(language):
        return reverse(name)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
@pytest.mark.parametrize(
    ("language", "footer_link"), [("fr", "Nous joindre"), ("en", "Contact us")]
)
def test_every_public_page_is_served_in_both_languages(client, name, language, footer_link):
    url = url_in(language, name)
    assert url.startswith(f"/{language}/")
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert footer_link in html


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
@pytest.mark.parametrize(("language", "nav_text"), [("fr", "Se déconnecter"), ("en", "Sign out")])
def test_every_signed_in_page_is_served_in_both_languages(client, member, name, language, nav_text):
    client.force_login(member)
    response = client.get(url_in(language, name))
    assert response.status_code == 200
    assert nav_text in response.content.decode()


def test_urls_are_translated():
    assert url_in("fr", "privacy_policy") == "/fr/politique-de-confidentialite/"
    assert url_in("en", "privacy_policy") == "/en/privacy-policy/"
    assert url_in("en", "contact") == "/en/contact/"


def test_language_switch_links_to_the_same_page_in_the_other_language(client):
    html = client.get("/fr/politique-de-confidentialite/").content.decode()
    assert 'href="/en/privacy-policy/"' in html


def test_language_switch_keeps_the_query_and_follows_each_page(client):
    html = client.get("/fr/regimes/?ecole=udem").content.decode()
    assert 'href="/en/plans/?ecole=udem"' in html
    html = client.get("/en/privacy-policy/").content.decode()
    assert 'href="/fr/politique-de-confidentialite/"' in html
    # A path that resolves to no page is linked as it is, query included.
    html = client.get("/fr/no-such-page/?x=1").content.decode()
    assert 'href="/fr/no-such-page/?x=1" hreflang="en"' in html


@pytest.mark.parametrize(
    ("host", "location", "brand"),
    [("mobile.aseq.ca", "/fr/", "ASEQ"), ("mobile.studentcare.ca", "/en/", "Studentcare")],
)
def test_each_host_name_has_its_own_brand_and_default_language(client, host, location, brand):
    response = client.get("/", headers={"host": host})
    assert response.status_code == 302
    assert response["Location"] == location
    page = client.get(location, headers={"host": host}).content.decode()
    assert f'class="brand" href="{location}">{brand}</a>' in page


@pytest.mark.parametrize("name", READING_PAGES)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_anonymous_reading_pages_set_no_cookie(client, name, language):
    response = client.get(url_in(language, name))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


def test_service_centre_contact_page_shows_phone_and_status(client):
    html = client.get("/en/contact/").content.decode()
    assert "1 866 416-8708" in html
    assert re.search(r"(Open|Closed) right now\.", html)


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(("path", "switch"), [("/fr/", ">English</a>"), ("/en/", ">Français</a>")])
def test_language_switch_names_each_language_in_itself(client, path, switch):
    assert switch in client.get(path).content.decode()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_without_javascript_the_sign_in_page_has_no_dead_passkey_button(client, language):
    """The passkey button is revealed by static/js/portal.js; the served page hides it and
    says nothing about JavaScript (nor in English on a French page)."""
    html = client.get(url_in(language, "account_login")).content.decode()
    button = re.search(
        r'<div class="passkey-login" data-passkey hidden>\s*<hr>\s*<button[^>]*'
        r'id="passkey_login"',
        html,
    )
    assert button, "the passkey button is not hidden by default"
    assert html.count('id="passkey_login"') == 1
    assert "<noscript" not in html
    assert "JavaScript" not in html
    script = (settings_static_root() / "js" / "portal.js").read_text()
    assert "[data-passkey]" in script and "PublicKeyCredential" in script


@pytest.mark.parametrize(
    ("language", "notice"),
    [("fr", "Cette fonction a besoin de JavaScript"), ("en", "This needs JavaScript")],
)
def test_a_passkey_page_says_in_its_language_that_it_needs_javascript(
    client, member, language, notice
):
    from tests.privacy.test_requests_views import sign_in

    sign_in(client, member, mfa_ago=0)
    html = client.get(url_in(language, "mfa_add_webauthn"), follow=True).content.decode()
    assert notice in html
    assert "This functionality requires JavaScript." not in html
    # At the top of the content, where a reader starts; not after the footer.
    main = html[html.index('<main id="main"') : html.index("</main>")]
    assert notice in main
    assert main.index(notice) < main.index("<h1")
    # The passkey's name field is labelled in the page's language (allauth gives it none).
    label = {"fr": "Nom de la clé", "en": "Key name"}[language]
    assert f'<label for="id_name">{label}' in main


def settings_static_root():
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / "static"
