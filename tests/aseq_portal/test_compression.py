"""HTML pages are gzipped with Django's BREACH padding; other bodies are left alone."""

import gzip

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_an_html_page_is_served_gzipped_to_a_browser_that_accepts_it(client):
    response = client.get("/fr/politique-de-confidentialite/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<!DOCTYPE html>" in gzip.decompress(response.content)


def test_two_gzipped_copies_of_a_page_differ_in_length_breach_padding(client):
    lengths = {
        len(client.get("/fr/contact/", HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)
    }
    assert len(lengths) > 1


def test_a_signed_in_page_is_gzipped_only_because_cookies_are_same_site(client, member):
    assert settings.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    assert settings.CSRF_COOKIE_SAMESITE in ("Lax", "Strict")
    client.force_login(member)
    response = client.get("/fr/mon-compte/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_a_non_html_body_is_never_compressed_by_the_portal(client):
    response = client.get("/healthz", HTTP_ACCEPT_ENCODING="gzip")
    assert not response.has_header("Content-Encoding")
