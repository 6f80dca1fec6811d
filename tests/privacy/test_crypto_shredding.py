"""Deletion that reaches the backups: carrying out a deletion or purging a person destroys
their data key, so every earlier copy of their values reads as destroyed.

The restore drill: back up the main database, carry out a member's deletion, restore
the old backup into a fresh database beside today's key store: the deleted member's
values are all destroyed, another member's all read, and the audit log verifies. On
the embedded default (SQLite) here in process; on PostgreSQL through ops/backup and
ops/restore (tests/ops/test_backup_restore.py has the drill's tooling).
"""

import json
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections

from coverage.models import Claim, Enrolment
from members.models import Dependant, Member
from privacy.audit.models import AuditEntry
from privacy.fields import Destroyed, is_destroyed, is_encrypted
from privacy.keystore.models import DataKey
from privacy.requests import services
from privacy.requests.models import RequestKind
from privacy.retention.api import retention_purge
from tests.factories import ClaimFactory, DependantFactory, MemberFactory
from tests.ops import test_backup_restore as drill
from tests.privacy.test_retention_identity import a_member_whose_coverage_ended_long_ago

HOUSEHOLD = (Member, Dependant, Enrolment, Claim)
# The PostgreSQL drill's tooling: ops/backup and ops/restore, an empty scratch database.
scratch_database = drill.scratch_database
_ops, _url, on_postgresql = drill._ops, drill._url, drill.on_postgresql


def encrypted_values(model, rows) -> dict:
    """Every stored (not NULL) encrypted value of these rows, opened: {(pk, field): value}."""
    fields = [f.attname for f in model._meta.concrete_fields if is_encrypted(f)]
    values = {(row.pk, name): getattr(row, name) for row in rows for name in fields}
    return {key: value for key, value in values.items() if value is not None}


def household(record, *, using="default") -> dict:
    values = {}
    for model in HOUSEHOLD:
        member_field = "pk" if model is Member else "member_id"
        rows = model._base_manager.using(using).filter(**{member_field: record.pk})
        values.update(
            {(model._meta.label, *key): v for key, v in encrypted_values(model, rows).items()}
        )
    return values


def a_household(plan, user):
    from coverage.demo import enrolment_seed
    from coverage.models import Benefit

    record = MemberFactory(association=plan.association, user=user, address_line2="app. 4")
    child = DependantFactory(member=record)
    enrolment_seed(member=record, plan=plan, dependants=[child])
    benefit = Benefit.objects.get(plan=plan, key="physiotherapy")
    ClaimFactory(
        member=record,
        dependant=child,
        benefit=benefit,
        service_date=plan.starts_on,
        provider_name="Clinique du Plateau",
    )
    return record


def carry_out_deletion(user, officer):
    request = services.privacy_request_submit(account=user, kind=RequestKind.DELETION)
    request = services.privacy_request_start_review(privacy_request=request, actor=officer)
    request = services.privacy_request_approve(privacy_request=request, actor=officer)
    return services.privacy_request_fulfil(privacy_request=request, actor=officer)


