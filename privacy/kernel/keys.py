"""Key material for field encryption and blind indexes, read from settings.

Pure functions with no Django model imports, so settings modules can use
them (local settings generate keys on first run with ``local_keys``).

Formats (environment variables of the same names):
- ``PRIVACY_ENCRYPTION_KEYS``: ``"id1:base64key,id2:base64key"``; every key is
  32 bytes (AES-256); the first one seals, every one opens by its id.
- ``PRIVACY_BLIND_INDEX_KEY``: base64 of at least 32 bytes, used only for the
  HMAC-SHA256 blind indexes, never equal to an encryption key.
- ``PRIVACY_BLIND_INDEX_PREVIOUS_KEY``: optional, set only while the blind
  indexes are re-computed under a new key (``manage.py reindex_blind_indexes``);
  same format, different from the current key and from every encryption key.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

ENCRYPTION_KEY_BYTES = 32
BLIND_INDEX_KEY_MIN_BYTES = 32
KEY_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
GENERATE_KEY_COMMAND = (
    'python -c "import base64, os; print(base64.b64encode(os.urandom(32)).decode())"'
)


class KeyConfigError(ValueError):
    """A key setting is missing or malformed. The message never contains key material.

    ``check_id`` is the system check id reported for it (see privacy/checks.py).
    """

    def __init__(self, message: str, check_id: str) -> None:
        super().__init__(message)
        self.check_id = check_id


@dataclass(frozen=True)
class EncryptionKey:
    key_id: str
    key: bytes = b""

    def __repr__(self) -> str:  # never print key material
        return f"EncryptionKey(key_id={self.key_id!r})"


def _decode_base64(text: str) -> bytes:
    text = text.strip()
    padded = text + "=" * (-len(text) % 4)
    alphabet = "-_" if ("-" in text or "_" in text) else "+/"
    try:
        return base64.b64decode(padded, altchars=alphabet.encode(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyConfigError("is not valid base64", "privacy.E002") from None


def parse_encryption_keys(raw: str | None) -> tuple[EncryptionKey, ...]:
    """Parse ``"id:base64key,..."``; the first key is the primary (sealing) key."""
    if not raw or not str(raw).strip():
        raise KeyConfigError("PRIVACY_ENCRYPTION_KEYS is not set", "privacy.E001")
    keys: list[EncryptionKey] = []
    for position, item in enumerate(str(raw).split(","), start=1):
        item = item.strip()
        if not item:
            raise KeyConfigError(
                f"PRIVACY_ENCRYPTION_KEYS: entry {position} is empty", "privacy.E002"
            )
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep or not encoded.strip():
            raise KeyConfigError(
                f"PRIVACY_ENCRYPTION_KEYS: entry {position} is not of the form id:base64key",
                "privacy.E002",
            )
        if not KEY_ID_PATTERN.match(key_id):
            raise KeyConfigError(
                f"PRIVACY_ENCRYPTION_KEYS: entry {position} has an invalid key id "
                "(1 to 32 letters, digits, '-' or '_')",
                "privacy.E002",
            )
        try:
            key = _decode_base64(encoded)
        except KeyConfigError:
            raise KeyConfigError(
                f"PRIVACY_ENCRYPTION_KEYS: key {key_id!r} is not valid base64", "privacy.E002"
            ) from None
        if len(key) != ENCRYPTION_KEY_BYTES:
            raise KeyConfigError(
                f"PRIVACY_ENCRYPTION_KEYS: key {key_id!r} is {len(key)} bytes, "
                f"expected {ENCRYPTION_KEY_BYTES}",
                "privacy.E003",
            )
        if any(k.key_id == key_id for k in keys):
            raise KeyConfigError(
                f"PRIVACY_ENCRYPTION_KEYS: key id {key_id!r} appears twice", "privacy.E002"
            )
        keys.append(EncryptionKey(key_id, key))
    return tuple(keys)


def parse_blind_index_key(raw: str | None, *, name: str = "PRIVACY_BLIND_INDEX_KEY") -> bytes:
    """The blind index key of setting ``name`` (the current key, or the previous one)."""
    if not raw or not str(raw).strip():
        raise KeyConfigError(f"{name} is not set", "privacy.E004")
    try:
        key = _decode_base64(str(raw))
    except KeyConfigError:
        raise KeyConfigError(f"{name} is not valid base64", "privacy.E005") from None
    if len(key) < BLIND_INDEX_KEY_MIN_BYTES:
        raise KeyConfigError(
            f"{name} is {len(key)} bytes, at least {BLIND_INDEX_KEY_MIN_BYTES} are required",
            "privacy.E006",
        )
    return key


def parse_previous_blind_index_key(raw: str | None) -> bytes | None:
    """``PRIVACY_BLIND_INDEX_PREVIOUS_KEY``: None when unset (no re-indexing under way)."""
    if not raw or not str(raw).strip():
        return None
    return parse_blind_index_key(raw, name="PRIVACY_BLIND_INDEX_PREVIOUS_KEY")


def key_problems(
    encryption_keys: str | None,
    blind_index_key: str | None,
    previous_blind_index_key: str | None = None,
) -> list[KeyConfigError]:
    """Every problem with the key settings (messages carry no key material)."""
    problems: list[KeyConfigError] = []
    keys: tuple[EncryptionKey, ...] = ()
    index_key = b""
    previous_key: bytes | None = None
    try:
        keys = parse_encryption_keys(encryption_keys)
    except KeyConfigError as error:
        problems.append(error)
    try:
        index_key = parse_blind_index_key(blind_index_key)
    except KeyConfigError as error:
        problems.append(error)
    try:
        previous_key = parse_previous_blind_index_key(previous_blind_index_key)
    except KeyConfigError as error:
        problems.append(error)
    if index_key and any(secrets.compare_digest(index_key, k.key) for k in keys):
        problems.append(
            KeyConfigError(
                "PRIVACY_BLIND_INDEX_KEY must differ from every encryption key", "privacy.E007"
            )
        )
    if previous_key and any(secrets.compare_digest(previous_key, k.key) for k in keys):
        problems.append(
            KeyConfigError(
                "PRIVACY_BLIND_INDEX_PREVIOUS_KEY must differ from every encryption key",
                "privacy.E007",
            )
        )
    if previous_key and index_key and secrets.compare_digest(previous_key, index_key):
        problems.append(
            KeyConfigError(
                "PRIVACY_BLIND_INDEX_PREVIOUS_KEY is the same key as PRIVACY_BLIND_INDEX_KEY: "
                "set the new key as PRIVACY_BLIND_INDEX_KEY and the old one as the previous key",
                "privacy.E008",
            )
        )
    return problems


def generate_key() -> str:
    """A fresh random 32-byte key, base64."""
    return base64.b64encode(os.urandom(ENCRYPTION_KEY_BYTES)).decode("ascii")


def local_keys(path: Path) -> dict[str, str]:
    """Keys for the embedded demo: generated on first run into ``path``, then reused.

    ``path`` must be git-ignored (``var/``). Creation is atomic, so two processes
    starting together (runserver and its reloader) end up with the same keys.
    """
    path = Path(path)
    _create_once(
        path,
        "# Generated on first run for local development only. Never commit, never use\n"
        "# in production. Deleting this file makes existing encrypted data unreadable.\n"
        f"PRIVACY_ENCRYPTION_KEYS=local1:{generate_key()}\n"
        f"PRIVACY_BLIND_INDEX_KEY={generate_key()}\n",
    )
    values = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def local_anchor_key(path: Path) -> str:
    """The embedded demo's audit anchor signing key: generated on first run into ``path``.

    Like ``local_keys``: ``path`` is git-ignored (``var/``), created atomically.
    Production sets ``AUDIT_ANCHOR_SIGNING_KEY`` from its secret store instead.
    """
    path = Path(path)
    _create_once(
        path,
        "# Generated on first run for local development only: signs the audit log's\n"
        "# anchors (privacy/audit/anchors.py). Never commit, never use in production.\n"
        f"AUDIT_ANCHOR_SIGNING_KEY={generate_key()}\n",
    )
    for line in path.read_text().splitlines():
        name, _, value = line.partition("=")
        if name.strip() == "AUDIT_ANCHOR_SIGNING_KEY":
            return value.strip()
    raise KeyConfigError(f"{path.name} holds no AUDIT_ANCHOR_SIGNING_KEY", "privacy.E040")


def _create_once(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` unless it exists; two racing processes keep one file."""
    if path.is_file():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(content)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
