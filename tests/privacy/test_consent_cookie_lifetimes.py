"""The cookie page against an oracle of its own: what a visitor must read, written here.

The page renders the cookie declarations; a test comparing it with those same
declarations passes whatever they say (a lifetime 24 times too long included).
These tests write down, in both languages, the category and lifetime each of
the portal's cookies must show, for the settings in force and for others.
"""

import html
import re

import pytest
from django.test import override_settings

from .consent_support import post_consent, url_in

pytestmark = pytest.mark.django_db

ENTRY = re.compile(
    r'<h3 id="category-(?P<category>[a-z]+)">|'
    r'<div class="cookie-entry">\s*<dt><code>(?P<name>[^<]+)</code></dt>\s*'
    r"<dd>[^<]*</dd>\s*<dd>(?P<lifetime>[^<]+)</dd>"
)


def cookie_page(client, language: str) -> dict[str, tuple[str, str]]:
    """{cookie name: (category, lifetime line)} as the page shows them."""
    response = client.get(url_in(language, "cookie_policy"))
    assert response.status_code == 200
    shown, category = {}, None
    for match in ENTRY.finditer(response.content.decode()):
        if match["category"]:
            category = match["category"]
            continue
        lifetime = re.sub(r"\s+", " ", html.unescape(match["lifetime"]).replace("\u202f", " "))
        shown[match["name"]] = (category, lifetime.strip())
    return shown


FR_CLOSE, EN_CLOSE = (
    "Durée : jusqu’à la fermeture du navigateur",
    "Lifetime: until the browser is closed",
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            {
                "sessionid": ("essential", FR_CLOSE),
                # Django's default CSRF_COOKIE_AGE: 52 weeks.
                "csrftoken": ("essential", "Durée : 364 jours"),
                "messages": ("essential", FR_CLOSE),
                "consent": ("essential", "Durée : 180 jours"),
                # members.signin: keeps sign-in open to its member's devices.
                "known_device": ("essential", "Durée : 180 jours"),
            },
        ),
        (
            "en",
            {
                "sessionid": ("essential", EN_CLOSE),
                "csrftoken": ("essential", "Lifetime: 364 days"),
                "messages": ("essential", EN_CLOSE),
                "consent": ("essential", "Lifetime: 180 days"),
                "known_device": ("essential", "Lifetime: 180 days"),
            },
        ),
    ],
)
def test_the_cookie_page_shows_each_cookies_category_and_lifetime(client, language, expected):
    assert cookie_page(client, language) == expected


@override_settings(
    SESSION_EXPIRE_AT_BROWSER_CLOSE=False,
    SESSION_COOKIE_AGE=14 * 86400,
    CSRF_COOKIE_AGE=None,
    PRIVACY_CONSENT_COOKIE_AGE=86400,
)
def test_the_lifetimes_follow_the_settings_in_days_and_in_both_languages(client):
    assert cookie_page(client, "fr") == {
        "sessionid": ("essential", "Durée : 14 jours"),
        "csrftoken": ("essential", FR_CLOSE),
        "messages": ("essential", FR_CLOSE),
        "consent": ("essential", "Durée : 1 jour"),
        "known_device": ("essential", "Durée : 180 jours"),
    }
    assert cookie_page(client, "en")["consent"] == ("essential", "Lifetime: 1 day")
    assert cookie_page(client, "en")["sessionid"] == ("essential", "Lifetime: 14 days")


@pytest.mark.parametrize(
    ("seconds", "fr", "en"),
    [
        (60, "1 jour", "1 day"),  # never "0 days"
        (int(1.4 * 86400), "1 jour", "1 day"),
        (int(1.6 * 86400), "2 jours", "2 days"),
        (30 * 86400 - 3600, "30 jours", "30 days"),
        (400 * 86400, "400 jours", "400 days"),
    ],
)
def test_a_lifetime_is_rounded_to_whole_days(client, settings, seconds, fr, en):
    settings.PRIVACY_CONSENT_COOKIE_AGE = seconds
    assert cookie_page(client, "fr")["consent"] == ("essential", f"Durée : {fr}")
    assert cookie_page(client, "en")["consent"] == ("essential", f"Lifetime: {en}")


@override_settings(PRIVACY_CONSENT_COOKIE_NAME="__Host-consent", CSRF_COOKIE_NAME="__Host-csrf")
def test_the_page_names_the_cookies_as_the_production_settings_name_them(client):
    assert set(cookie_page(client, "fr")) == {
        "sessionid",
        "__Host-csrf",
        "messages",
        "__Host-consent",
        "known_device",
    }


def test_the_consent_cookie_lives_what_the_page_says(client, settings):
    response = post_consent(client, "refuse_all")
    assert int(response.cookies[settings.PRIVACY_CONSENT_COOKIE_NAME]["max-age"]) == 180 * 86400


def test_optional_cookies_are_listed_under_their_own_category(client, optional_cookies):
    shown = cookie_page(client, "fr")
    assert shown["test_preferences"][0] == "preferences"
    assert shown["test_analytics"][0] == "analytics"
    assert shown["test_location"][0] == "location"
    assert shown["consent"][0] == "essential"


def test_half_days_round_to_the_nearest_day(client, settings):
    settings.PRIVACY_CONSENT_COOKIE_AGE = 36 * 3600  # a day and a half: two days
    assert cookie_page(client, "fr")["consent"] == ("essential", "Durée : 2 jours")


def test_another_app_declares_a_cookie_with_its_own_words_and_withdraws_it(client):
    from privacy.consent.cookies import ConsentCategory, cookie_declare, cookie_undeclare

    cookie_declare(
        "visits",
        name="visits",
        category=ConsentCategory.ANALYTICS,
        purpose="Compter les visites par jour.",
        lifetime="30 jours",
    )
    try:
        page = client.get(url_in("fr", "cookie_policy")).content.decode()
        assert "Compter les visites par jour." in page
        assert cookie_page(client, "fr")["visits"] == ("analytics", "Durée : 30 jours")
    finally:
        cookie_undeclare("visits")
    assert "visits" not in cookie_page(client, "fr")
    cookie_undeclare("never-declared")  # nothing to withdraw: no error
