"""Anchors: the chain head signed with a key the database never holds, kept outside it.

The hash chain proves that what is in the database holds together; it cannot
prove that nothing is missing at the end, nor that the whole chain was not
rewritten by someone who can write the tables. An anchor can: at a set
interval (Celery beat) and after every purge, the head of the chain (last
entry number and hash, where the chain starts, how many entries) is signed
with Ed25519 under ``AUDIT_ANCHOR_SIGNING_KEY`` (an environment secret, never
in the database) and written to the log stream and appended to a file in
``AUDIT_ANCHOR_DIR`` (beside the backups, out of the database's reach).

``verify_audit_log`` compares the database with the latest anchor: a log that
now ends before the anchored entry (tail deleted, head rewound, tables
truncated), or an anchored entry whose hash changed (chain rewritten), is
named. What was appended after the latest anchor is only as safe as the chain
alone: the interval bounds that window.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max

from privacy.audit.app_settings import app_settings
from privacy.audit.models import CHAIN_HEAD_PK, AuditChainHead, AuditCheckpoint, AuditEntry

logger = logging.getLogger("privacy.audit.anchor")

ANCHOR_FILE_NAME = "audit-anchors.jsonl"
ANCHOR_FORMAT_VERSION = 1
LOG_PREFIX = "AUDIT-ANCHOR "
SIGNING_KEY_BYTES = 32


class AnchorKeyError(ValueError):
    """The anchor signing or verification key is missing or malformed (no key material shown)."""


class AnchorRefused(Exception):
    """The database no longer holds what the latest anchor signed: no new anchor over it."""


@dataclass(frozen=True)
class Anchor:
    head_id: int
    head_hash: str
    # The first entry of the chain then (after the last purge checkpoint).
    start_id: int
    entries: int
    signed_at: datetime
    reason: str
    key_id: str

    def payload(self) -> dict:
        return {
            "v": ANCHOR_FORMAT_VERSION,
            "head_id": self.head_id,
            "head_hash": self.head_hash,
            "start_id": self.start_id,
            "entries": self.entries,
            "signed_at": self.signed_at.astimezone(UTC).isoformat(timespec="seconds"),
            "reason": self.reason,
            "key_id": self.key_id,
        }

    @property
    def when(self) -> str:
        return self.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class AnchorFile:
    latest: Anchor | None
    # Lines that are not a valid signed anchor: (line number, why).
    invalid: tuple[tuple[int, str], ...] = ()
    count: int = 0


# --- Keys -------------------------------------------------------------------


def _decode(raw: str, name: str) -> bytes:
    text = str(raw).strip()
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise AnchorKeyError(f"{name} is not valid base64") from None


def parse_signing_key(raw: str | None) -> Ed25519PrivateKey:
    """``AUDIT_ANCHOR_SIGNING_KEY``: base64 of a 32-byte Ed25519 private key (seed)."""
    if not raw or not str(raw).strip():
        raise AnchorKeyError("AUDIT_ANCHOR_SIGNING_KEY is not set")
    seed = _decode(raw, "AUDIT_ANCHOR_SIGNING_KEY")
    if len(seed) != SIGNING_KEY_BYTES:
        raise AnchorKeyError(
            f"AUDIT_ANCHOR_SIGNING_KEY is {len(seed)} bytes, expected {SIGNING_KEY_BYTES}"
        )
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_text(public: Ed25519PublicKey) -> str:
    return base64.b64encode(public.public_bytes_raw()).decode("ascii")


def key_id_of(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(public.public_bytes_raw()).hexdigest()[:16]


def signing_key() -> Ed25519PrivateKey:
    return parse_signing_key(app_settings.SIGNING_KEY)


def verification_keys() -> dict[str, Ed25519PublicKey]:
    """The current key's public half, and earlier public keys kept to read older anchors."""
    keys: dict[str, Ed25519PublicKey] = {}
    for raw in app_settings.VERIFY_KEYS:
        data = _decode(raw, "AUDIT_ANCHOR_VERIFY_KEYS")
        if len(data) != SIGNING_KEY_BYTES:
            raise AnchorKeyError("AUDIT_ANCHOR_VERIFY_KEYS holds a key that is not 32 bytes")
        public = Ed25519PublicKey.from_public_bytes(data)
        keys[key_id_of(public)] = public
    if app_settings.SIGNING_KEY:
        public = signing_key().public_key()
        keys[key_id_of(public)] = public
    return keys


