"""The purge lock on real Redis: a holder killed with SIGKILL does not block the next run.

A heartbeat keeps the lock while its holder lives; killed, the holder stops
renewing and the lock lapses within one lease (90 s by default; 3 s here). On
the same machine the rerun does not even wait. The one turned away is told
who holds the lock, since when and when to retry.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from privacy.models import RetentionRun
from privacy.retention.api import RetentionPurgeBusy
from privacy.retention.engine import purge_lock, purge_lock_holder
from tests.factories import VisitFactory, days_ago
from tests.retentionapp.models import Visit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (real Redis)"),
]

ROOT = Path(__file__).resolve().parents[2]
LEASE = 3

HOLDER = textwrap.dedent(
    """
    import sys, time, django
    django.setup()
    from django.test import override_settings
    override_settings(CACHES={caches!r}, PRIVACY_LOCK_LEASE_SECONDS={lease}).enable()
    from privacy.retention import lease
    if {elsewhere!r}:
        lease._this_host = lambda: "another-machine/0"
    from privacy.retention.engine import purge_lock
    with purge_lock():
        print("held", flush=True)
        time.sleep(120)
    """
)


@pytest.fixture
def redis_cache():
    caches = {
        "default": {
            "BACKEND": "aseq_portal.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"requests-lock-test-{uuid.uuid4().hex}",
        },
        "fragments": settings.CACHES["fragments"],
    }
    with override_settings(CACHES=caches, PRIVACY_LOCK_LEASE_SECONDS=LEASE):
        yield caches


def hold_then_kill(caches, *, elsewhere: bool) -> int:
    """A purge process that takes the lock, then dies by SIGKILL (no cleanup at all)."""
    script = HOLDER.format(caches=caches, lease=LEASE, elsewhere=elsewhere)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aseq_portal.settings.test"}
    holder = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    return holder.pid


def test_a_killed_holders_lock_on_another_machine_lapses_within_one_lease(redis_cache):
    pid = hold_then_kill(redis_cache, elsewhere=True)
    killed_at = timezone.now()

    with pytest.raises(RetentionPurgeBusy) as busy, purge_lock():
        pass
    holder = busy.value.holder
    assert (holder.hostname, holder.pid) == ("another-machine", pid)
    assert holder.since <= killed_at
    assert holder.retry_at <= killed_at + timezone.timedelta(seconds=LEASE + 1)

    # The command says who, since when and when to retry, and how to take over.
    with pytest.raises(CommandError) as refused:
        call_command("purge_expired", "--dry-run")
    message = str(refused.value)
    assert "another-machine" in message and str(pid) in message and "--take-over" in message

    deadline = time.monotonic() + LEASE + 2
    while purge_lock_holder() is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    with purge_lock():
        lapsed_after = (timezone.now() - killed_at).total_seconds()
    assert lapsed_after <= LEASE + 2


def test_purge_expired_rerun_at_once_after_sigkill_on_the_same_machine_proceeds(redis_cache):
    VisitFactory(visited_at=days_ago(40))
    hold_then_kill(redis_cache, elsewhere=False)
    assert purge_lock_holder() is not None  # the dead holder's key is still there

    call_command("purge_expired")  # at once: the holder's process is gone

    assert not Visit.objects.exists()
    assert RetentionRun.objects.get().status == RetentionRun.Status.FINISHED


def test_a_live_holder_keeps_its_lock_past_the_lease_by_its_heartbeat(redis_cache):
    with purge_lock():
        time.sleep(LEASE + 1.5)
        holder = purge_lock_holder()
        assert holder is not None and holder.pid == os.getpid()
        with pytest.raises(RetentionPurgeBusy), purge_lock():
            pass
    assert purge_lock_holder() is None


def test_an_operator_takes_over_a_lock_and_the_audit_log_says_so(redis_cache):
    from privacy.audit.models import AuditEntry

    hold_then_kill(redis_cache, elsewhere=True)
    call_command("purge_expired", "--dry-run", "--take-over")
    entry = AuditEntry.objects.get(action="lock.taken_over")
    assert entry.metadata["previous_host"] == "another-machine"
    assert entry.metadata["reason"] == "operator"
