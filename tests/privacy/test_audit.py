"""The audit log: append-only, hash-chained, verifiable, purged only through a checkpoint."""

import threading
from contextlib import nullcontext
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from privacy import roles
from privacy.audit.chain import (
    AuditError,
    audit_purge,
    audit_record,
    audit_verify,
)
from privacy.audit.models import GENESIS_HASH, AuditLogImmutable
from privacy.models import AuditChainHead, AuditCheckpoint, AuditEntry
from tests import dbroles
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def record(n: int = 1, **kwargs) -> list[AuditEntry]:
    with transaction.atomic():
        return [audit_record(action="test.event", **kwargs) for _ in range(n)]


def raw_sql(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def bypass_trigger() -> None:
    """What someone with database superuser rights could do: disable triggers.

    Under the application role (tests/dbroles.py), the test's transaction goes on
    as the superuser that created the test database.
    """
    if connection.vendor == "postgresql":
        raw_sql("SET LOCAL ROLE NONE")
        raw_sql("SET LOCAL session_replication_role = replica")


def as_owner():
    """The owner's own statements: the triggers refuse them too."""
    return dbroles.as_owner() if connection.vendor == "postgresql" else nullcontext()


def test_entries_have_sequential_ids_and_form_a_chain(member, staff):
    first, second, third = record(3, actor=staff, subject=member)
    assert (second.id, third.id) == (first.id + 1, first.id + 2)
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    head = AuditChainHead.objects.get()
    assert (head.last_id, head.last_hash) == (third.id, third.hash)
    result = audit_verify()
    assert result.ok
    assert result.checked == AuditEntry.objects.count()


def test_first_entry_links_to_the_genesis_hash():
    with as_owner():
        AuditChainHead.objects.all().delete()  # as after a flush: the head is recreated
    (entry,) = record()
    assert entry.id == 1
    assert entry.prev_hash == GENESIS_HASH


def test_an_entry_records_who_what_which_object_about_whom_and_from_where(member, staff):
    staff.groups.add(roles_group(roles.MEMBER_SERVICES))
    request = RequestFactory().get("/admin/", REMOTE_ADDR="203.0.113.77")
    request.user = staff
    with transaction.atomic():
        entry = audit_record(action="admin.view", obj=member, request=request)
    assert entry.actor_id == str(staff.pk)
    assert entry.actor_role == roles.MEMBER_SERVICES
    assert entry.object_type == "members.User"
    assert entry.object_id == str(member.pk)
    # members.User is itself the account (data map subject "").
    assert entry.subject_id == str(member.pk)
    assert entry.ip_prefix == "203.0.113.0"  # truncated to its /24


def test_system_entries_have_no_actor():
    (entry,) = record()
    assert entry.actor_id == ""
    assert entry.actor_role == roles.SYSTEM


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get_or_create(name=name)[0]


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(AuditError, match="transaction"):
        audit_record(action="test.event")
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "metadata",
    [
        {"email": "someone@example.org"},
        {"name": "Marie Tremblay"},
        {"note": "x" * 65},
        {"nested": {"a": 1}},
        {"score": 1.5},
    ],
)
def test_metadata_holds_codes_and_ids_only(metadata):
    with pytest.raises(AuditError), transaction.atomic():
        audit_record(action="test.event", metadata=metadata)


def test_object_ids_are_ids_never_values():
    with pytest.raises(AuditError), transaction.atomic():
        audit_record(action="test.event", object_type="members.User", object_id="a b@c.org")


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm():
    (entry,) = record()
    entry.action = "test.other"
    with pytest.raises(AuditLogImmutable):
        entry.save()
    with pytest.raises(AuditLogImmutable):
        entry.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.filter(pk=entry.pk).update(action="test.other")
    with pytest.raises(AuditLogImmutable):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.event"
    assert audit_verify().ok