# --- The stored form ----------------------------------------------------------


def _canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("ascii")


def anchor_line(anchor: Anchor, key: Ed25519PrivateKey) -> str:
    """One line of JSON: the payload and its Ed25519 signature over the canonical payload."""
    payload = anchor.payload()
    signature = base64.b64encode(key.sign(_canonical(payload))).decode("ascii")
    return json.dumps({"anchor": payload, "signature": signature}, sort_keys=True)


def parse_anchor_line(line: str, keys: dict[str, Ed25519PublicKey]) -> Anchor:
    """An anchor from a file line or a log line (anything before the JSON is ignored)."""
    start = line.find("{")
    if start < 0:
        raise ValueError("not an anchor")
    try:
        document = json.loads(line[start:])
        payload = document["anchor"]
        signature = base64.b64decode(document["signature"], validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ValueError("not an anchor") from None
    if not isinstance(payload, dict) or payload.get("v") != ANCHOR_FORMAT_VERSION:
        raise ValueError("unknown anchor format")
    public = keys.get(str(payload.get("key_id")))
    if public is None:
        raise ValueError("signed with a key this portal does not know")
    try:
        public.verify(signature, _canonical(payload))
    except InvalidSignature:
        raise ValueError("signature does not match: the line was altered") from None
    return Anchor(
        head_id=int(payload["head_id"]),
        head_hash=str(payload["head_hash"]),
        start_id=int(payload["start_id"]),
        entries=int(payload["entries"]),
        signed_at=datetime.fromisoformat(payload["signed_at"]),
        reason=str(payload["reason"]),
        key_id=str(payload["key_id"]),
    )


def anchor_dir() -> Path:
    return Path(app_settings.DIR)


def anchor_file_path() -> Path:
    return anchor_dir() / ANCHOR_FILE_NAME


def read_anchors(path: Path | None = None) -> AnchorFile:
    """The anchor with the highest entry number in ``path``, and every line that is not valid.

    The head only ever moves forward, so the highest anchored entry is the latest.
    """
    path = Path(path) if path is not None else anchor_file_path()
    if not path.is_file():
        return AnchorFile(latest=None)
    keys = verification_keys()
    latest: Anchor | None = None
    invalid: list[tuple[int, str]] = []
    count = 0
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                anchor = parse_anchor_line(line, keys)
            except ValueError as error:
                invalid.append((number, str(error)))
                continue
            count += 1
            if latest is None or anchor.head_id >= latest.head_id:
                latest = anchor
    return AnchorFile(latest=latest, invalid=tuple(invalid), count=count)


# --- Comparing the database with an anchor ------------------------------------


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"entry #{first} missing"
    return f"entries #{first} to #{last} missing ({last - first + 1} entries)"


def anchor_problems(anchor: Anchor) -> list[tuple[int | None, str]]:
    """What the database lost or changed since ``anchor`` was signed (empty when none)."""
    head = AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).first()
    head_id = head.last_id if head else 0
    last_present = AuditEntry.objects.aggregate(last=Max("id"))["last"] or 0
    checkpoint = AuditCheckpoint.objects.order_by("-through_id").first()
    purged_through = checkpoint.through_id if checkpoint else 0
    signed = f"the anchor of {anchor.when}"
    if anchor.head_id == 0:
        return []
    if purged_through >= anchor.head_id:
        if purged_through == anchor.head_id and checkpoint.through_hash != anchor.head_hash:
            return [(anchor.head_id, f"entry #{anchor.head_id} was rewritten before its purge")]
        return []  # purged since, through a checkpoint the chain verifies
    if last_present == 0:
        first = max(anchor.start_id, purged_through + 1)
        return [
            (
                first,
                f"audit log truncated: {signed} signs entries #{anchor.start_id} to "
                f"#{anchor.head_id} ({anchor.entries} entries); the database holds none: "
                + _missing(first, anchor.head_id),
            )
        ]
    if head_id < anchor.head_id:
        lost = ""
        if last_present < anchor.head_id:
            lost = ": " + _missing(max(last_present, purged_through) + 1, anchor.head_id)
        return [
            (
                head_id + 1,
                f"chain head rewound: {signed} signs entry #{anchor.head_id}, the chain head "
                f"now names #{head_id}{lost}",
            )
        ]
    stored = AuditEntry.objects.filter(id=anchor.head_id).values_list("hash", flat=True).first()
    if stored is None:
        return [(anchor.head_id, f"entry #{anchor.head_id}, signed in {signed}, is missing")]
    if stored != anchor.head_hash:
        return [
            (
                anchor.head_id,
                f"entry #{anchor.head_id} no longer has the hash signed in {signed}: "
                f"the chain was rewritten at or before #{anchor.head_id}",
            )
        ]
    return []


