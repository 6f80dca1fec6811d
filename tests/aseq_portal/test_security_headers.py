import re

import pytest

pytestmark = pytest.mark.django_db


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.strip().split()
        directives[name] = values
    return directives


def test_csp_carries_a_nonce_and_never_unsafe_inline(client):
    response = client.get("/fr/")
    header = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in header
    assert "unsafe-eval" not in header
    directives = csp_directives(response)
    assert directives["default-src"] == ["'none'"]
    nonce = re.search(r"'nonce-([^']+)'", " ".join(directives["script-src"])).group(1)
    assert f'nonce="{nonce}"' in response.content.decode()
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


def test_nonce_changes_on_every_response(client):
    first = client.get("/fr/").headers["Content-Security-Policy"]
    second = client.get("/fr/").headers["Content-Security-Policy"]
    assert first != second


def test_baseline_headers_on_every_page(client):
    response = client.get("/en/contact/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_signed_in_pages_are_never_stored_by_caches(client, member):
    client.force_login(member)
    response = client.get("/fr/mon-compte/")
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]


def test_anonymous_public_pages_may_be_cached(client):
    response = client.get("/fr/")
    assert "no-store" not in response.headers.get("Cache-Control", "")
