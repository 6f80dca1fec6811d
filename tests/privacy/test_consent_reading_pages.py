"""No cookie for the curious: anonymous reading pages send no Set-Cookie (P18)."""

import pytest
from django.test import Client

from .consent_support import post_consent, url_in

pytestmark = pytest.mark.django_db

READING_PAGES = [
    ("home", {}),
    ("contact", {}),
    ("privacy_policy", {}),
    ("cookie_policy", {}),
    ("privacy_centre", {}),
    ("policy_history", {}),
    ("policy_version", {"kind": "privacy-policy", "version": 1}),
    ("policy_version", {"kind": "cookie-policy", "version": 1}),
]
FORM_PAGES = ["account_login", "account_signup", "account_reset_password"]


def page_id(value):
    return value if isinstance(value, str) else "-".join(str(v) for v in value.values()) or "-"


@pytest.mark.parametrize(("name", "kwargs"), READING_PAGES, ids=page_id)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_anonymous_reading_pages_send_no_set_cookie(client, name, kwargs, language):
    response = client.get(url_in(language, name, **kwargs))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies


@pytest.mark.parametrize(("name", "kwargs"), READING_PAGES, ids=page_id)
@pytest.mark.parametrize("action", ["accept_all", "refuse_all"])
def test_reading_pages_send_no_set_cookie_after_a_choice_either(client, name, kwargs, action):
    post_consent(client, action)
    response = client.get(url_in("fr", name, **kwargs))
    assert response.status_code == 200
    assert not response.cookies


@pytest.mark.parametrize(("name", "kwargs"), READING_PAGES, ids=page_id)
def test_reading_pages_set_no_cookie_with_gpc(name, kwargs):
    response = Client(headers={"Sec-GPC": "1"}).get(url_in("en", name, **kwargs))
    assert not response.cookies


@pytest.mark.parametrize("name", FORM_PAGES)
def test_only_form_pages_set_a_cookie_and_it_is_the_essential_csrf_cookie(client, settings, name):
    response = client.get(url_in("fr", name))
    assert response.status_code == 200
    assert set(response.cookies) <= {settings.CSRF_COOKIE_NAME}


def test_reading_pages_vary_on_cookie_and_gpc_so_shared_caches_keep_them_apart(client):
    response = client.get(url_in("fr", "home"))
    vary = {v.strip().lower() for v in response.headers["Vary"].split(",")}
    assert {"cookie", "sec-gpc"} <= vary


def test_the_consent_layer_costs_an_anonymous_reader_no_query(client, django_assert_num_queries):
    url = url_in("fr", "contact")
    client.get(url)  # the page's person in charge (staff side) is now cached
    with django_assert_num_queries(0):
        client.get(url)
    post_consent(client, "save", location=True)
    client.get(url)  # the policy versions in force are now cached
    with django_assert_num_queries(0):
        client.get(url)


def test_analytics_costs_one_update_per_counted_page(client, django_assert_num_queries):
    post_consent(client, "save", analytics=True)
    url = url_in("fr", "contact")
    client.get(url)
    with django_assert_num_queries(1):
        client.get(url)
