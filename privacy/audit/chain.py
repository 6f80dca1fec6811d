"""The audit log: append-only, tamper-evident, never holding a personal value.

``audit_record`` appends one entry, inside the caller's transaction, so an
action and its audit row commit or roll back together. Each entry's hash
covers its content and the previous entry's hash (a SHA-256 chain);
``audit_verify`` walks the chain and reports the first broken link.
``audit_purge`` is the only way old entries leave: it records a checkpoint
(the id and hash of the last entry removed) so the chain stays verifiable.

Entries name objects by type and id, never by value: metadata holds codes and
ids only (validated), and the network address is truncated (IPv4 /24, IPv6 /48).

Why one module past 400 lines: hashing, appending, verifying and purging share the
chain's exact byte format; apart, a change to one could silently break another.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from privacy.audit.anchors import audit_anchor_after_commit
from privacy.audit.models import (
    CHAIN_HEAD_PK,
    GENESIS_HASH,
    AuditChainHead,
    AuditCheckpoint,
    AuditEntry,
    purge_in_progress,
)
from privacy.datamap.registry import declaration_for
from privacy.ip import request_ip
from privacy.roles import role_of

# Action codes written by privacy itself; other apps use their own
# "<concept>.<verb>" codes (e.g. "privacy_request.transition").
ADMIN_VIEW = "admin.view"
ADMIN_ADD = "admin.add"
ADMIN_CHANGE = "admin.change"
ADMIN_DELETE = "admin.delete"
ADMIN_REVEAL = "admin.reveal"
ADMIN_EXPORT = "admin.export"
AUDIT_PURGE = "audit.purge"
STAFF_DOCUMENT_ACCEPT = "staff_document.accept"
DISCLOSURE_RECORD = "disclosure.record"

# The actions a member sees in "who on staff looked at my file".
STAFF_ACCESS_ACTIONS = (ADMIN_VIEW, ADMIN_REVEAL, ADMIN_CHANGE)

ACTION_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
OBJECT_TYPE_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
# Metadata strings are codes and ids: no spaces, no "@", short.
METADATA_STRING_PATTERN = re.compile(r"^[A-Za-z0-9_.:\-]{0,64}$")
METADATA_MAX_KEYS = 12


class AuditError(Exception):
    """An audit entry was asked for in a way that could leak or break the chain."""


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    # The first entry whose link does not hold (or the first one missing).
    first_broken_id: int | None = None
    reason: str = ""
    head_id: int = 0
    head_hash: str = GENESIS_HASH
    # Every damage found (entry id or None, what is wrong), the first one first.
    problems: tuple[tuple[int | None, str], ...] = ()
    # Where the chain starts: 1, or the entry after the last purge checkpoint.
    start_id: int = 1
    # Where this walk started when incremental (an entry verified earlier), else None.
    since_id: int | None = None


@dataclass(frozen=True)
class PurgeResult:
    removed: int
    through_id: int | None
    checkpoint: AuditCheckpoint | None


# What json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False) builds
# on every call, built once: the same bytes, a third less work a verified entry.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    *,
    id: int,
    created_at: datetime,
    actor_id: str,
    actor_role: str,
    action: str,
    object_type: str,
    object_id: str,
    subject_id: str,
    ip_prefix: str,
    metadata: dict,
    prev_hash: str,
) -> str:
    """SHA-256 over a canonical JSON of every column but the hash itself."""
    canonical = _CANONICAL.encode(
        {
            "id": id,
            "created_at": created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": actor_id,
            "actor_role": actor_role,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "subject_id": subject_id,
            "ip_prefix": ip_prefix,
            "metadata": metadata,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _hash_of(entry: AuditEntry) -> str:
    return entry_hash(
        id=entry.id,
        created_at=entry.created_at,
        actor_id=entry.actor_id,
        actor_role=entry.actor_role,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        subject_id=entry.subject_id,
        ip_prefix=entry.ip_prefix,
        metadata=entry.metadata,
        prev_hash=entry.prev_hash,
    )


def _clean_metadata(metadata: dict | None) -> dict:
    metadata = dict(metadata or {})
    if len(metadata) > METADATA_MAX_KEYS:
        raise AuditError("Audit metadata is limited to a few codes and ids.")

    def clean(value, key):
        if value is None or isinstance(value, bool | int):
            return value
        if isinstance(value, str):
            if not METADATA_STRING_PATTERN.match(value):
                raise AuditError(f"Audit metadata {key!r} must be a code or an id.")
            return value
        if isinstance(value, models.Model):
            return str(value.pk)
        raise AuditError(f"Audit metadata {key!r}: codes, ids, numbers or lists of them only.")

    cleaned = {}
    for key, value in metadata.items():
        if not isinstance(key, str) or not METADATA_STRING_PATTERN.match(key):
            raise AuditError("Audit metadata keys are short codes.")
        if isinstance(value, list | tuple):
            if len(value) > 20:
                raise AuditError(f"Audit metadata {key!r}: at most 20 items.")
            cleaned[key] = [clean(item, key) for item in value]
        else:
            cleaned[key] = clean(value, key)
    return cleaned


def subject_of(obj: models.Model) -> str:
    """The account an object is about, through its data map ``subject`` path ("" if none)."""
    declaration = declaration_for(type(obj))
    if declaration is None or declaration.subject is None:
        return ""
    if declaration.subject == "":
        return str(obj.pk)
    current = obj
    parts = declaration.subject.split("__")
    for index, part in enumerate(parts):
        field = current._meta.get_field(part)
        last = index == len(parts) - 1
        if last and field.is_relation and getattr(field, "concrete", False):
            # The foreign key's own column: no query needed.
            value = getattr(current, field.attname)
            return "" if value is None else str(value)
        current = getattr(current, part)
        if current is None:
            return ""
    return str(current.pk)


def _lock_chain_head() -> AuditChainHead:
    """Lock the head row so concurrent appends queue instead of forking the chain."""
    if connection.vendor == "sqlite":
        # SQLite has no row locks: a write first takes the database write lock
        # before anything is read (a read-then-write would fail under contention).
        AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).update(last_id=F("last_id"))
    head = AuditChainHead.objects.select_for_update().filter(pk=CHAIN_HEAD_PK).first()
    if head is None:  # only after a flush: the migration creates the row
        AuditChainHead.objects.get_or_create(pk=CHAIN_HEAD_PK)
        head = AuditChainHead.objects.select_for_update().get(pk=CHAIN_HEAD_PK)
    return head


def audit_record(
    *,
    action: str,
    actor=None,
    obj=None,
    object_type: str | None = None,
    object_id: str | None = None,
    subject=None,
    request=None,
    metadata: dict | None = None,
) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the action it records.

    ``actor`` defaults to the request's signed-in user; ``subject`` (an account
    or its id) defaults to the account ``obj`` is about, per the data map.
    """
    if not connection.in_atomic_block:
        raise AuditError("audit_record must run inside the caller's transaction.")
    if not ACTION_PATTERN.match(action) or len(action) > 64:
        raise AuditError(f"Invalid audit action code {action!r}.")
    if obj is not None:
        if object_type is not None or object_id is not None:
            raise AuditError("Pass obj, or object_type and object_id, not both.")
        object_type, object_id = obj._meta.label, str(obj.pk)
    object_type = object_type or ""
    object_id = "" if object_id is None else str(object_id)
    if object_type and not OBJECT_TYPE_PATTERN.match(object_type):
        raise AuditError("object_type is an 'app_label.Model' label.")
    if not METADATA_STRING_PATTERN.match(object_id):
        raise AuditError("object_id is an id, never a value.")
    request_user = getattr(request, "user", None)
    if actor is None and request_user is not None and request_user.is_authenticated:
        actor = request_user
    if subject is None and obj is not None:
        subject_id = subject_of(obj)
    elif isinstance(subject, models.Model):
        subject_id = str(subject.pk)
    else:
        subject_id = "" if subject is None else str(subject)
    metadata = _clean_metadata(metadata)
    ip_prefix = request_ip(request) if request is not None else ""

    head = _lock_chain_head()
    fields = {
        "id": head.last_id + 1,
        "created_at": timezone.now(),
        "actor_id": "" if actor is None else str(actor.pk),
        "actor_role": role_of(actor),
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "subject_id": subject_id,
        "ip_prefix": ip_prefix,
        "metadata": metadata,
        "prev_hash": head.last_hash,
    }
    entry = AuditEntry(**fields, hash=entry_hash(**fields))
    entry.save()
    AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).update(last_id=entry.id, last_hash=entry.hash)
    return entry


