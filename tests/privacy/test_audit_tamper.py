"""The audit log against the application role and a database insider (PostgreSQL).

The attacks run as the application role, the one the web and worker processes
hold (DATABASE_APP_USER, created by .ci/run and granted by
``privacy.audit.database.app_role_grant`` exactly as in production): the
database checks the app role's own privileges and the triggers see it as
``current_user`` (tests/dbroles.py says how the suite switches roles).

What the app role cannot do, an insider with superuser rights can (triggers
off). That damage is what ``verify_audit_log`` must name, against the signed
anchor kept outside the database.
"""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from privacy.audit.anchors import anchor_file_path, audit_anchor_write, read_anchors
from privacy.audit.chain import audit_purge, audit_record, audit_verify, entry_hash
from privacy.audit.database import app_role_grant
from privacy.audit.models import AuditChainHead, AuditCheckpoint, AuditEntry
from tests.dbroles import APP_ROLE, as_app_role, as_insider, as_owner

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and triggers"),
    pytest.mark.skipif(
        not APP_ROLE, reason="DATABASE_APP_USER names the application role (.ci/run creates it)"
    ),
]


@pytest.fixture(scope="session")
def app_role(django_db_setup, django_db_blocker):
    """The production grants, given by the owner to the app role on the test database."""
    with django_db_blocker.unblock(), as_owner():
        app_role_grant(role=APP_ROLE)
    return APP_ROLE


def sql(statement: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def record(n: int) -> list[AuditEntry]:
    with transaction.atomic():
        return [audit_record(action="test.event") for _ in range(n)]


def verify_fails() -> str:
    with pytest.raises(CommandError) as broken:
        call_command("verify_audit_log")
    assert broken.value.returncode == 1
    return str(broken.value)


def test_the_app_role_appends_and_reads_the_log(app_role):
    with as_app_role():
        (entry,) = record(1)
        assert sql("SELECT current_user")[0][0] == APP_ROLE
        assert AuditEntry.objects.filter(id=entry.id).exists()
    assert audit_verify().ok
    # Checkpoints are the purge function's alone.
    with pytest.raises(DatabaseError, match="permission denied"), as_app_role():
        sql(
            "INSERT INTO privacy_auditcheckpoint (created_at, through_id, through_hash, "
            "removed_count) VALUES (now(), 1000000, %s, 0)",
            ["0" * 64],
        )


def test_truncate_is_refused_to_the_app_role_and_an_insiders_is_named(app_role):
    entries = record(4)
    audit_anchor_write(reason="interval")
    for table in ("privacy_auditentry", "privacy_auditcheckpoint", "privacy_auditchainhead"):
        # Without the privilege...
        with pytest.raises(DatabaseError, match="permission denied"), as_app_role():
            sql(f"TRUNCATE {table}")
        # ...and with it granted by mistake, the trigger still refuses.
        with pytest.raises(DatabaseError, match="TRUNCATE refused"), as_owner():
            sql(f'GRANT ALL ON {table} TO "{APP_ROLE}"')
            with as_app_role():
                sql(f"TRUNCATE {table}")
    assert AuditEntry.objects.count() == 4

    with as_insider():
        sql("TRUNCATE privacy_auditentry, privacy_auditcheckpoint, privacy_auditchainhead")
    # The chain alone reads an empty log as intact; the anchor does not.
    assert audit_verify().ok
    message = verify_fails()
    assert "audit log truncated" in message
    assert f"entries #{entries[0].id} to #{entries[-1].id} missing (4 entries)" in message


def test_the_purge_flag_gives_the_app_role_nothing_and_an_insiders_delete_is_named(app_role):
    entries = record(6)
    with pytest.raises(DatabaseError, match="append-only: DELETE refused"), as_owner():
        sql(f'GRANT ALL ON privacy_auditentry TO "{APP_ROLE}"')
        with as_app_role():
            sql("SET LOCAL privacy.audit_purge = 'on'")
            sql("DELETE FROM privacy_auditentry WHERE id = %s", [entries[2].id])
    with pytest.raises(DatabaseError, match="permission denied"), as_app_role():
        sql("SELECT set_config('privacy.audit_purge', 'on', true)")
        sql("DELETE FROM privacy_auditentry")
    assert AuditEntry.objects.count() == 6

    # The owner (the migrating role) with the flag: what the purge function does, by hand.
    with as_owner():
        sql("SET LOCAL privacy.audit_purge = 'on'")
        sql("DELETE FROM privacy_auditentry WHERE id IN (%s, %s)", [entries[2].id, entries[3].id])
    message = verify_fails()
    assert f"#{entries[4].id}" in message
    assert f"entries #{entries[2].id} to #{entries[3].id} missing (2 entries)" in message


def test_tail_deletion_with_a_rewound_head_is_named_against_the_anchor(app_role):
    entries = record(5)
    audit_anchor_write(reason="interval")
    kept = entries[1]
    # The app role cannot move the head back, nor point it at a made-up entry.
    with pytest.raises(DatabaseError, match="only moves forward"), as_app_role():
        sql("UPDATE privacy_auditchainhead SET last_id = %s, last_hash = %s", [kept.id, kept.hash])
    with pytest.raises(DatabaseError, match="must name an entry"), as_app_role():
        sql("UPDATE privacy_auditchainhead SET last_id = last_id + 1, last_hash = %s", ["f" * 64])

    with as_insider():
        sql("DELETE FROM privacy_auditentry WHERE id > %s", [kept.id])
        sql("UPDATE privacy_auditchainhead SET last_id = %s, last_hash = %s", [kept.id, kept.hash])
    assert audit_verify().ok  # the chain alone holds together
    message = verify_fails()
    assert "chain head rewound" in message
    assert f"entries #{entries[2].id} to #{entries[4].id} missing (3 entries)" in message


def test_an_edited_entry_is_named_and_a_rewritten_chain_too(app_role):
    entries = record(4)
    audit_anchor_write(reason="interval")
    with pytest.raises(DatabaseError, match="permission denied"), as_app_role():
        sql("UPDATE privacy_auditentry SET action = 'x.y' WHERE id = %s", [entries[1].id])

    with as_insider():
        sql("UPDATE privacy_auditentry SET subject_id = '42' WHERE id = %s", [entries[1].id])
    message = verify_fails()
    assert f"Audit log BROKEN at entry #{entries[1].id}: entry altered" in message

    # Re-hashing every entry from the edit on, head included, fools the chain, not the anchor.
    with as_insider():
        prev = entries[0].hash
        for entry in AuditEntry.objects.filter(id__gte=entries[1].id).order_by("id"):
            fields = {
                name: getattr(entry, name)
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
                )
            }
            forged = entry_hash(**fields, prev_hash=prev)
            sql(
                "UPDATE privacy_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
                [prev, forged, entry.id],
            )
            prev = forged
        sql("UPDATE privacy_auditchainhead SET last_hash = %s", [prev])
    assert audit_verify().ok
    message = verify_fails()
    assert f"entry #{entries[-1].id} no longer has the hash signed" in message