# --- Writing an anchor --------------------------------------------------------


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def audit_anchor_write(*, reason: str) -> Anchor:
    """Sign the current chain head and write it to the log stream and the anchor file.

    Refuses (``AnchorRefused``, logged as an error) when the database no longer
    holds what the latest anchor signed: signing over the damage would hide it.
    """
    key = signing_key()
    previous = read_anchors().latest
    if previous is not None:
        problems = anchor_problems(previous)
        if problems:
            logger.error(
                "Audit log BROKEN: no anchor signed over it: %s",
                "; ".join(reason for _id, reason in problems),
            )
            raise AnchorRefused(problems[0][1])
    with transaction.atomic():
        head = AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).first()
        head_id = head.last_id if head else 0
        head_hash = head.last_hash if head else "0" * 64
        checkpoint = AuditCheckpoint.objects.order_by("-through_id").first()
        start_id = checkpoint.through_id + 1 if checkpoint else 1
        entries = AuditEntry.objects.filter(id__gte=start_id, id__lte=head_id).count()
    anchor = Anchor(
        head_id=head_id,
        head_hash=head_hash,
        start_id=start_id,
        entries=entries,
        signed_at=datetime.now(UTC),
        reason=reason,
        key_id=key_id_of(key.public_key()),
    )
    line = anchor_line(anchor, key)
    _append(anchor_file_path(), line)
    logger.info("%s%s", LOG_PREFIX, line)
    recipients = list(app_settings.MAIL_TO)
    if recipients:
        try:
            send_mail(
                f"Audit anchor #{head_id}",
                f"{line}\n",
                None,
                recipients,
            )
        except Exception:  # the anchor is written; a mail relay down must not undo it
            logger.warning("Audit anchor #%s written; mailing it failed.", head_id)
    return anchor


def audit_anchor_after_commit(*, reason: str) -> None:
    """Anchor once the caller's transaction commits (after a purge)."""

    def write() -> None:
        try:
            audit_anchor_write(reason=reason)
        except (AnchorRefused, AnchorKeyError, OSError) as error:
            logger.error("Audit anchor not written after %s: %s", reason, error)

    transaction.on_commit(write)


# --- The last verified point (incremental verification) ------------------------

VERIFIED_FILE_NAME = "audit-verified.jsonl"
VERIFIED_REASON = "verified"


def verified_file_path() -> Path:
    return anchor_dir() / VERIFIED_FILE_NAME


def audit_verified_read() -> Anchor | None:
    """The last head ``verify_audit_log`` found intact, as it signed it (None: walk it all).

    Kept beside the anchors, out of the database's reach, signed with the anchor
    key: a line altered, or signed with an unknown key, is not trusted and the
    next verification walks the whole chain.
    """
    try:
        verified = read_anchors(verified_file_path())
    except AnchorKeyError:
        return None
    if verified.invalid or verified.latest is None:
        return None
    return verified.latest if verified.latest.reason == VERIFIED_REASON else None


def audit_verified_write(*, head_id: int, head_hash: str, start_id: int) -> Anchor | None:
    """Sign the head a verification found intact: where the next one starts.

    Nothing is written without a signing key (every verification then walks it all).
    """
    if head_id == 0 or not app_settings.SIGNING_KEY:
        return None
    key = signing_key()
    anchor = Anchor(
        head_id=head_id,
        head_hash=head_hash,
        start_id=start_id,
        entries=head_id - start_id + 1,
        signed_at=datetime.now(UTC),
        reason=VERIFIED_REASON,
        key_id=key_id_of(key.public_key()),
    )
    _append(verified_file_path(), anchor_line(anchor, key))
    return anchor
