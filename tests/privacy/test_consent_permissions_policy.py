"""Permissions-Policy forbids geolocation until the visitor allows location (Law 25 s. 9.1)."""

import pytest

from privacy.consent.selectors import consent_allows

from .consent_support import SAME_ORIGIN, post_consent, url_in

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    return dict(
        item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(",")
    )


def test_geolocation_is_forbidden_for_an_undecided_visitor(client):
    assert policy(client.get(url_in("fr", "home")))["geolocation"] == "()"


def test_geolocation_stays_forbidden_after_refusal_or_other_categories(client):
    post_consent(client, "save", preferences=True, analytics=True)
    assert policy(client.get(url_in("fr", "home")))["geolocation"] == "()"
    post_consent(client, "refuse_all")
    assert policy(client.get(url_in("fr", "contact")))["geolocation"] == "()"


def test_geolocation_is_allowed_for_this_origin_once_location_is_allowed(client):
    post_consent(client, "save", location=True)
    response = client.get(url_in("fr", "home"))
    assert policy(response)["geolocation"] == "(self)"
    assert policy(response)["camera"] == "()"


def test_withdrawing_location_forbids_geolocation_again(client):
    post_consent(client, "accept_all")
    post_consent(client, "save", analytics=True)
    assert policy(client.get(url_in("fr", "home")))["geolocation"] == "()"


def test_views_ask_the_consent_state(rf):
    request = rf.get("/fr/")
    assert consent_allows(request=request, category="location") is False
    assert consent_allows(request=request, category="essential") is True


def test_gpc_does_not_withdraw_location(client):
    post_consent(client, "accept_all", headers={**SAME_ORIGIN, "Sec-GPC": "1"})
    response = client.get(url_in("fr", "home"), headers={"Sec-GPC": "1"})
    assert policy(response)["geolocation"] == "(self)"