MAX_PROBLEMS = 20


def _missing(first: int, last: int) -> str:
    if first == last:
        return f"entry #{first} missing"
    return f"entries #{first} to #{last} missing ({last - first + 1} entries)"


_HASHED_FIELDS = (
    "id",
    "created_at",
    "actor_id",
    "actor_role",
    "action",
    "object_type",
    "object_id",
    "subject_id",
    "ip_prefix",
    "metadata",
    "prev_hash",
)


def audit_verify(*, since: tuple[int, str] | None = None) -> VerifyResult:
    """Walk the chain from its start (or last checkpoint); name every broken link found.

    ``since`` = (entry id, hash) of a point an earlier run verified (the last
    verified anchor): the walk then starts there, checks that entry still has
    that hash and content, and every entry after it. What lies before is
    trusted to that earlier run; without ``since`` the whole chain is walked.
    A ``since`` the last purge went past is ignored (the walk starts at the
    purge's checkpoint, as without it).
    """
    head = AuditChainHead.objects.filter(pk=CHAIN_HEAD_PK).first()
    head_id = head.last_id if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    checkpoint = AuditCheckpoint.objects.order_by("-through_id").first()
    start_id = checkpoint.through_id + 1 if checkpoint else 1
    expected_id = start_id
    expected_prev: str | None = checkpoint.through_hash if checkpoint else GENESIS_HASH
    since_id, since_hash = since if since is not None and since[0] >= start_id else (None, "")
    if since_id is not None:
        # The verified entry's own link was checked then: only its hash is checked now.
        expected_id, expected_prev = since_id, None
    problems: list[tuple[int | None, str]] = []

    def note(entry_id: int | None, reason: str) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append((entry_id, reason))

    if (
        checkpoint is not None
        and not AuditEntry.objects.filter(
            action=AUDIT_PURGE, metadata__through_id=checkpoint.through_id
        ).exists()
    ):
        note(expected_id, "checkpoint not recorded by a purge entry")

    # Entries appended while we walk are left for the next run. Rows, not model
    # instances: the hash needs the columns only, and this is the whole log on --full.
    entries = AuditEntry.objects.filter(id__lte=head_id).order_by("id")
    if since_id is not None:
        entries = entries.filter(id__gte=since_id)
    checked = 0
    for row in entries.values_list(*_HASHED_FIELDS, "hash").iterator(chunk_size=5000):
        fields = dict(zip(_HASHED_FIELDS, row, strict=False))
        entry_id, stored_hash = row[0], row[-1]
        if entry_id < expected_id:
            note(entry_id, "entry older than the last purge checkpoint")
            continue
        sound = True
        if entry_id > expected_id:
            note(entry_id, _missing(expected_id, entry_id - 1))
            sound = False
        elif expected_prev is None:
            if stored_hash != since_hash:
                note(entry_id, f"entry #{entry_id} no longer has the hash verified earlier")
                sound = False
        elif fields["prev_hash"] != expected_prev:
            note(entry_id, "link to the previous entry does not match")
            sound = False
        if entry_hash(**fields) != stored_hash:
            note(entry_id, "entry altered: its hash does not match")
            sound = False
        if sound and not problems:
            checked += 1
        expected_id = entry_id + 1
        expected_prev = stored_hash
    last_present = expected_id - 1
    if since_id is not None and last_present < since_id:
        note(since_id, f"entry #{since_id}, verified earlier, is missing")
    elif head is None and AuditEntry.objects.exists():
        note(None, "chain head missing")
    elif last_present < head_id:
        note(expected_id, _missing(expected_id, head_id) + f"; the chain head names #{head_id}")
    elif expected_prev is not None and expected_prev != head_hash:
        note(head_id, "chain head does not match the last entry")
    first_id, reason = problems[0] if problems else (None, "")
    return VerifyResult(
        ok=not problems,
        checked=checked,
        first_broken_id=first_id,
        reason=reason,
        head_id=head_id,
        head_hash=head_hash,
        problems=tuple(problems),
        start_id=start_id,
        since_id=since_id,
    )