def verify_audit_log(*options: str) -> str:
    out = StringIO()
    call_command("verify_audit_log", *options, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_carrying_out_a_deletion_destroys_the_key_and_keeps_the_rows_kept_by_law_readable(
    plan, member, other_member, privacy_officer
):
    record = a_household(plan, member)
    other = a_household(plan, other_member)
    old_key = DataKey.objects.get(person=record.pk)

    request = carry_out_deletion(member, privacy_officer)

    old_key.refresh_from_db()
    assert old_key.wrapped is None and old_key.destroyed_at is not None
    # Claims and enrolments are kept by law: sealed again under a fresh key, still readable.
    live = household(record)
    assert live and not any(is_destroyed(v) for v in live.values())
    assert DataKey.objects.filter(person=record.pk, destroyed_at__isnull=True).count() == 1
    # Their digests left the live database with the identifying values.
    kept = Member.objects.get(pk=record.pk)
    assert (kept.student_number_index, kept.email_index, kept.name_birth_index) == (None,) * 3
    # An audit row says so: the count, never the key.
    entry = AuditEntry.objects.get(action="privacy_request.data_keys_destroyed")
    assert entry.metadata["count"] == 1 and entry.object_id == str(request.pk)
    assert old_key.id.hex not in str(entry.metadata)
    request.refresh_from_db()
    assert request.deletion_plan["executed"]["data_keys_destroyed"] == 1
    # Another member is untouched.
    assert not any(is_destroyed(v) for v in household(other).values())
    assert "intact" in verify_audit_log().lower()


@pytest.mark.django_db
def test_purging_an_expired_person_destroys_their_key_and_the_ledger_counts_it(
    plan, coverage_member
):
    _user, record, _child = a_member_whose_coverage_ended_long_ago(plan)
    assert DataKey.objects.filter(person=record.pk, destroyed_at__isnull=True).exists()

    run = retention_purge(started_by="command")

    assert not Member.objects.filter(pk=record.pk).exists()
    key = DataKey.objects.get(person=record.pk)
    assert key.wrapped is None and key.destroyed_at is not None
    lines = {line.model_label: line for line in run.lines.all()}
    assert lines["members.Member"].keys_destroyed == 1
    assert sum(line.keys_destroyed for line in lines.values()) == 1
    entry = AuditEntry.objects.get(action="retention.data_keys_destroyed")
    assert entry.metadata == {"count": 1, "model": "members.Member"}
    # The current member keeps their key and reads normally.
    assert DataKey.objects.filter(person=coverage_member.pk, destroyed_at__isnull=True).exists()
    assert Member.objects.get(pk=coverage_member.pk).first_name == "Camille"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the embedded default's drill")
@pytest.mark.django_db(transaction=True)
def test_restore_drill_on_the_embedded_default(
    tmp_path, plan, member, other_member, privacy_officer
):
    record = a_household(plan, member)
    other = a_household(plan, other_member)
    before = household(record)
    other_before = household(other)
    assert before and not any(is_destroyed(v) for v in before.values())

    # Back up the main database (SQLite's online backup), not the key store.
    backup = tmp_path / "aseq-backup.sqlite3"
    target = sqlite3.connect(backup)
    connections["default"].ensure_connection()
    connections["default"].connection.backup(target)
    target.close()

    carry_out_deletion(member, privacy_officer)

    assert "intact" in verify_audit_log().lower()

    # Restore the old backup in place of today's main database (a fresh copy of it),
    # beside today's key store, which is not restored.
    source = sqlite3.connect(backup)
    source.backup(connections["default"].connection)
    source.close()
    assert Member.objects.get(pk=record.pk).claimed_at is not None  # the old state is back

    restored = household(record)
    assert restored.keys() == before.keys()
    assert all(is_destroyed(v) for v in restored.values()), _still_read(restored)
    assert all(v == Destroyed("") for v in restored.values())
    assert household(other) == other_before
    # The restored database's audit log verifies too, walked whole as a drill does: its
    # chain ends where the backup did, before the live log's anchors and verified head.
    assert "intact" in verify_audit_log("--full", "--no-anchor").lower()


def test_the_drill_covers_every_model_sealed_under_a_members_key():
    from privacy.fields import data_key_owner_models

    labels = {m._meta.label for m in HOUSEHOLD}
    assert {m._meta.label for m in data_key_owner_models()} == labels | {"members.MemberLocation"}


def _still_read(restored):
    return {k: v for k, v in restored.items() if not is_destroyed(v)}


def household_report(record_ids) -> dict:
    """What a portal process reads of these households: "destroyed" or the value, as text."""
    from privacy.requests.exports import plain

    report = {}
    for record_id in record_ids:
        record = Member._base_manager.get(pk=record_id)
        report[record_id] = {
            "|".join(map(str, key)): "destroyed" if is_destroyed(value) else plain(value)
            for key, value in household(record).items()
        }
    return report


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_restore_drill_on_postgresql(
    tmp_path, scratch_database, plan, member, other_member, privacy_officer
):
    record = a_household(plan, member)
    other = a_household(plan, other_member)
    before = household_report([str(record.pk), str(other.pk)])

    # Back up the main database only (ops/backup: pg_dump, sealed).
    result = _ops(
        "backup", DATABASE_URL=_url(connection.settings_dict["NAME"]), BACKUP_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.strip())

    carry_out_deletion(member, privacy_officer)

    # Restore the old backup into a fresh database, beside today's key store.
    result = _ops("restore", str(backup), _url(scratch_database))
    assert result.returncode == 0, result.stderr
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "aseq_portal.settings.test",
        "DJANGO_IGNORE_DOTENV": "true",
        "DATABASE_URL": _url(scratch_database),
        "KEYSTORE_DATABASE_URL": _url(connections["keystore"].settings_dict["NAME"]),
        # The drill machine's own anchor directory: the live one's is newer than any backup.
        "AUDIT_ANCHOR_DIR": str(tmp_path / "drill-anchors"),
    }
    read_back = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json, sys; django.setup(); "
            "from tests.privacy.test_crypto_shredding import household_report; "
            "print(json.dumps(household_report(sys.argv[1:])))",
            str(record.pk),
            str(other.pk),
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert read_back.returncode == 0, read_back.stderr
    restored = json.loads(read_back.stdout)
    deleted = restored[str(record.pk)]
    assert deleted.keys() == before[str(record.pk)].keys()
    assert set(deleted.values()) == {"destroyed"}
    assert restored[str(other.pk)] == before[str(other.pk)]
    # The restored database's audit log verifies, in a portal process of its own.
    verified = subprocess.run(
        [sys.executable, "manage.py", "verify_audit_log", "--full", "--no-anchor"],
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    # And the live one, with the destruction recorded.
    assert "intact" in verify_audit_log().lower()


# --- The deletion plan says when the deletion reaches the backups --------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "url", "words"),
    [
        ("fr", "/fr/confidentialite/demandes/nouvelle/suppression/", "jours après la suppression"),
        ("en", "/en/privacy/requests/new/deletion/", "days after the deletion"),
    ],
)
def test_the_deletion_plan_states_the_day_the_deletion_reaches_the_backups(
    client, member, language, url, words, settings
):
    from django.utils import formats, timezone, translation

    from privacy.requests.deletion import deletion_plan
    from tests.privacy.test_requests_views import sign_in

    settings.KEYSTORE_BACKUP_KEEP_DAYS = 5
    plan = deletion_plan(user=member)
    assert plan.backup_days == 7
    assert plan.backups_cleared_on == timezone.localdate() + timedelta(days=7)
    sign_in(client, member)
    member.preferred_language = language
    member.save()
    page = client.get(url).content.decode()
    with translation.override(language):
        day = formats.date_format(plan.backups_cleared_on, "j F Y")
    assert f"7 {words}" in page
    assert day in page.replace("\u00a0", " ")
    assert "HMAC" in page


