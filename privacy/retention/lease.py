"""A lock for long operator tasks that lapses soon after its holder dies.

The lock is a cache key (Redis in production) holding who took it (host and
process id), since when, and its last heartbeat. While the holder lives, a
heartbeat thread renews it every third of ``PRIVACY_LOCK_LEASE_SECONDS``
(and the task renews it after every batch); a holder killed with ``kill -9``
stops renewing and the key expires within one lease (90 s by default). On the
same machine a rerun does not even wait: a holder whose process is gone is
recognised and replaced at once.

The task that finds the lock taken says who holds it, since when, and when to
retry. ``manage.py purge_expired --take-over`` replaces a lock whose holder an
operator knows is gone (a hung process, another host that died): the old
holder, if it comes back, finds the lock is no longer its own and stops
between batches. Each takeover is written to the audit log.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from privacy.audit.chain import audit_record
from privacy.retention.app_settings import app_settings

logger = logging.getLogger(__name__)


def lease_seconds() -> int:
    return int(app_settings.LOCK_LEASE_SECONDS)


def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as boot:
            return boot.read().strip()
    except OSError:
        return ""


def _this_host() -> str:
    return f"{socket.gethostname()}/{_boot_id()}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


@dataclass(frozen=True)
class Holder:
    """Who holds a lock: never a person, only a machine and a process."""

    token: str
    host: str
    pid: int
    since: datetime
    beat: datetime

    @property
    def hostname(self) -> str:
        return self.host.split("/", 1)[0]

    @property
    def retry_at(self) -> datetime:
        """When the lock lapses if its holder has stopped beating now."""
        return self.beat + timedelta(seconds=lease_seconds())

    def gone(self) -> bool:
        """True when the holder ran on this machine and its process no longer exists."""
        return self.host == _this_host() and not _process_alive(self.pid)

    def dump(self) -> str:
        return json.dumps(
            {
                "token": self.token,
                "host": self.host,
                "pid": self.pid,
                "since": self.since.isoformat(),
                "beat": self.beat.isoformat(),
            }
        )

    @classmethod
    def load(cls, raw) -> Holder | None:
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return cls(
                token=data["token"],
                host=data["host"],
                pid=int(data["pid"]),
                since=datetime.fromisoformat(data["since"]),
                beat=datetime.fromisoformat(data["beat"]),
            )
        except (ValueError, KeyError, TypeError):
            # An old-style token from before heartbeats: treat as held, since now.
            now = timezone.now()
            return cls(token=str(raw), host="?", pid=0, since=now, beat=now)


class LeaseBusy(Exception):
    """The lock is held by a live holder: ``holder`` says who, since when, when to retry."""

    def __init__(self, holder: Holder):
        super().__init__(holder.hostname)
        self.holder = holder


class LeaseLost(Exception):
    """The lock was taken over while we held it: stop between batches."""


def lease_holder(key: str) -> Holder | None:
    return Holder.load(cache.get(key))


def _write(key: str, holder: Holder) -> None:
    # The key outlives the lease by nothing: a dead holder's lock is gone after it.
    cache.set(key, holder.dump(), lease_seconds())


def _acquire(key: str, *, take_over: bool) -> Holder:
    now = timezone.now()
    mine = Holder(uuid.uuid4().hex, _this_host(), os.getpid(), now, now)
    if cache.add(key, mine.dump(), lease_seconds()):
        return mine
    current = lease_holder(key)
    if current is None:  # lapsed between the two calls
        if cache.add(key, mine.dump(), lease_seconds()):
            return mine
        current = lease_holder(key) or mine
    if not (take_over or current.gone()):
        raise LeaseBusy(current)
    _write(key, mine)
    with transaction.atomic():
        _audit_takeover(key, current, take_over)
    return mine


def _audit_takeover(key: str, current: Holder, take_over: bool) -> None:
    audit_record(
        action="lock.taken_over",
        metadata={
            "key": key,
            "previous_host": re.sub(r"[^A-Za-z0-9_.:\-]", "-", current.hostname)[:64],
            "previous_pid": current.pid,
            "previous_since": int(current.since.timestamp()),
            "reason": "operator" if take_over else "holder_gone",
        },
    )


def _renew(key: str, mine: Holder) -> Holder:
    current = lease_holder(key)
    if current is not None and current.token != mine.token:
        raise LeaseLost(key)
    renewed = Holder(mine.token, mine.host, mine.pid, mine.since, timezone.now())
    _write(key, renewed)
    return renewed


@contextmanager
def lease(key: str, *, take_over: bool = False) -> Iterator:
    """Hold ``key`` for the block; yields a callable that renews it (and raises LeaseLost)."""
    state = {"mine": _acquire(key, take_over=take_over)}
    stop = threading.Event()
    lock = threading.Lock()

    def renew() -> None:
        with lock:
            state["mine"] = _renew(key, state["mine"])

    def heartbeat() -> None:
        while not stop.wait(max(lease_seconds() / 3, 0.2)):
            try:
                renew()
            except LeaseLost:
                return
            except Exception:  # the cache is briefly away: the next beat tries again
                logger.warning("Lock %s: heartbeat failed; retrying at the next beat.", key)

    beating = threading.Thread(target=heartbeat, name=f"lease:{key}", daemon=True)
    beating.start()
    try:
        yield renew
    finally:
        stop.set()
        beating.join(timeout=5)
        current = lease_holder(key)
        if current is not None and current.token == state["mine"].token:
            cache.delete(key)
