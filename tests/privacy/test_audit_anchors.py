"""Signed anchors of the audit chain: on every database, what the chain alone cannot see."""

import base64
import json
import logging
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from privacy.audit.anchors import (
    LOG_PREFIX,
    AnchorKeyError,
    anchor_file_path,
    audit_anchor_write,
    parse_signing_key,
    read_anchors,
)
from privacy.audit.chain import audit_purge, audit_record, audit_verify
from privacy.audit.checks import audit_anchor_check
from privacy.audit.models import AuditChainHead, AuditEntry
from privacy.audit.tasks import audit_anchor
from privacy.kernel.keys import local_anchor_key

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def record(n: int) -> list[AuditEntry]:
    with transaction.atomic():
        return [audit_record(action="test.event") for _ in range(n)]


def insider(statement: str, params=()) -> None:
    """Raw SQL past the models (on PostgreSQL: a superuser with triggers off)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL ROLE NONE")
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(statement, params)


def test_the_beat_task_signs_the_head_into_the_file_and_the_log(caplog, settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["privacy-audit-anchor"]
    assert schedule["task"] == audit_anchor.name == "privacy.audit_anchor"
    assert schedule["schedule"].total_seconds() == settings.AUDIT_ANCHOR_INTERVAL_MINUTES * 60
    assert "privacy.audit.tasks" in settings.CELERY_IMPORTS  # the worker loads the task
    entries = record(3)
    with caplog.at_level(logging.INFO, logger="privacy.audit.anchor"):
        assert audit_anchor.delay().get() == entries[-1].id
    anchor = read_anchors().latest
    assert (anchor.head_id, anchor.head_hash, anchor.entries, anchor.start_id) == (
        entries[-1].id,
        entries[-1].hash,
        3,
        entries[0].id,
    )
    assert anchor.reason == "interval"
    (line,) = [r.getMessage() for r in caplog.records if r.getMessage().startswith(LOG_PREFIX)]
    # A line copied from the log stream verifies like the file.
    copy = anchor_file_path().with_name("from-the-log.txt")
    copy.write_text(f"2026-12-04 03:00:00 INFO privacy.audit.anchor {line}\n")
    assert read_anchors(copy).latest == anchor


def test_the_anchor_file_is_private_and_only_appended_to():
    record(1)
    audit_anchor_write(reason="interval")
    record(1)
    audit_anchor_write(reason="interval")
    path = anchor_file_path()
    assert path.stat().st_mode & 0o777 == 0o600
    assert read_anchors().count == 2
    assert read_anchors().latest.head_id == AuditChainHead.objects.get().last_id


def test_truncation_is_named_against_the_anchor_on_any_database():
    entries = record(4)
    audit_anchor_write(reason="interval")
    insider("DELETE FROM privacy_auditentry")
    insider("DELETE FROM privacy_auditchainhead")
    assert audit_verify().ok  # an empty log holds together
    with pytest.raises(CommandError, match="audit log truncated") as broken:
        call_command("verify_audit_log")
    assert broken.value.returncode == 1
    assert f"entries #{entries[0].id} to #{entries[-1].id} missing" in str(broken.value)
    # The chain alone (--no-anchor) cannot see it.
    call_command("verify_audit_log", "--no-anchor")


def test_verify_reads_an_anchor_file_given_to_it(tmp_path, capsys):
    record(2)
    audit_anchor_write(reason="interval")
    kept = tmp_path / "copy-from-backups.jsonl"
    kept.write_text(anchor_file_path().read_text())
    anchor_file_path().unlink()
    call_command("verify_audit_log", "--anchor-file", str(kept))
    assert "Matches the latest signed anchor" in capsys.readouterr().out
    with pytest.raises(CommandError, match="No signed anchor") as missing:
        call_command("verify_audit_log", "--anchor-file", str(tmp_path / "none.jsonl"))
    assert missing.value.returncode == 2


def test_an_anchor_signed_with_another_key_is_named(settings):
    record(1)
    audit_anchor_write(reason="interval")
    settings.AUDIT_ANCHOR_SIGNING_KEY = base64.b64encode(b"k" * 32).decode()
    with pytest.raises(CommandError, match="key this portal does not know"):
        call_command("verify_audit_log")
    # Listing the old public key keeps older anchors verifiable.
    call_command("anchor_audit_log", "--print-public-key")
    old = parse_signing_key("dGVzdC1vbmx5LWF1ZGl0LWFuY2hvci1rZXktMDAwMDE=").public_key()
    settings.AUDIT_ANCHOR_VERIFY_KEYS = [base64.b64encode(old.public_bytes_raw()).decode()]
    call_command("verify_audit_log")


def test_without_an_anchor_verify_says_what_it_cannot_see(capsys):
    record(1)
    call_command("verify_audit_log")
    captured = capsys.readouterr()
    assert "Audit log intact" in captured.out
    assert "cannot see a truncation" in captured.err


def test_anchors_are_mailed_when_asked(settings):
    settings.AUDIT_ANCHOR_MAIL_TO = ["privacy@example.org"]
    record(1)
    audit_anchor_write(reason="interval")
    (message,) = mail.outbox
    assert message.to == ["privacy@example.org"]
    assert json.loads(message.body)["anchor"]["head_id"] == AuditChainHead.objects.get().last_id


def test_a_purge_is_anchored_once_it_commits(django_capture_on_commit_callbacks):
    record(3)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit_purge(before=timezone.now() + timedelta(seconds=1))
    anchor = read_anchors().latest
    assert anchor.reason == "purge"
    assert anchor.head_id == AuditChainHead.objects.get().last_id
    call_command("verify_audit_log")


def test_the_signing_key_is_checked(settings):
    with pytest.raises(AnchorKeyError, match="not set"):
        parse_signing_key("")
    with pytest.raises(AnchorKeyError, match="16 bytes"):
        parse_signing_key(base64.b64encode(b"x" * 16).decode())
    settings.AUDIT_ANCHOR_SIGNING_KEY = "not base64!"
    assert [error.id for error in audit_anchor_check()] == ["privacy.E040"]
    settings.AUDIT_ANCHOR_SIGNING_KEY = ""
    assert audit_anchor_check() == []  # local and test settings may go without
    settings.PORTAL_ENVIRONMENT = "production"
    assert [error.id for error in audit_anchor_check()] == ["privacy.E040"]
    settings.AUDIT_ANCHOR_DIR = "relative/path"
    assert "privacy.E041" in [error.id for error in audit_anchor_check()]


def test_the_embedded_default_generates_a_key_once(tmp_path):
    path = tmp_path / "var" / "audit-anchor-key.env"
    first = local_anchor_key(path)
    assert local_anchor_key(path) == first
    assert len(base64.b64decode(first)) == 32
    assert path.stat().st_mode & 0o777 == 0o600


def test_production_without_an_anchor_key_fails_the_deploy_check():
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_IGNORE_DOTENV": "true",
        "DJANGO_SETTINGS_MODULE": "aseq_portal.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "mobile.aseq.ca",
        "DATABASE_URL": "sqlite:////tmp/aseq-anchor-check.sqlite3",
        "REDIS_URL": "redis://127.0.0.1:6379/9",
        "EMAIL_HOST": "smtp.example.org",
        "AUDIT_ANCHOR_DIR": "/srv/aseq-anchors",
        "PRIVACY_ENCRYPTION_KEYS": "k1:" + base64.b64encode(b"e" * 32).decode(),
        "PRIVACY_BLIND_INDEX_KEY": base64.b64encode(b"b" * 32).decode(),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "privacy.E040" in result.stderr + result.stdout
    assert "AUDIT_ANCHOR_SIGNING_KEY is not set" in result.stderr + result.stdout


# --- Incremental verification: from the last head found intact ----------------------


def test_verify_walks_only_what_was_appended_since_the_last_verified_head(capsys):
    first = record(3)
    call_command("verify_audit_log", "--no-anchor")
    assert "3 entries verified;" in capsys.readouterr().out
    later = record(2)
    call_command("verify_audit_log", "--no-anchor")
    out = capsys.readouterr().out
    # The head verified last time (its hash and content again), and the two after it.
    assert f"3 entries verified since #{first[-1].id}" in out
    assert "--full walks the whole chain" in out
    assert f"head #{later[-1].id}:{later[-1].hash}" in out


def test_incremental_verification_finds_an_entry_altered_after_the_verified_head():
    record(3)
    call_command("verify_audit_log", "--no-anchor")
    later = record(3)
    insider("UPDATE privacy_auditentry SET action = 'test.forged' WHERE id = %s", [later[1].id])
    with pytest.raises(CommandError, match=f"BROKEN at entry #{later[1].id}") as broken:
        call_command("verify_audit_log", "--no-anchor")
    assert "its hash does not match" in str(broken.value)


def test_only_full_verification_finds_an_old_entry_altered(capsys):
    entries = record(4)
    call_command("verify_audit_log", "--no-anchor")
    insider("UPDATE privacy_auditentry SET action = 'test.forged' WHERE id = %s", [entries[1].id])
    record(1)
    # Incremental: the altered entry lies before the head verified last time.
    call_command("verify_audit_log", "--no-anchor")
    assert "since #" in capsys.readouterr().out
    with pytest.raises(CommandError, match=f"BROKEN at entry #{entries[1].id}"):
        call_command("verify_audit_log", "--no-anchor", "--full")


def test_the_verified_head_itself_is_checked_again():
    entries = record(3)
    call_command("verify_audit_log", "--no-anchor")
    record(1)
    insider("UPDATE privacy_auditentry SET action = 'test.forged' WHERE id = %s", [entries[-1].id])
    with pytest.raises(CommandError, match=f"BROKEN at entry #{entries[-1].id}"):
        call_command("verify_audit_log", "--no-anchor")


def test_an_altered_verified_file_is_not_trusted(capsys):
    from privacy.audit.anchors import verified_file_path

    entries = record(3)
    call_command("verify_audit_log", "--no-anchor")
    capsys.readouterr()
    path = verified_file_path()
    path.write_text(path.read_text().replace('"head_id": ', '"head_id": 1'))
    insider("UPDATE privacy_auditentry SET action = 'test.forged' WHERE id = %s", [entries[0].id])
    # A line whose signature no longer matches: the whole chain is walked again.
    with pytest.raises(CommandError, match=f"BROKEN at entry #{entries[0].id}"):
        call_command("verify_audit_log", "--no-anchor")


def test_a_purge_past_the_verified_head_starts_at_its_checkpoint():
    old = record(3)
    call_command("verify_audit_log", "--no-anchor")
    record(2)
    audit_purge(before=timezone.now() + timedelta(seconds=1))
    record(1)
    result = audit_verify(since=(old[-1].id, old[-1].hash))
    assert result.ok, result.problems
    assert result.since_id is None  # the checkpoint is past it: walked from there