# --- ops/backup-keystore: the key store's backups, apart and short-lived --------------


def test_the_key_store_backup_refuses_the_main_directory_and_a_retention_as_long(tmp_path):
    url = "postgres://nobody@127.0.0.1:1/none_keys"
    same_dir = _ops(
        "backup-keystore",
        KEYSTORE_DATABASE_URL=url,
        KEYSTORE_BACKUP_DIR=str(tmp_path),
        BACKUP_DIR=str(tmp_path),
    )
    assert same_dir.returncode == 1 and "must not be the main database" in same_dir.stderr
    too_long = _ops(
        "backup-keystore",
        KEYSTORE_DATABASE_URL=url,
        KEYSTORE_BACKUP_DIR=str(tmp_path / "keys"),
        KEYSTORE_BACKUP_KEEP_DAYS="35",
        BACKUP_KEEP_DAYS="35",
    )
    assert too_long.returncode == 1 and "must be shorter" in too_long.stderr


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_key_store_is_backed_up_apart_and_its_old_backups_go_after_its_own_days(tmp_path):
    MemberFactory()
    old = tmp_path / "keystore-20200101T000000Z.dump.enc"
    old.write_bytes(b"old")
    main = tmp_path / "aseq-20200101T000000Z.dump.enc"
    main.write_bytes(b"main")
    os.utime(old, (0, 0))
    os.utime(main, (0, 0))
    result = _ops(
        "backup-keystore",
        KEYSTORE_DATABASE_URL=_url(connections["keystore"].settings_dict["NAME"]),
        KEYSTORE_BACKUP_DIR=str(tmp_path),
        KEYSTORE_BACKUP_KEEP_DAYS="7",
    )
    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.strip())
    assert backup.name.startswith("keystore-") and backup.name.endswith(".dump.enc")
    assert not old.exists(), "a key store backup past its days is deleted"
    assert main.exists(), "the main database's backups follow their own retention"


# --- A destroyed value in pages, admin and the export ---------------------------------

MEMBER_PAGES = (
    "/fr/",
    "/fr/mon-compte/",
    "/fr/mon-compte/profil/",
    "/fr/mon-compte/personnes-a-charge/",
    "/fr/couverture/",
    "/fr/couverture/adhesion/",
    "/en/my-account/profile/",
)


@pytest.mark.django_db
def test_destroyed_values_show_in_plain_words_on_pages_admin_and_in_the_export(
    client, plan, member, staff_in_role
):
    from privacy import roles
    from privacy.requests.exports import export_data

    record = a_household(plan, member)
    # As in a backup restored beside today's key store: the rows are there, the key is not.
    from privacy.keystore.api import data_keys_destroy

    data_keys_destroy([record.pk])
    client.force_login(member)
    for url in MEMBER_PAGES:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    # Pages about the record say, in plain words, that it was deleted for good.
    profile = client.get("/fr/mon-compte/profil/", follow=True).content.decode()
    assert "Ce dossier de membre a été supprimé définitivement." in profile
    assert "v2:" not in profile
    data = export_data(user=member)
    text = json.dumps(data, ensure_ascii=False)
    assert "Supprimé définitivement" in text or "Permanently deleted" in text
    assert "v2:" not in text

    client.force_login(staff_in_role(roles.MEMBER_SERVICES))
    page = client.get(f"/admin/members/member/{record.pk}/change/")
    assert page.status_code == 200
    assert "Supprimé définitivement" in page.content.decode()
    assert "v2:" not in page.content.decode()
    listing = client.get("/admin/members/dependant/")
    assert listing.status_code == 200 and "v2:" not in listing.content.decode()
