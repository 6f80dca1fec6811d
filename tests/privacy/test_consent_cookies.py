"""No non-essential cookie reaches a visitor who refused or has not chosen (P17, P18)."""

import pytest
from django.test import override_settings
from django.utils import translation

from aseq_portal.typography import typeset
from privacy.consent.cookies import ConsentCategory, cookie_category, cookie_declarations

from .consent_support import SAME_ORIGIN, post_consent, url_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.privacy.consent_urls")]

OPTIONAL = ("test_preferences", "test_analytics", "test_location")
SET_COOKIES = "/test-only/set-cookies/"


def set_cookie_names(response) -> set[str]:
    return {name for name, morsel in response.cookies.items() if morsel.value}


def test_undecided_visitor_gets_no_optional_or_undeclared_cookie_even_httponly(
    client, optional_cookies
):
    response = client.get(SET_COOKIES)
    assert response.status_code == 200
    assert set_cookie_names(response) == {"messages"}
    header = str(response.cookies)
    for name in (*OPTIONAL, "undeclared_tracker"):
        assert name not in header


def test_visitor_who_refused_all_gets_no_optional_cookie(client, optional_cookies):
    post_consent(client, "refuse_all")
    response = client.get(SET_COOKIES)
    assert set_cookie_names(response) == {"messages"}


def test_visitor_who_accepted_all_gets_the_optional_cookies_but_never_undeclared_ones(
    client, optional_cookies
):
    post_consent(client, "accept_all")
    response = client.get(SET_COOKIES)
    assert set_cookie_names(response) == {"messages", *OPTIONAL}
    assert response.cookies["test_preferences"]["httponly"] is True


def test_each_category_lets_through_only_its_own_cookies(client, optional_cookies):
    post_consent(client, "save", location=True)
    assert set_cookie_names(client.get(SET_COOKIES)) == {"messages", "test_location"}
    post_consent(client, "save", preferences=True, analytics=True)
    assert set_cookie_names(client.get(SET_COOKIES)) == {
        "messages",
        "test_preferences",
        "test_analytics",
    }


def test_global_privacy_control_refuses_preferences_and_analytics(client, optional_cookies):
    gpc = {**SAME_ORIGIN, "Sec-GPC": "1"}
    post_consent(client, "accept_all", headers=gpc)
    response = client.get(SET_COOKIES, headers={"Sec-GPC": "1"})
    assert set_cookie_names(response) == {"messages", "test_location"}


def test_gpc_signal_overrides_an_earlier_acceptance(client, optional_cookies):
    post_consent(client, "accept_all")
    response = client.get(SET_COOKIES, headers={"Sec-GPC": "1"})
    assert set_cookie_names(response) == {"messages", "test_location"}


def test_a_forged_consent_cookie_counts_as_no_choice(client, settings, optional_cookies):
    post_consent(client, "accept_all")
    value = client.cookies[settings.PRIVACY_CONSENT_COOKIE_NAME].value
    client.cookies[settings.PRIVACY_CONSENT_COOKIE_NAME] = value[:-2] + "xx"
    assert set_cookie_names(client.get(SET_COOKIES)) == {"messages"}


def test_removing_a_refused_cookie_is_still_allowed(client, optional_cookies):
    response = client.get("/test-only/clear-cookie/")
    morsel = response.cookies["test_preferences"]
    assert morsel.value == ""
    assert str(morsel["max-age"]) == "0"


def test_withdrawal_also_deletes_optional_cookies_the_browser_holds(client, optional_cookies):
    post_consent(client, "accept_all")
    client.get(SET_COOKIES)
    assert client.cookies["test_preferences"].value == "1"
    response = post_consent(client, "refuse_all")
    assert response.cookies["test_preferences"].value == ""
    assert str(response.cookies["test_preferences"]["max-age"]) == "0"


def test_the_portals_own_cookies_are_declared_as_essential():
    for name in ("sessionid", "csrftoken", "messages", "consent"):
        assert cookie_category(name) == ConsentCategory.ESSENTIAL
    assert cookie_category("undeclared_tracker") is None


@override_settings(
    SESSION_COOKIE_NAME="__Host-sessionid",
    CSRF_COOKIE_NAME="__Host-csrftoken",
    PRIVACY_CONSENT_COOKIE_NAME="__Host-consent",
)
def test_cookie_names_follow_the_production_settings():
    for name in ("__Host-sessionid", "__Host-csrftoken", "__Host-consent"):
        assert cookie_category(name) == ConsentCategory.ESSENTIAL


@pytest.mark.parametrize("language", ["fr", "en"])
def test_cookie_page_lists_every_declared_cookie_with_purpose_and_lifetime(client, language):
    response = client.get(url_in(language, "cookie_policy"))
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override(language):
        for declaration in cookie_declarations():
            assert f"<code>{declaration.name}</code>" in html
            # The page's French typography applies (non-breaking space before ":").
            assert typeset(str(declaration.purpose), language) in html
            assert typeset(declaration.lifetime, language) in html
    assert ("Durée" if language == "fr" else "Lifetime") in html


def test_consent_cookie_is_httponly_lax_and_lives_the_configured_age(client, settings):
    response = post_consent(client, "refuse_all")
    morsel = response.cookies[settings.PRIVACY_CONSENT_COOKIE_NAME]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"
    assert morsel["path"] == "/"
    assert int(morsel["max-age"]) == settings.PRIVACY_CONSENT_COOKIE_AGE