def audit_anchor_matches(*, entry_id: int, expected_hash: str) -> bool | None:
    """Whether entry #id still has the hash recorded earlier outside the database.

    Catches a rewrite of the whole chain, which the chain alone cannot. None when
    the entry was purged before the last checkpoint and cannot be checked.
    """
    stored = AuditEntry.objects.filter(id=entry_id).values_list("hash", flat=True).first()
    if stored is not None:
        return stored == expected_hash
    checkpoint = AuditCheckpoint.objects.filter(through_id=entry_id).first()
    if checkpoint is not None:
        return checkpoint.through_hash == expected_hash
    purged = AuditCheckpoint.objects.filter(through_id__gt=entry_id).exists()
    return None if purged else False


@transaction.atomic
def audit_purge(*, before: datetime, actor=None) -> PurgeResult:
    """Remove entries older than ``before``, leaving a checkpoint; the only way out.

    The removal itself is recorded as a new entry, so the chain shows it, and
    the chain head is signed into an anchor once the purge commits. On
    PostgreSQL the database does it all in ``privacy_audit_purge``, a function
    owned by the migrating role: the web role can call it, not delete.
    """
    if connection.vendor == "postgresql":
        result = _purge_in_database(before=before, actor=actor)
    else:
        result = _purge_in_python(before=before, actor=actor)
    if result.removed:
        audit_anchor_after_commit(reason="purge")
    return result


