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
import re
import unicodedata
import uuid
from binascii import Error as BinasciiError
from binascii import a2b_base64, b2a_base64
from collections.abc import Callable
from dataclasses import dataclass, field
from os import urandom

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from .keys import (
    KeyConfigError,
    parse_blind_index_key,
    parse_encryption_keys,
    parse_previous_blind_index_key,
)

FORMAT_VERSION = "v1"
NONCE_BYTES = 12
_SEPARATOR = "\x1f"


class DecryptionError(Exception):
    """A stored value cannot be opened. Names where it lives, never what it holds."""


@dataclass(frozen=True)
class Keyring:
    primary_id: str
    primary_prefix: str
    primary_cipher: AESGCM
    ciphers: dict[str, AESGCM]
    primary_prefix_length: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "primary_prefix_length", len(self.primary_prefix))

    def __repr__(self) -> str:  # never print key material
        return f"Keyring(primary_id={self.primary_id!r}, key_ids={sorted(self.ciphers)!r})"


_keyring: Keyring | None = None
_index_key: bytes | None = None
# (key,) once parsed: the previous key may be None, so None alone cannot mean "not read yet".
_previous_index_key: tuple[bytes | None] | None = None

_KEY_SETTINGS = (
    "PRIVACY_ENCRYPTION_KEYS",
    "PRIVACY_BLIND_INDEX_KEY",
    "PRIVACY_BLIND_INDEX_PREVIOUS_KEY",
)


def _reset_keys(*, setting: str, **kwargs) -> None:
    """Settings changed (tests, override_settings): parse the keys again on next use."""
    global _keyring, _index_key, _previous_index_key
    if setting in _KEY_SETTINGS:
        _keyring = None
        _index_key = None
        _previous_index_key = None


setting_changed.connect(_reset_keys, dispatch_uid="privacy.crypto.reset_keys")


def keyring() -> Keyring:
    """The keyring of ``settings.PRIVACY_ENCRYPTION_KEYS``, parsed once."""
    global _keyring
    ring = _keyring
    if ring is not None:
        return ring
    try:
        keys = parse_encryption_keys(settings.PRIVACY_ENCRYPTION_KEYS)
    except KeyConfigError as error:
        raise ImproperlyConfigured(str(error)) from None
    ring = Keyring(
        primary_id=keys[0].key_id,
        primary_prefix=token_prefix(keys[0].key_id),
        primary_cipher=AESGCM(keys[0].key),
        ciphers={k.key_id: AESGCM(k.key) for k in keys},
    )
    _keyring = ring
    return ring


def _blind_index_key() -> bytes:
    global _index_key
    key = _index_key
    if key is not None:
        return key
    try:
        key = parse_blind_index_key(settings.PRIVACY_BLIND_INDEX_KEY)
    except KeyConfigError as error:
        raise ImproperlyConfigured(str(error)) from None
    _index_key = key
    return key


def _previous_blind_index_key() -> bytes | None:
    """The key the indexes were computed under before the current one, while re-indexing."""
    global _previous_index_key
    cached = _previous_index_key
    if cached is not None:
        return cached[0]
    try:
        key = parse_previous_blind_index_key(
            getattr(settings, "PRIVACY_BLIND_INDEX_PREVIOUS_KEY", "")
        )
    except KeyConfigError as error:
        raise ImproperlyConfigured(str(error)) from None
    _previous_index_key = (key,)
    return key


def has_previous_blind_index_key() -> bool:
    """Whether a blind index key rotation is under way (PRIVACY_BLIND_INDEX_PREVIOUS_KEY set)."""
    return _previous_blind_index_key() is not None


def token_prefix(key_id: str) -> str:
    """What every token sealed by ``key_id`` starts with (rotation filters on it)."""
    return f"{FORMAT_VERSION}:{key_id}:"


def aad_prefix(*, table: str, column: str) -> bytes:
    return f"{table}{_SEPARATOR}{column}{_SEPARATOR}".encode()


def row_id_bytes(row_id: object) -> bytes:
    """A row id in associated data: a UUID (or its text) as its 16 bytes, anything else as text."""
    if type(row_id) is uuid.UUID or isinstance(row_id, uuid.UUID):
        return b"u" + row_id.int.to_bytes(16, "big")
    if isinstance(row_id, str):
        try:
            return b"u" + uuid.UUID(row_id).bytes
        except ValueError:
            pass
    return b"s" + str(row_id).encode()