@on_postgresql
def test_postgresql_refuses_update_and_delete_on_the_audit_table():
    (entry,) = record()
    with pytest.raises(DatabaseError, match="append-only"), as_owner():
        raw_sql("UPDATE privacy_auditentry SET action = 'test.other' WHERE id = %s", [entry.id])
    with pytest.raises(DatabaseError, match="append-only"), as_owner():
        raw_sql("DELETE FROM privacy_auditentry WHERE id = %s", [entry.id])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.event"


def test_editing_an_audit_row_breaks_verify_audit_log(capsys):
    entries = record(5)
    call_command("verify_audit_log")
    assert "intact" in capsys.readouterr().out

    with transaction.atomic():
        bypass_trigger()
        raw_sql("UPDATE privacy_auditentry SET object_id = 'edited' WHERE id = %s", [entries[2].id])
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_id == entries[2].id
    # An entry before the head verified last time: --full walks back to it
    # (test_audit_anchors: the incremental run checks what came after).
    with pytest.raises(CommandError, match=f"#{entries[2].id}") as broken:
        call_command("verify_audit_log", "--full")
    assert broken.value.returncode == 1


def test_recomputing_an_edited_entrys_hash_breaks_the_next_link():
    entries = record(4)
    target = entries[1]
    from privacy.audit.chain import entry_hash

    forged = entry_hash(
        id=target.id,
        created_at=target.created_at,
        actor_id=target.actor_id,
        actor_role=target.actor_role,
        action="test.forged",
        object_type=target.object_type,
        object_id=target.object_id,
        subject_id=target.subject_id,
        ip_prefix=target.ip_prefix,
        metadata=target.metadata,
        prev_hash=target.prev_hash,
    )
    with transaction.atomic():
        bypass_trigger()
        raw_sql(
            "UPDATE privacy_auditentry SET action = 'test.forged', hash = %s WHERE id = %s",
            [forged, target.id],
        )
    result = audit_verify()
    assert result.first_broken_id == entries[2].id
    assert "previous entry" in result.reason


def test_deleting_a_row_in_the_middle_or_at_the_end_is_detected():
    entries = record(5)
    with transaction.atomic():
        bypass_trigger()
        raw_sql("DELETE FROM privacy_auditentry WHERE id = %s", [entries[4].id])
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_id == entries[4].id

    with transaction.atomic():
        bypass_trigger()
        raw_sql("DELETE FROM privacy_auditentry WHERE id = %s", [entries[1].id])
    assert audit_verify().first_broken_id == entries[2].id


def test_purge_removes_old_entries_and_the_chain_still_verifies():
    old = record(3)
    cutoff = timezone.now()
    recent = record(2)
    with transaction.atomic():
        result = audit_purge(before=cutoff)
    assert result.removed == 3
    assert result.through_id == old[-1].id
    assert not AuditEntry.objects.filter(id__lte=old[-1].id).exists()
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.through_id, checkpoint.through_hash) == (old[-1].id, old[-1].hash)
    # The purge is itself in the chain, after the entries it kept.
    purge_entry = AuditEntry.objects.order_by("-id").first()
    assert purge_entry.action == "audit.purge"
    assert purge_entry.prev_hash == recent[-1].hash
    assert audit_verify().ok
    # More entries and a second purge still verify.
    record(2)
    with transaction.atomic():
        audit_purge(before=timezone.now())
    assert audit_verify().ok


def test_a_forged_checkpoint_is_detected():
    record(3)
    cutoff = timezone.now()
    record(1)
    with transaction.atomic():
        audit_purge(before=cutoff)
    with transaction.atomic():
        bypass_trigger()
        raw_sql("UPDATE privacy_auditentry SET metadata = '{}' WHERE action = 'audit.purge'")
    assert not audit_verify().ok


def test_checkpoints_cannot_be_changed_or_removed_through_the_orm():
    record(2)
    with transaction.atomic():
        audit_purge(before=timezone.now() + timedelta(seconds=1))
    checkpoint = AuditCheckpoint.objects.get()
    with pytest.raises(AuditLogImmutable):
        checkpoint.delete()
    with pytest.raises(AuditLogImmutable):
        AuditCheckpoint.objects.all().delete()
    with pytest.raises(AuditLogImmutable):
        AuditCheckpoint.objects.update(removed_count=0)