def test_a_normal_purge_by_the_app_role_leaves_the_log_verifying(
    app_role, monkeypatch, django_capture_on_commit_callbacks, capsys
):
    with monkeypatch.context() as past:
        long_ago = timezone.now() - timedelta(days=400)
        past.setattr(timezone, "now", lambda: long_ago)
        old = record(3)
    recent = record(2)
    audit_anchor_write(reason="interval")
    with as_app_role(), django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        result = audit_purge(before=timezone.now() - timedelta(days=365))
    assert (result.removed, result.through_id) == (3, old[-1].id)
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.through_id, checkpoint.through_hash) == (old[-1].id, old[-1].hash)
    # The database wrote the purge entry: its hash is the one Python computes.
    purge_entry = AuditEntry.objects.order_by("-id").first()
    assert (purge_entry.action, purge_entry.prev_hash) == ("audit.purge", recent[-1].hash)
    assert purge_entry.metadata == {"removed": 3, "through_id": old[-1].id}
    # ...and the purge was anchored once it committed.
    latest = read_anchors().latest
    assert (latest.reason, latest.head_id, latest.start_id) == (
        "purge",
        purge_entry.id,
        old[-1].id + 1,
    )
    assert AuditChainHead.objects.get().last_id == purge_entry.id
    call_command("verify_audit_log")
    out = capsys.readouterr().out
    assert "Audit log intact: 3 entries verified" in out
    assert "Matches the latest signed anchor" in out


def test_a_tampered_anchor_file_is_named(app_role):
    record(2)
    audit_anchor_write(reason="interval")
    path = anchor_file_path()
    path.write_text(path.read_text().replace('"head_id": 2', '"head_id": 1'))
    assert "line 1: signature does not match" in verify_fails()


def test_no_anchor_is_signed_over_a_damaged_log(app_role):
    entries = record(3)
    audit_anchor_write(reason="interval")
    with as_insider():
        sql("DELETE FROM privacy_auditentry WHERE id = %s", [entries[-1].id])
        sql(
            "UPDATE privacy_auditchainhead SET last_id = %s, last_hash = %s",
            [entries[1].id, entries[1].hash],
        )
    with pytest.raises(Exception, match="chain head rewound"):
        audit_anchor_write(reason="interval")
    assert read_anchors().count == 1


def test_drop_is_refused_to_the_app_role_and_to_the_owner_without_saying_so(app_role):
    with pytest.raises(DatabaseError, match="must be owner"), as_app_role():
        sql("DROP TABLE privacy_auditcheckpoint")
    if not sql("SELECT 1 FROM pg_event_trigger WHERE evtname = 'privacy_audit_refuse_drop'"):
        pytest.skip("the DROP guard needs a superuser at migration time")
    with pytest.raises(DatabaseError, match="not dropped"), as_owner():
        sql("DROP TABLE privacy_auditcheckpoint")
    with pytest.raises(DatabaseError, match="not dropped"), as_owner():
        sql("DROP TRIGGER privacy_auditentry_append_only ON privacy_auditentry")
    with pytest.raises(DatabaseError, match="not dropped"), as_owner():
        sql("DROP FUNCTION privacy_audit_purge(timestamptz, text, text)")


def test_the_drop_guard_installer_asks_for_a_superuser(app_role):
    with pytest.raises(CommandError, match="superuser"), as_app_role():
        call_command("install_audit_drop_guard")


def test_the_app_role_is_refused_when_it_holds_the_owners_rights(app_role):
    from privacy.audit.database import AppRoleError

    with pytest.raises(AppRoleError, match="superuser"):
        app_role_grant(role="postgres")
