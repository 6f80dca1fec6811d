"""Create, open, destroy and re-wrap data keys; a bounded in-process cache of opened keys.

The master keyring is passed in by ``privacy.crypto`` (this concern sits below it).
Opened keys live only in this process's memory (``_cache``), never in a shared
cache nor on disk: at most ``KEYSTORE_CACHE_SIZE`` keys, each for at most
``KEYSTORE_CACHE_SECONDS``, so a key destroyed by another process stops opening
anything here within that time (this process forgets it at once).
"""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date, timedelta

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.utils import timezone

from privacy.kernel.envelope import (
    DATA_KEY_BYTES,
    DecryptionError,
    KeyDestroyed,
    Keyring,
    key_id_of,
    unwrap_data_key,
    wrap_data_key,
)
from privacy.keystore.app_settings import app_settings
from privacy.keystore.models import DataKey
from privacy.keystore.router import KEYSTORE


class _OpenedKeys:
    """Opened keys (by ref) and each person's sealing key: bounded, oldest out first, aged."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_ref: OrderedDict[str, tuple[float, AESGCM]] = OrderedDict()
        self._by_person: OrderedDict[str, tuple[float, str]] = OrderedDict()

    @staticmethod
    def _limits() -> tuple[int, float]:
        return app_settings.CACHE_SIZE, app_settings.CACHE_SECONDS

    def cipher(self, ref: str) -> AESGCM | None:
        """The opened key, if cached and not too old. Runs for every value read: no lock
        (a dict read is atomic); order is by insertion, so the oldest go first."""
        entry = self._by_ref.get(ref)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def sealing_ref(self, person: str) -> str | None:
        with self._lock:
            entry = self._by_person.get(person)
            if entry is None or entry[0] < time.monotonic():
                self._by_person.pop(person, None)
                return None
            self._by_person.move_to_end(person)
            return entry[1]

    def remember(self, *, ref: str, cipher: AESGCM, person: str | None = None) -> None:
        size, seconds = self._limits()
        expires = time.monotonic() + seconds
        with self._lock:
            self._by_ref.pop(ref, None)
            self._by_ref[ref] = (expires, cipher)
            if person is not None:
                self._by_person.pop(person, None)
                self._by_person[person] = (expires, ref)
            for entries in (self._by_ref, self._by_person):
                while len(entries) > max(size, 0):
                    entries.popitem(last=False)

    def forget(self, *, refs: Iterable[str] = (), persons: Iterable[str] = ()) -> None:
        with self._lock:
            for ref in refs:
                self._by_ref.pop(ref, None)
            for person in persons:
                self._by_person.pop(person, None)

    def clear(self) -> None:
        with self._lock:
            self._by_ref.clear()
            self._by_person.clear()

    def __len__(self) -> int:
        return len(self._by_ref)


_cache = _OpenedKeys()


def opened_cipher(ref: str) -> AESGCM | None:
    """The opened data key ``ref`` if this process holds it (the read path's fast lookup)."""
    return _cache.cipher(ref)


def keystore_cache_clear() -> None:
    """Forget every opened key of this process (tests; a settings change)."""
    _cache.clear()


def _person_text(person: object) -> str:
    return str(person if isinstance(person, uuid.UUID) else uuid.UUID(str(person)))


def _open(key: DataKey, ring: Keyring) -> AESGCM:
    if key.wrapped is None:
        raise KeyDestroyed(f"data key {key.ref} was destroyed")
    raw = unwrap_data_key(key.wrapped, person=_person_text(key.person), key_ref=key.ref, ring=ring)
    return AESGCM(raw)


def data_key_for_sealing(person: object, *, ring: Keyring) -> tuple[str, AESGCM]:
    """(ref, cipher) of the person's current data key, created on first use."""
    person_text = _person_text(person)
    ref = _cache.sealing_ref(person_text)
    if ref is not None:
        cipher = _cache.cipher(ref)
        if cipher is not None:
            return ref, cipher
    key = (
        DataKey.objects.using(KEYSTORE)
        .filter(person=person_text, destroyed_at__isnull=True)
        .order_by("-created_at", "id")
        .first()
    )
    if key is None:
        key = data_key_create(person_text, ring=ring)
    cipher = _open(key, ring)
    _cache.remember(ref=key.ref, cipher=cipher, person=person_text)
    return key.ref, cipher


def data_key_create(person: object, *, ring: Keyring) -> DataKey:
    """A fresh data key for ``person``, wrapped under the primary master key."""
    person_text = _person_text(person)
    key = DataKey(person=person_text)
    key.wrapped = wrap_data_key(
        os.urandom(DATA_KEY_BYTES), person=person_text, key_ref=key.ref, ring=ring
    )
    key.save(using=KEYSTORE, force_insert=True)
    _cache.forget(persons=[person_text])
    return key


def data_key_cipher(ref: str, *, ring: Keyring) -> AESGCM:
    """The opened data key ``ref``.

    ``KeyDestroyed`` once destroyed; ``DecryptionError`` when the key store has no such key.
    """
    cipher = _cache.cipher(ref)
    if cipher is not None:
        return cipher
    key = DataKey.objects.using(KEYSTORE).filter(pk=uuid.UUID(hex=ref)).first()
    if key is None:
        raise DecryptionError(
            f"Cannot decrypt: data key {ref} is not in the key store (is the key store "
            "database the one of this main database, or restored from an older backup?)"
        )
    cipher = _open(key, ring)
    _cache.remember(ref=ref, cipher=cipher)
    return cipher


def data_keys_destroy(persons: Iterable[object], *, keep: Iterable[str] = ()) -> int:
    """Destroy every live data key of ``persons``; the number of keys destroyed.

    The wrapped key is overwritten with NULL (the row stays as a dated tombstone).
    ``keep``: refs of keys to leave alive (the fresh key a deletion re-sealed the
    rows kept by law under). Irreversible: every copy of these persons' v2 values,
    backups included, reads as destroyed from now on (once the key store's own
    backups older than today have expired: KEYSTORE_BACKUP_KEEP_DAYS).
    """
    person_texts = sorted({_person_text(p) for p in persons})
    if not person_texts:
        return 0
    keys = DataKey.objects.using(KEYSTORE).filter(
        person__in=person_texts, destroyed_at__isnull=True
    )
    kept = [uuid.UUID(hex=ref) for ref in keep]
    if kept:
        keys = keys.exclude(pk__in=kept)
    refs = [k.hex for k in keys.values_list("id", flat=True)]
    count = keys.update(wrapped=None, destroyed_at=timezone.now())
    _cache.forget(refs=refs, persons=person_texts)
    return count


def data_keys_rewrap(*, ring: Keyring, batch_size: int = 500) -> int:
    """Re-wrap every live data key not under the primary master key; how many were."""
    done = 0
    while True:
        keys = list(
            DataKey.objects.using(KEYSTORE)
            .filter(wrapped__isnull=False)
            .exclude(wrapped__startswith=ring.primary_prefix)
            .order_by("id")[:batch_size]
        )
        if not keys:
            return done
        for key in keys:
            person = _person_text(key.person)
            raw = unwrap_data_key(str(key.wrapped), person=person, key_ref=key.ref, ring=ring)
            DataKey.objects.using(KEYSTORE).filter(pk=key.pk, wrapped=key.wrapped).update(
                wrapped=wrap_data_key(raw, person=person, key_ref=key.ref, ring=ring)
            )
            done += 1


def data_keys_by_master_key() -> dict[str, int]:
    """Live data keys per id of the master key that wraps them (rotation's remaining count)."""
    counts: dict[str, int] = {}
    wrapped = DataKey.objects.using(KEYSTORE).filter(wrapped__isnull=False)
    for token in wrapped.values_list("wrapped", flat=True).iterator(chunk_size=2000):
        try:
            key_id = key_id_of(str(token))
        except DecryptionError:
            key_id = "?"
        counts[key_id] = counts.get(key_id, 0) + 1
    return counts


def backups_cleared_on(carried_out: date) -> date:
    """The day by which no backup can bring back a deletion carried out on ``carried_out``.

    The last key store backup holding the destroyed key was taken at most the night
    before; ops/backup-keystore deletes backups older than KEYSTORE_BACKUP_KEEP_DAYS
    full days (``find -mtime +N``: from N + 1 days of age) at its nightly run, so that
    backup is gone N + 2 days after the deletion at the latest.
    """
    return carried_out + timedelta(days=app_settings.BACKUP_KEEP_DAYS + 2)


def data_key_counts() -> dict[str, int]:
    """Live and destroyed keys (never the keys themselves)."""
    keys = DataKey.objects.using(KEYSTORE)
    return {
        "live": keys.filter(destroyed_at__isnull=True).count(),
        "destroyed": keys.filter(destroyed_at__isnull=False).count(),
    }