@on_postgresql
def test_postgresql_lets_only_the_purge_path_delete():
    record(2)
    cutoff = timezone.now()
    with pytest.raises(DatabaseError, match="append-only"), as_owner():
        raw_sql("DELETE FROM privacy_auditentry")
    with transaction.atomic():
        assert audit_purge(before=cutoff).removed == 2
    # The permission was transaction-local: it does not outlive the purge.
    with pytest.raises(DatabaseError, match="append-only"), as_owner():
        raw_sql("DELETE FROM privacy_auditentry")
    with pytest.raises(DatabaseError, match="append-only"), as_owner():
        raw_sql("DELETE FROM privacy_auditcheckpoint")


def test_purge_command_removes_entries_older_than_the_window(capsys, monkeypatch):
    with monkeypatch.context() as past:
        long_ago = timezone.now() - timedelta(days=400)
        past.setattr(timezone, "now", lambda: long_ago)
        old = record(2)
    recent = record(1)
    call_command("purge_audit_log", "--older-than-days", "365", "--dry-run")
    assert "Would remove 2" in capsys.readouterr().out
    assert AuditEntry.objects.count() == 3

    call_command("purge_audit_log", "--older-than-days", "365")
    assert "Removed 2" in capsys.readouterr().out
    assert not AuditEntry.objects.filter(id__in=[entry.id for entry in old]).exists()
    assert AuditEntry.objects.filter(id=recent[0].id).exists()
    call_command("verify_audit_log")
    assert "intact" in capsys.readouterr().out


def test_purge_command_refuses_a_broken_chain():
    entries = record(3)
    with transaction.atomic():
        bypass_trigger()
        raw_sql("UPDATE privacy_auditentry SET action = 'x.y' WHERE id = %s", [entries[0].id])
    with pytest.raises(CommandError, match="broken"):
        call_command("purge_audit_log", "--older-than-days", "1")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
def test_concurrent_appends_queue_and_keep_one_chain():
    errors = []

    def append(count):
        try:
            for _ in range(count):
                with transaction.atomic():
                    audit_record(action="test.concurrent")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(25,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEntry.objects.count() == 100
    assert audit_verify().ok


def test_role_of_records_the_role_not_the_person(member):
    assert roles.role_of(member) == roles.MEMBER
    superuser = StaffFactory(is_superuser=True)
    assert roles.role_of(superuser) == roles.SUPERUSER
    staff = StaffFactory()
    assert roles.role_of(staff) == roles.STAFF
    staff.groups.add(roles_group(roles.OPERATOR))
    assert roles.role_of(staff) == roles.OPERATOR
    assert roles.role_of(None) == roles.SYSTEM
    assert roles.role_of(UserFactory()) == roles.MEMBER


def test_an_anchor_kept_outside_catches_a_rewritten_chain(capsys):
    entries = record(3)
    call_command("verify_audit_log")
    head = capsys.readouterr().out.split("head #")[1].split()[0]
    assert head == f"{entries[-1].id}:{entries[-1].hash}"
    call_command("verify_audit_log", "--anchor", head)

    # Someone rewrites the last entry and re-seals the chain head consistently.
    from privacy.audit.chain import entry_hash

    last = entries[-1]
    fields = {
        name: getattr(last, name)
        for name in (
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
    }
    forged = entry_hash(**{**fields, "action": "test.forged"})
    with transaction.atomic():
        bypass_trigger()
        raw_sql(
            "UPDATE privacy_auditentry SET action = 'test.forged', hash = %s WHERE id = %s",
            [forged, last.id],
        )
        raw_sql("UPDATE privacy_auditchainhead SET last_hash = %s", [forged])
    assert audit_verify().ok  # the chain alone cannot tell
    with pytest.raises(CommandError, match=f"#{last.id}") as broken:
        call_command("verify_audit_log", "--anchor", head)
    assert broken.value.returncode == 1