def aad_for(*, table: str, column: str, row_id: object) -> bytes:
    """Associated data binding a value to one column of one row."""
    return aad_prefix(table=table, column=column) + row_id_bytes(row_id)


def _describe(aad: bytes) -> str:
    parts = aad.split(_SEPARATOR.encode(), 2)
    if len(parts) != 3:
        return "value"
    table, column, row = parts
    if row[:1] == b"u" and len(row) == 17:
        row_text = str(uuid.UUID(bytes=row[1:]))
    else:
        row_text = row[1:].decode("utf-8", "replace")
    return f"{table.decode()}.{column.decode()} (row {row_text})"


def seal(plaintext: bytes, *, aad: bytes) -> str:
    """Encrypt under the primary key with a fresh random 96-bit nonce."""
    ring = _keyring or keyring()
    nonce = urandom(NONCE_BYTES)
    return ring.primary_prefix + b2a_base64(
        nonce + ring.primary_cipher.encrypt(nonce, plaintext, aad), newline=False
    ).decode("ascii")


def key_id_of(token: str) -> str:
    """The id of the key that sealed ``token``."""
    parts = token.split(":", 2) if isinstance(token, str) else ()
    if len(parts) != 3 or parts[0] != FORMAT_VERSION or not parts[1]:
        raise DecryptionError("not an encrypted token of a known format")
    return parts[1]


def unseal(token: str, *, aad: bytes) -> bytes:
    """Decrypt with the key named in the token; fail loudly on any mismatch."""
    ring = _keyring or keyring()
    # Fast path for the common case, a token under the primary key: no split, no
    # key lookup (a slice comparison is cheaper than a startswith() call). Any
    # failure takes the checked path below, which alone says what is wrong.
    start = ring.primary_prefix_length
    if type(token) is str and token[:start] == ring.primary_prefix:
        try:
            data = a2b_base64(token[start:], strict_mode=True)
            return ring.primary_cipher.decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], aad)
        except (ValueError, InvalidTag):
            pass
    return _unseal_checked(token, aad, ring)


def _unseal_checked(token: str, aad: bytes, ring: Keyring) -> bytes:
    """Every check, in order, so a failure names its cause; any key of the ring."""
    parts = token.split(":", 2) if isinstance(token, str) else ()
    if len(parts) != 3 or parts[0] != FORMAT_VERSION:
        raise DecryptionError(
            f"Cannot decrypt {_describe(aad)}: the stored value is not an encrypted token"
        )
    cipher = ring.ciphers.get(parts[1])
    if cipher is None:
        raise DecryptionError(
            f"Cannot decrypt {_describe(aad)}: it was sealed with key id {parts[1]!r}, "
            "which PRIVACY_ENCRYPTION_KEYS does not hold"
        )
    try:
        # Strict: junk characters, or data after the padding, are a corrupt token, never
        # skipped (a lenient decoder would open "token" + anything as the same value).
        data = a2b_base64(parts[2], strict_mode=True)
    except (BinasciiError, ValueError):
        raise DecryptionError(f"Cannot decrypt {_describe(aad)}: the token is corrupt") from None
    if len(data) < NONCE_BYTES + 16:
        raise DecryptionError(f"Cannot decrypt {_describe(aad)}: the token is truncated")
    try:
        return cipher.decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], aad)
    except InvalidTag:
        raise DecryptionError(
            f"Cannot decrypt {_describe(aad)}: authentication failed (the value was altered, "
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


def _hmac_hex(key: bytes, normalised: bytes) -> str:
    return hmac.new(key, normalised, hashlib.sha256).hexdigest()


def blind_index(value: str, *, normaliser: Normaliser) -> str:
    """HMAC-SHA256 (hex) of the normalised value under the blind index key."""
    normalised = resolve_normaliser(normaliser)(str(value))
    return _hmac_hex(_blind_index_key(), normalised.encode())


def blind_index_digests(value: str, *, normaliser: Normaliser) -> tuple[str, ...]:
    """The value's index under the current key, then under the previous key if one is set.

    Writes use only the first; lookups match any, so rows not yet re-indexed
    (``manage.py reindex_blind_indexes``) are still found during a rotation.
    """
    normalised = resolve_normaliser(normaliser)(str(value)).encode()
    current = _hmac_hex(_blind_index_key(), normalised)
    previous_key = _previous_blind_index_key()
    if previous_key is None:
        return (current,)
    return (current, _hmac_hex(previous_key, normalised))
