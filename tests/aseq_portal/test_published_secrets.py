"""Every secret the repository publishes is refused in production, and only those.

The scan reads every file git tracks: a key-shaped value anywhere (a sample, a
test key, a documentation example) must be refused by
aseq_portal.published_secrets, so nobody can copy one into production.
"""

import base64
import os
import re
import subprocess
from pathlib import Path

import pytest

from aseq_portal.published_secrets import (
    PUBLISHED_SECRET_KEYS,
    encoded_key_is_public,
    generate_secrets,
    key_is_public,
    published_secret_problems,
    secret_key_is_public,
)
from aseq_portal.startup import startup_problems

ROOT = Path(__file__).resolve().parents[2]
# base64 of 32 bytes or more, with upper and lower case and a digit (not a word or a path).
KEY_SHAPED = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{42,}={0,2}")
SECRET_KEY_VALUE = re.compile(r"""SECRET_KEY["']?\s*(?:=|,\s*default=)\s*["']?([^"'\s\\)]+)""")


def tracked_texts():
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        path = ROOT / name
        if path.suffix in {".mo", ".png", ".jpg", ".pdf", ".ico", ".woff2"} or not path.is_file():
            continue
        try:
            yield name, path.read_text()
        except UnicodeDecodeError:
            continue


def key_shaped(text: str):
    for match in KEY_SHAPED.finditer(text):
        token = match.group(0)
        if all(re.search(p, token) for p in ("[a-z]", "[A-Z]", "[0-9]")):
            yield token


def test_every_key_in_the_repository_is_refused():
    found = {}
    for name, text in tracked_texts():
        for token in key_shaped(text):
            found.setdefault(token, name)
    assert len(found) >= 5  # .env.example, the test settings, the tests: the scan sees them
    accepted = {token: name for token, name in found.items() if not encoded_key_is_public(token)}
    assert accepted == {}


def test_every_django_secret_key_in_the_repository_is_refused():
    found = {}
    for name, text in tracked_texts():
        for value in SECRET_KEY_VALUE.findall(text):
            if not value.startswith(("env(", "{", "$", "`")):
                found.setdefault(value, name)
    assert "change-me-to-a-long-random-string-of-at-least-fifty-characters-0123456789" in found
    assert {value: name for value, name in found.items() if not secret_key_is_public(value)} == {}
    assert set(found) <= PUBLISHED_SECRET_KEYS


def test_a_re_encoding_of_a_sample_is_still_the_sample():
    sample = "c2FtcGxlLW9ubHktcmVwbGFjZS1tZS1rZXktMDAwMDE="
    raw = base64.b64decode(sample)
    assert encoded_key_is_public(base64.urlsafe_b64encode(raw).decode().rstrip("="))


@pytest.mark.parametrize(
    "key", [b"A" * 32, bytes(range(32)), bytes(32), b"0123456789abcdef" * 2, b"\x01\x02" * 16]
)
def test_hand_made_keys_are_refused_as_not_random(key):
    assert key_is_public(key)


def test_generated_secrets_are_accepted_every_time():
    for _ in range(200):
        assert not key_is_public(os.urandom(32))
    fresh = generate_secrets()
    assert (
        published_secret_problems(
            secret_key=fresh["DJANGO_SECRET_KEY"],
            encryption_keys=fresh["PRIVACY_ENCRYPTION_KEYS"],
            blind_index_key=fresh["PRIVACY_BLIND_INDEX_KEY"],
        )
        == []
    )


def test_readyz_answers_503_naming_keys_when_they_are_missing(client, settings):
    settings.PRIVACY_ENCRYPTION_KEYS = ""
    response = client.get("/readyz")
    assert response.status_code == 503
    assert b"keys" in response.content
    assert startup_problems() == ["PRIVACY_ENCRYPTION_KEYS is not set"]


@pytest.mark.django_db
def test_readyz_in_production_refuses_the_published_test_keys(client, settings):
    settings.PORTAL_ENVIRONMENT = "production"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert b"keys" in response.content
    settings.PORTAL_ENVIRONMENT = "test"
    assert client.get("/readyz").status_code == 200
