"""Secrets the repository publishes: production refuses every one of them.

A sample in ``.env.example``, the test settings' keys, a default in the settings
or the Dockerfile: whatever is in the repository is public, whoever copies it
into production hands the keys to anyone who reads the code. Production refuses:

- every secret and key listed below (keys compared as bytes, so a re-encoding of
  a sample is still the sample);
- every key that is not random: ``os.urandom`` never gives 32 bytes that are all
  printable text, only a handful of distinct bytes, or bytes all in a narrow
  range, which is what every hand-written sample looks like.

``tests/aseq_portal/test_published_secrets.py`` reads every file of the
repository and fails when a key-shaped value there would be accepted.

Run ``python -m aseq_portal.published_secrets`` for fresh secrets, one
``NAME=value`` line each, ready for the secret store or a ``.env`` file.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import string
import sys
from datetime import date

from privacy.kernel.keys import (
    KeyConfigError,
    generate_key,
    parse_blind_index_key,
    parse_encryption_keys,
)

# DJANGO_SECRET_KEY values found in the repository.
PUBLISHED_SECRET_KEYS = frozenset(
    {
        "change-me-to-a-long-random-string-of-at-least-fifty-characters-0123456789",  # .env.example
        "insecure-local-development-key-change-me",  # settings/base.py, local default
        "collectstatic-only",  # Dockerfile, the static files build step
        "bench-peer-not-a-secret",  # bench/peer/settings.py, the peer beside us
    }
)

# Keys (base64) found in the repository: .env.example, the test settings, the tests.
PUBLISHED_KEYS = (
    "c2FtcGxlLW9ubHktcmVwbGFjZS1tZS1rZXktMDAwMDE=",  # .env.example, sample1
    "c2FtcGxlLW9ubHktcmVwbGFjZS1tZS1ibGluZC1pbmRleC0x",  # .env.example, blind index
    "dGVzdC1vbmx5LWVuY3J5cHRpb24ta2V5LTAwMDAwMDE=",  # settings/test.py, test1
    "dGVzdC1vbmx5LWJsaW5kLWluZGV4LWtleS0wMDAwMDAwMQ==",  # settings/test.py, blind index
    "YmFja3VwLXRlc3Qtb25seS1rZXktMDAwMDAwMDAwMDE=",  # tests/ops, a backup key
    "c2FtcGxlLW9ubHktcmVwbGFjZS1tZS1hbmNob3ItazE=",  # .env.example, audit anchor key
    # tests/privacy/vectors/stored_format.json: the known-answer vectors' blind index key
    # and sealed values (any key-shaped string in the repository is public).
    "xANn5HisyMsBnvLKwr08RaVB/LOF4zA4uwOMXux0FT0=",
    "AAAAAAAAAAAAAAAAdZ7U/I93spE6hJpoNA7zu+hhlfoK/MSweaIaHRMQA6dhxVBEleQ=",
    "AAECAwQFBgcICQoLcjPiO/DQ9za9cKW4BN3uZHOBtBklZisSZTTatA==",
    "DA0ODxAREhMUFRYX0D3AtLzekjYaZymn+O4Go7eDdK+bEk7Y6AHKYT77aQ7teNTUf03dokA=",
    "GBkaGxwdHh8gISIjTVlrrWZ37peHzy3ot6241OREx5NcPZAGagg=",
    # ... and its v2 vectors: wrapped data keys and values sealed under a data key.
    "ICEiIyQlJicoKSorknvkMyjdXElSNQiFjVW6toAYvs/T1TW5NK82SRXXAFaIlCkSq+vhjBFIvo5uQDvW",
    "LC0uLzAxMjM0NTY34C+Uq41m/4sNQMjbob2VIcpgJSpsTlCiY0d9WyQDiL2MrA9ur2u1KFldkynfPdje",
    "AAECAwQFBgcICQoLcsbFFLQkKsVjqlgh0tKhR3zFGJtEf15O",
    "DA0ODxAREhMUFRYX90JO5RW9wXJbAuyRBKXPSBXwJ6HXV5x5tqw=",
)

# Fewer distinct bytes than this in 32 random bytes: about one chance in 10**20.
_MIN_DISTINCT_BYTES = 16
# All bytes within a window this narrow (a counter, b"\x00" to b"\x1f"): about 10**-17.
_MIN_BYTE_SPAN = 64
_PRINTABLE = frozenset(string.printable.encode())


def _decoded(text: str) -> bytes | None:
    text = text.strip()
    padded = text + "=" * (-len(text) % 4)
    altchars = b"-_" if ("-" in text or "_" in text) else b"+/"
    try:
        return base64.b64decode(padded, altchars=altchars, validate=True)
    except (binascii.Error, ValueError):
        return None


_PUBLISHED_KEY_BYTES = frozenset(filter(None, (_decoded(key) for key in PUBLISHED_KEYS)))


def key_is_public(key: bytes) -> bool:
    """Whether ``key`` is published in the repository or could not have come from urandom."""
    return (
        key in _PUBLISHED_KEY_BYTES
        or all(byte in _PRINTABLE for byte in key)
        or len(set(key)) < _MIN_DISTINCT_BYTES
        or max(key, default=0) - min(key, default=0) < _MIN_BYTE_SPAN
    )


def encoded_key_is_public(text: str) -> bool:
    """``key_is_public`` for a base64 key as it is written in settings or files."""
    key = _decoded(text)
    return key is not None and key_is_public(key)


def secret_key_is_public(secret_key: str | None) -> bool:
    return (secret_key or "").strip() in PUBLISHED_SECRET_KEYS


def published_secret_problems(
    *,
    secret_key: str | None,
    encryption_keys: str | None,
    blind_index_key: str | None,
    previous_blind_index_key: str | None = None,
    audit_anchor_signing_key: str | None = None,
) -> list[str]:
    """What production must refuse, by setting name; never the values themselves.

    Missing or malformed keys are privacy's own check (privacy/checks.py); only
    keys that parse are judged here.
    """
    problems = []
    if secret_key_is_public(secret_key):
        problems.append("DJANGO_SECRET_KEY is a sample published in the repository")
    try:
        for key in parse_encryption_keys(encryption_keys):
            if key_is_public(key.key):
                problems.append(
                    f"PRIVACY_ENCRYPTION_KEYS: key {key.key_id!r} is a sample published in "
                    "the repository, or not random"
                )
    except KeyConfigError:
        pass
    for name, raw in (
        ("PRIVACY_BLIND_INDEX_KEY", blind_index_key),
        ("PRIVACY_BLIND_INDEX_PREVIOUS_KEY", previous_blind_index_key),
    ):
        if not raw or not str(raw).strip():
            continue
        try:
            index_key = parse_blind_index_key(raw, name=name)
        except KeyConfigError:
            continue
        if key_is_public(index_key):
            problems.append(f"{name} is a sample published in the repository, or not random")
    if audit_anchor_signing_key and encoded_key_is_public(audit_anchor_signing_key):
        problems.append(
            "AUDIT_ANCHOR_SIGNING_KEY is a sample published in the repository, or not random"
        )
    return problems


def generate_secrets(*, today: date | None = None) -> dict[str, str]:
    """Fresh values for every secret the portal reads: a Django key and the privacy keys."""
    key_id = f"k{(today or date.today()):%Y%m%d}"
    return {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "PRIVACY_ENCRYPTION_KEYS": f"{key_id}:{generate_key()}",
        "PRIVACY_BLIND_INDEX_KEY": generate_key(),
        "AUDIT_ANCHOR_SIGNING_KEY": generate_key(),
    }


if __name__ == "__main__":  # pragma: no cover - a command line for operators
    for name, value in generate_secrets().items():
        sys.stdout.write(f"{name}={value}\n")