def _purge_in_database(*, before: datetime, actor) -> PurgeResult:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT removed, through_id, checkpoint_id FROM privacy_audit_purge(%s, %s, %s)",
            [before, "" if actor is None else str(actor.pk), role_of(actor)],
        )
        removed, through_id, checkpoint_id = cursor.fetchone()
    if not removed:
        return PurgeResult(removed=0, through_id=None, checkpoint=None)
    checkpoint = AuditCheckpoint.objects.get(pk=checkpoint_id)
    return PurgeResult(removed=removed, through_id=through_id, checkpoint=checkpoint)


def _purge_in_python(*, before: datetime, actor) -> PurgeResult:
    """Other databases: the same steps, guarded by the models instead of the database."""
    head = _lock_chain_head()
    through_id = (
        AuditEntry.objects.filter(created_at__lt=before, id__lte=head.last_id)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    if through_id is None:
        return PurgeResult(removed=0, through_id=None, checkpoint=None)
    through_hash = AuditEntry.objects.values_list("hash", flat=True).get(id=through_id)
    token = purge_in_progress.set(True)
    try:
        removed, _detail = AuditEntry.objects.filter(id__lte=through_id).delete()
    finally:
        purge_in_progress.reset(token)
    checkpoint = AuditCheckpoint.objects.create(
        through_id=through_id, through_hash=through_hash, removed_count=removed
    )
    audit_record(
        action=AUDIT_PURGE,
        actor=actor,
        obj=checkpoint,
        metadata={"through_id": through_id, "removed": removed},
    )
    return PurgeResult(removed=removed, through_id=through_id, checkpoint=checkpoint)
