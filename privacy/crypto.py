"""The kernel bound to Django settings: the keyring, seal/unseal and the blind index.

``privacy.kernel`` holds the formats and knows nothing of Django; this module
reads the keys from settings once (again after ``override_settings``) and
passes them in. Fields, the sealed cache and key rotation call it.
"""

from __future__ import annotations

from binascii import a2b_base64

from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from privacy.app_settings import app_settings
from privacy.kernel import envelope
from privacy.kernel.blind_index import (
    NORMALISERS,
    Normaliser,
    normalise_digits,
    normalise_email,
    normalise_name,
    normalise_text,
    resolve_normaliser,
)
from privacy.kernel.blind_index import (
    blind_index_digests as _digests_under,
)
from privacy.kernel.envelope import (
    DATA_KEY_FORMAT_VERSION,
    FORMAT_VERSION,
    NONCE_BYTES,
    DecryptionError,
    KeyDestroyed,
    Keyring,
    aad_for,
    aad_prefix,
    key_id_of,
    row_id_bytes,
    token_prefix,
    token_version,
)
from privacy.kernel.keys import (
    KeyConfigError,
    parse_blind_index_key,
    parse_encryption_keys,
    parse_previous_blind_index_key,
)

__all__ = [
    "DATA_KEY_FORMAT_VERSION",
    "FORMAT_VERSION",
    "NONCE_BYTES",
    "NORMALISERS",
    "DecryptionError",
    "KeyDestroyed",
    "Keyring",
    "Normaliser",
    "aad_for",
    "aad_prefix",
    "blind_index",
    "blind_index_digests",
    "has_previous_blind_index_key",
    "key_id_of",
    "keyring",
    "normalise_digits",
    "normalise_email",
    "normalise_name",
    "normalise_text",
    "resolve_normaliser",
    "row_id_bytes",
    "seal",
    "seal_for_person",
    "token_prefix",
    "token_version",
    "unseal",
]

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
        from privacy.keystore.services import keystore_cache_clear

        keystore_cache_clear()
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
        ring = Keyring.of(parse_encryption_keys(app_settings.ENCRYPTION_KEYS))
    except KeyConfigError as error:
        raise ImproperlyConfigured(str(error)) from None
    _keyring = ring
    return ring


def seal(plaintext: bytes, *, aad: bytes) -> str:
    """Encrypt under the primary key of the configured keyring."""
    return envelope.seal(plaintext, aad=aad, ring=_keyring or keyring())


_keystore_services = None


def _keystore():
    """privacy.keystore.services, imported on first use (its models need the app registry)."""
    global _keystore_services
    if _keystore_services is None:
        from privacy.keystore import services

        _keystore_services = services
    return _keystore_services


def seal_for_person(plaintext: bytes, *, aad: bytes, person: object) -> str:
    """Encrypt under ``person``'s data key (a v2 token), created in the key store on first use."""
    ref, cipher = _keystore().data_key_for_sealing(person, ring=_keyring or keyring())
    return envelope.seal_with_data_key(plaintext, aad=aad, key_ref=ref, cipher=cipher)


def unseal(token: str, *, aad: bytes) -> bytes:
    """Decrypt a v1 token with the master key it names, a v2 one with the data key it names.

    ``KeyDestroyed`` when the person's data key was destroyed (the value is gone,
    by design); ``DecryptionError`` for anything else that does not open.
    """
    if type(token) is str and token[:3] == "v2:":
        # Fast path: the data key already opened in this process, a well-formed token.
        # Any failure takes the checked path below, which alone says what is wrong.
        cipher = _keystore().opened_cipher(token[3:35])
        if cipher is not None and token[35:36] == ":":
            try:
                data = a2b_base64(token[36:], strict_mode=True)
                return cipher.decrypt(data[:NONCE_BYTES], data[NONCE_BYTES:], aad)
            except (ValueError, InvalidTag):
                pass
        data_key_cipher = _keystore().data_key_cipher
        ring = _keyring or keyring()
        try:
            ref = envelope.data_key_ref_of(token)
        except DecryptionError:  # not a v2 token after all: the v1 path says why, and where
            return envelope.unseal(token, aad=aad, ring=ring)
        cipher = data_key_cipher(ref, ring=ring)
        return envelope.unseal_with_data_key(token, aad=aad, cipher=cipher)
    return envelope.unseal(token, aad=aad, ring=_keyring or keyring())


def _blind_index_key() -> bytes:
    global _index_key
    key = _index_key
    if key is not None:
        return key
    try:
        key = parse_blind_index_key(app_settings.BLIND_INDEX_KEY)
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
        key = parse_previous_blind_index_key(app_settings.BLIND_INDEX_PREVIOUS_KEY)
    except KeyConfigError as error:
        raise ImproperlyConfigured(str(error)) from None
    _previous_index_key = (key,)
    return key


def has_previous_blind_index_key() -> bool:
    """Whether a blind index key rotation is under way (PRIVACY_BLIND_INDEX_PREVIOUS_KEY set)."""
    return _previous_blind_index_key() is not None


def blind_index(value: str, *, normaliser: Normaliser) -> str:
    """HMAC-SHA256 (hex) of the normalised value under the blind index key."""
    return _digests_under(value, normaliser=normaliser, keys=(_blind_index_key(),))[0]


def blind_index_digests(value: str, *, normaliser: Normaliser) -> tuple[str, ...]:
    """The value's index under the current key, then under the previous key if one is set.

    Writes use only the first; lookups match any, so rows not yet re-indexed
    (``manage.py reindex_blind_indexes``) are still found during a rotation.
    """
    previous_key = _previous_blind_index_key()
    keys = (_blind_index_key(),) if previous_key is None else (_blind_index_key(), previous_key)
    return _digests_under(value, normaliser=normaliser, keys=keys)
