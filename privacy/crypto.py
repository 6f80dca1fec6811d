"""AES-256-GCM envelope for field values, and the HMAC-SHA256 blind index.

A token is ``v1:<key id>:<base64(nonce || ciphertext || tag)>``: the format
version and the id of the sealing key travel with the value, so decryption
picks the key by id (never by trying keys), and rotation can find the values
not yet under the primary key by their prefix alone. The associated data
(``aad_for``) binds a value to its table, column and row: a token copied
anywhere else fails to open with ``DecryptionError``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata
import uuid
from base64 import b64decode, b64encode
from binascii import Error as BinasciiError
from collections.abc import Callable
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .keys import KeyConfigError, parse_blind_index_key, parse_encryption_keys

FORMAT_VERSION = "v1"
NONCE_BYTES = 12
_SEPARATOR = "\x1f"


class DecryptionError(Exception):
    """A stored value cannot be opened. Names where it lives, never what it holds."""


@dataclass(frozen=True)
class Keyring:
    primary_id: str
    primary_prefix: str
    ciphers: dict[str, AESGCM]

    def __repr__(self) -> str:  # never print key material
        return f"Keyring(primary_id={self.primary_id!r}, key_ids={sorted(self.ciphers)!r})"


_keyring_cache: tuple[object, Keyring] | None = None
_index_key_cache: tuple[object, bytes] | None = None


def keyring() -> Keyring:
    """The keyring of ``settings.PRIVACY_ENCRYPTION_KEYS``, parsed once per value."""
    global _keyring_cache
    raw = settings.PRIVACY_ENCRYPTION_KEYS
    cached = _keyring_cache
    if cached is not None and cached[0] == raw:
        return cached[1]
    try:
        keys = parse_encryption_keys(raw)
    except KeyConfigError as error:
        raise ImproperlyConfigured(str(error)) from None
    ring = Keyring(
        primary_id=keys[0].key_id,
        primary_prefix=token_prefix(keys[0].key_id),
        ciphers={k.key_id: AESGCM(k.key) for k in keys},
    )
    _keyring_cache = (raw, ring)
    return ring


def _blind_index_key() -> bytes:
    global _index_key_cache
    raw = settings.PRIVACY_BLIND_INDEX_KEY
    cached = _index_key_cache
    if cached is not None and cached[0] == raw:
        return cached[1]
    try:
        key = parse_blind_index_key(raw)
    except KeyConfigError as error:
        raise ImproperlyConfigured(str(error)) from None
    _index_key_cache = (raw, key)
    return key


def token_prefix(key_id: str) -> str:
    """What every token sealed by ``key_id`` starts with (rotation filters on it)."""
    return f"{FORMAT_VERSION}:{key_id}:"


def aad_for(*, table: str, column: str, row_id: object) -> bytes:
    """Associated data binding a value to one column of one row."""
    if isinstance(row_id, uuid.UUID):
        row_id = str(row_id)
    return f"{table}{_SEPARATOR}{column}{_SEPARATOR}{row_id}".encode()


def _describe(aad: bytes) -> str:
    parts = aad.decode("utf-8", "replace").split(_SEPARATOR)
    if len(parts) == 3:
        return f"{parts[0]}.{parts[1]} (row {parts[2]})"
    return "value"


def seal(plaintext: bytes, *, aad: bytes) -> str:
    """Encrypt under the primary key with a fresh random 96-bit nonce."""
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.ciphers[ring.primary_id].encrypt(nonce, plaintext, aad)
    return ring.primary_prefix + b64encode(nonce + sealed).decode("ascii")


def _split(token: str) -> tuple[str, str]:
    if not isinstance(token, str):
        raise DecryptionError("not an encrypted token")
    version, sep, rest = token.partition(":")
    key_id, sep2, body = rest.partition(":")
    if version != FORMAT_VERSION or not sep or not sep2 or not key_id:
        raise DecryptionError("not an encrypted token of a known format")
    return key_id, body


def key_id_of(token: str) -> str:
    """The id of the key that sealed ``token``."""
    return _split(token)[0]


def unseal(token: str, *, aad: bytes) -> bytes:
    """Decrypt with the key named in the token; fail loudly on any mismatch."""
    where = _describe(aad)
    try:
        key_id, body = _split(token)
    except DecryptionError:
        raise DecryptionError(
            f"Cannot decrypt {where}: the stored value is not an encrypted token"
        ) from None
    cipher = keyring().ciphers.get(key_id)
    if cipher is None:
        raise DecryptionError(
            f"Cannot decrypt {where}: it was sealed with key id {key_id!r}, "
            "which PRIVACY_ENCRYPTION_KEYS no longer holds"
        )
    try:
        data = b64decode(body, validate=True)
    except (BinasciiError, ValueError):
        raise DecryptionError(f"Cannot decrypt {where}: the token is corrupt") from None
    if len(data) < NONCE_BYTES + 16:
        raise DecryptionError(f"Cannot decrypt {where}: the token is truncated")
    try:
        return cipher.decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError(
            f"Cannot decrypt {where}: authentication failed (the value was altered, "
            "or copied from another row or column)"
        ) from None


# --- Blind index -------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_NAME_PUNCTUATION = re.compile(r"[\-‐‑‒–—'’`´.]+")


def normalise_text(value: str) -> str:
    """Case and spacing do not matter; accents do."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip().casefold()


def normalise_email(value: str) -> str:
    """The whole address, case-insensitively, without surrounding spaces."""
    return unicodedata.normalize("NFKC", value).strip().casefold()


def normalise_digits(value: str) -> str:
    """Only the digits count: student numbers, phone numbers."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", value) if ch.isdigit())


def normalise_name(value: str) -> str:
    """Case, accents, hyphens, apostrophes and spacing do not matter.

    "Hélène-Marie D'Amours" and "helene marie d amours" are the same name.
    """
    decomposed = unicodedata.normalize("NFKD", value)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    spaced = _NAME_PUNCTUATION.sub(" ", without_accents)
    return _SPACES.sub(" ", spaced).strip().casefold()


NORMALISERS: dict[str, Callable[[str], str]] = {
    "text": normalise_text,
    "email": normalise_email,
    "digits": normalise_digits,
    "name": normalise_name,
}

Normaliser = str | Callable[[str], str]


def resolve_normaliser(normaliser: Normaliser) -> Callable[[str], str]:
    if callable(normaliser):
        return normaliser
    try:
        return NORMALISERS[normaliser]
    except KeyError:
        raise ValueError(
            f"Unknown blind index normaliser {normaliser!r}; use one of "
            f"{sorted(NORMALISERS)} or a callable"
        ) from None


def blind_index(value: str, *, normaliser: Normaliser) -> str:
    """HMAC-SHA256 (hex) of the normalised value under the blind index key."""
    normalised = resolve_normaliser(normaliser)(str(value))
    return hmac.new(_blind_index_key(), normalised.encode(), hashlib.sha256).hexdigest()
