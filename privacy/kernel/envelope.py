"""AES-256-GCM envelope for field values. Django-free: the caller passes the keyring.

A token is ``v1:<key id>:<base64(nonce || ciphertext || tag)>``: the format
version and the id of the sealing key travel with the value, so decryption
picks the key by id (never by trying keys), and rotation can find the values
not yet under the primary key by their prefix alone. The associated data
(``aad_for``) binds a value to its table, column and row: a token copied
anywhere else fails to open with ``DecryptionError``.

A ``v2:<data key ref>:<base64(nonce || ciphertext || tag)>`` token is sealed under
one person's data key (32 random bytes, AES-256-GCM, the same associated data),
named by its reference (32 lowercase hex digits). The data key itself is kept
wrapped: a v1 token under the master keyring whose associated data names the
person and the reference (``data_key_aad``). Destroying the wrapped key makes
every v2 token under it unreadable wherever a copy of it lies (crypto-shredding);
rotating the master key re-wraps the data keys and leaves v2 tokens as they are.
"""

from __future__ import annotations

import uuid
from binascii import Error as BinasciiError
from binascii import a2b_base64, b2a_base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from os import urandom

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from privacy.kernel.keys import EncryptionKey

FORMAT_VERSION = "v1"
DATA_KEY_FORMAT_VERSION = "v2"
DATA_KEY_BYTES = 32
DATA_KEY_REF_LENGTH = 32
NONCE_BYTES = 12
_SEPARATOR = "\x1f"
_HEX = frozenset("0123456789abcdef")
_V2 = DATA_KEY_FORMAT_VERSION + ":"
# "v2:" + the 32 hex digits of the reference + ":"
_V2_HEAD = len(_V2) + DATA_KEY_REF_LENGTH + 1


class DecryptionError(Exception):
    """A stored value cannot be opened. Names where it lives, never what it holds."""


class KeyDestroyed(Exception):
    """The person's data key was destroyed: the value is unreadable everywhere, by design."""


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

    @classmethod
    def of(cls, keys: Sequence[EncryptionKey]) -> Keyring:
        """The ring of ``keys``, the first sealing, every one opening by its id."""
        return cls(
            primary_id=keys[0].key_id,
            primary_prefix=token_prefix(keys[0].key_id),
            primary_cipher=AESGCM(keys[0].key),
            ciphers={k.key_id: AESGCM(k.key) for k in keys},
        )


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


def seal(plaintext: bytes, *, aad: bytes, ring: Keyring, nonce: bytes | None = None) -> str:
    """Encrypt under the primary key with a fresh random 96-bit nonce.

    ``nonce`` is for known-answer vectors only: a nonce must never be used twice.
    """
    if nonce is None:
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


def unseal(token: str, *, aad: bytes, ring: Keyring) -> bytes:
    """Decrypt with the key named in the token; fail loudly on any mismatch."""
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


# --- v2: a value under one person's data key ------------------------------------


def token_version(token: object) -> str | None:
    """``"v1"``, ``"v2"``, or None for what is not a token of a known format."""
    if type(token) is not str:
        return None
    head = token[:3]
    if head == FORMAT_VERSION + ":":
        return FORMAT_VERSION
    if head == _V2:
        return DATA_KEY_FORMAT_VERSION
    return None


def is_data_key_ref(ref: str) -> bool:
    return len(ref) == DATA_KEY_REF_LENGTH and set(ref) <= _HEX


def data_key_ref_of(token: str) -> str:
    """The reference of the data key that sealed a v2 ``token``."""
    if type(token) is not str or token[:3] != _V2 or token[_V2_HEAD - 1 : _V2_HEAD] != ":":
        raise DecryptionError("not a v2 token")
    ref = token[3 : _V2_HEAD - 1]
    if not is_data_key_ref(ref):
        raise DecryptionError("not a v2 token")
    return ref


def data_token_prefix(key_ref: str) -> str:
    """What every token sealed by the data key ``key_ref`` starts with."""
    return f"{DATA_KEY_FORMAT_VERSION}:{key_ref}:"


def seal_with_data_key(
    plaintext: bytes, *, aad: bytes, key_ref: str, cipher: AESGCM, nonce: bytes | None = None
) -> str:
    """Encrypt under a person's data key (``cipher``), naming it by ``key_ref``.

    ``nonce`` is for known-answer vectors only: a nonce must never be used twice.
    """
    if not is_data_key_ref(key_ref):
        raise ValueError("a data key reference is 32 lowercase hex digits")
    if nonce is None:
        nonce = urandom(NONCE_BYTES)
    return data_token_prefix(key_ref) + b2a_base64(
        nonce + cipher.encrypt(nonce, plaintext, aad), newline=False
    ).decode("ascii")


def unseal_with_data_key(token: str, *, aad: bytes, cipher: AESGCM) -> bytes:
    """Decrypt a v2 token with the data key it names (the caller looked it up by ref)."""
    data_key_ref_of(token)
    try:
        data = a2b_base64(token[_V2_HEAD:], strict_mode=True)
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


def data_key_aad(*, person: str, key_ref: str) -> bytes:
    """Associated data of a wrapped data key: it opens only as this person's, this key."""
    return f"privacy.datakey{_SEPARATOR}{person}{_SEPARATOR}{key_ref}".encode()


def wrap_data_key(
    key: bytes, *, person: str, key_ref: str, ring: Keyring, nonce: bytes | None = None
) -> str:
    """The data key sealed under the master keyring's primary key (a v1 token)."""
    if len(key) != DATA_KEY_BYTES:
        raise ValueError(f"a data key is {DATA_KEY_BYTES} bytes")
    return seal(key, aad=data_key_aad(person=person, key_ref=key_ref), ring=ring, nonce=nonce)


def unwrap_data_key(wrapped: str, *, person: str, key_ref: str, ring: Keyring) -> bytes:
    """The data key, opened with the master key named in ``wrapped``."""
    key = unseal(wrapped, aad=data_key_aad(person=person, key_ref=key_ref), ring=ring)
    if len(key) != DATA_KEY_BYTES:
        raise DecryptionError("a wrapped data key is not 32 bytes")
    return key
