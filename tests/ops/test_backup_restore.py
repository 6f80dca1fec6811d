"""Encrypted backups (ops/backup, ops/restore, ops.backups): what leaves the data
centre is ciphertext, a backup restores into a database the portal can read with its
keyring, and a tampered backup restores nothing.

The round trips of ops.backups run everywhere; the drill through pg_dump and
pg_restore needs PostgreSQL (DATABASE_URL=postgres://...).
"""

import base64
import io
import json
import os
import subprocess
import sys
import tracemalloc
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection, connections

from members.models import Member
from ops.backups import (
    HEADER_BYTES,
    TAG_BYTES,
    BackupError,
    backup_key_fingerprint,
    backup_open,
    backup_open_stream,
    backup_seal,
    backup_seal_stream,
)
from tests.factories import MemberFactory

ROOT = Path(__file__).resolve().parents[2]
KEY = base64.b64decode("YmFja3VwLXRlc3Qtb25seS1rZXktMDAwMDAwMDAwMDE=")
OTHER_KEY = os.urandom(32)
on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="the backup drill needs PostgreSQL (DATABASE_URL=postgres://...)",
)


def seal_bytes(data: bytes, *, key: bytes = KEY, chunk_size: int = 16) -> bytes:
    out = io.BytesIO()
    backup_seal_stream(source=io.BytesIO(data), destination=out, key=key, chunk_size=chunk_size)
    return out.getvalue()


def open_bytes(sealed: bytes, *, key: bytes = KEY) -> bytes:
    out = io.BytesIO()
    backup_open_stream(source=io.BytesIO(sealed), destination=out, key=key)
    return out.getvalue()


# --- ops.backups, no database needed -------------------------------------


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 64, 1000])
def test_seal_then_open_gives_back_every_byte(size):
    data = os.urandom(size)
    sealed = seal_bytes(data)
    assert open_bytes(sealed) == data
    chunks = max(1, -(-size // 16))  # the last chunk may be full; empty input has one
    assert len(sealed) == HEADER_BYTES + size + chunks * TAG_BYTES


def test_files_round_trip_and_the_sealed_file_is_private_and_fresh(tmp_path):
    plain = tmp_path / "dump"
    plain.write_bytes(b"Tremblay 20240001 " * 100_000)
    backup_seal(source=plain, destination=tmp_path / "a.enc", key=KEY)
    backup_seal(source=plain, destination=tmp_path / "b.enc", key=KEY)
    sealed = (tmp_path / "a.enc").read_bytes()
    assert b"Tremblay" not in sealed and b"20240001" not in sealed
    assert sealed != (tmp_path / "b.enc").read_bytes(), "each file has its own salt and key"
    assert (tmp_path / "a.enc").stat().st_mode & 0o777 == 0o600
    backup_open(source=tmp_path / "a.enc", destination=tmp_path / "restored", key=KEY)
    assert (tmp_path / "restored").read_bytes() == plain.read_bytes()


def test_sealing_a_large_file_streams_it_in_bounded_memory(tmp_path):
    plain = tmp_path / "dump"
    with plain.open("wb") as handle:
        for _ in range(32):
            handle.write(os.urandom(1024 * 1024))
    tracemalloc.start()
    try:
        backup_seal(source=plain, destination=tmp_path / "dump.enc", key=KEY)
        backup_open(source=tmp_path / "dump.enc", destination=tmp_path / "back", key=KEY)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024, f"peak {peak} bytes for a 32 MiB file"
    assert (tmp_path / "back").read_bytes() == plain.read_bytes()


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda b: b[:-1] + bytes([b[-1] ^ 1]), id="last-byte-flipped"),
        pytest.param(lambda b: b[:100] + bytes([b[100] ^ 1]) + b[101:], id="middle-byte-flipped"),
        pytest.param(lambda b: b[: HEADER_BYTES + 2 * (16 + TAG_BYTES)], id="cut-at-a-chunk"),
        pytest.param(lambda b: b[:-5], id="cut-mid-chunk"),
        pytest.param(lambda b: b + b[-(16 + TAG_BYTES) :], id="chunk-appended"),
        pytest.param(
            lambda b: (
                b[:HEADER_BYTES]
                + b[HEADER_BYTES + 32 : HEADER_BYTES + 64]
                + b[HEADER_BYTES : HEADER_BYTES + 32]
                + b[HEADER_BYTES + 64 :]
            ),
            id="chunks-swapped",
        ),
        pytest.param(lambda b: b[:9] + bytes([b[9] ^ 1]) + b[10:], id="chunk-size-altered"),
        pytest.param(
            lambda b: b[: HEADER_BYTES - 1] + bytes([b[HEADER_BYTES - 1] ^ 1]) + b[HEADER_BYTES:],
            id="salt-altered",
        ),
    ],
)
def test_an_altered_backup_does_not_open(tamper):
    sealed = seal_bytes(os.urandom(100))
    assert len(sealed) > HEADER_BYTES + 64
    with pytest.raises(BackupError):
        open_bytes(tamper(sealed))


def test_a_truncated_backup_says_so_and_leaves_no_output(tmp_path):
    (tmp_path / "dump").write_bytes(os.urandom(5000))
    backup_seal(source=tmp_path / "dump", destination=tmp_path / "dump.enc", key=KEY)
    sealed = (tmp_path / "dump.enc").read_bytes()
    (tmp_path / "cut.enc").write_bytes(sealed[:-1000])
    with pytest.raises(BackupError, match="chunk 0: it was altered, cut short or extended"):
        backup_open(source=tmp_path / "cut.enc", destination=tmp_path / "out", key=KEY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.enc", "dump", "dump.enc"]


def test_another_key_is_named_by_fingerprint_and_not_a_backup_is_refused():
    sealed = seal_bytes(b"data")
    with pytest.raises(BackupError, match=backup_key_fingerprint(KEY)):
        open_bytes(sealed, key=OTHER_KEY)
    with pytest.raises(BackupError, match="not an aseq-portal backup"):
        open_bytes(b"PGDMP" + b"\x00" * 100)


# --- The drill: ops/backup then ops/restore on PostgreSQL ---------------------


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _ops(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "ops" / script), *args],
        env={
            "PATH": os.environ["PATH"],
            "PYTHON": sys.executable,
            "BACKUP_ENCRYPTION_KEY": base64.b64encode(KEY).decode(),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def scratch_database():
    """An empty database next to the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_backup_holds_no_plaintext_and_restores_into_a_database_the_keyring_reads(
    tmp_path, scratch_database
):
    member = MemberFactory(
        student_number="20249876", first_name="Gwendoline", last_name="Beauchesne-Ouellet"
    )
    secrets = [b"20249876", b"Gwendoline", b"Beauchesne-Ouellet"]

    result = _ops(
        "backup", DATABASE_URL=_url(connection.settings_dict["NAME"]), BACKUP_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.strip())
    assert backup.parent == tmp_path and backup.name.startswith("aseq-")
    assert backup.name.endswith(".dump.enc") and backup.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [backup.name], "no unencrypted dump left"

    # Opened, the backup is the pg_dump archive: clear columns (the member number) are
    # readable in it, personal fields only as tokens. Sealed, nothing is.
    opened = tmp_path.parent / f"{tmp_path.name}-opened.dump"
    backup_open(source=backup, destination=opened, key=KEY)
    sql = subprocess.run(
        ["pg_restore", "--data-only", "--table=members_member", "--file=-", str(opened)],
        capture_output=True,
        check=True,
    ).stdout
    opened.unlink()
    sealed = backup.read_bytes()
    # The member's values are under their data key (v2), which lives in the key store.
    token_head = Member.objects.filter(pk=member.pk).values_list("first_name", flat=True).get()
    token_head = token_head.token[:36].encode()
    assert token_head.startswith(b"v2:")
    assert member.member_number.encode() in sql and token_head in sql
    assert not any(s in sql for s in secrets), "personal fields are encrypted in the database"
    assert not sealed.startswith(b"PGDMP") and b"members_member" not in sealed
    assert member.member_number.encode() not in sealed and token_head not in sealed
    assert not any(s in sealed for s in secrets)

    result = _ops("restore", str(backup), _url(scratch_database))
    assert result.returncode == 0, result.stderr

    # A fresh portal process on the restored database reads the member with its keyring.
    read_back = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup(); from members.models import Member; "
            "from privacy.fields import blind_index_filter; "
            "m = Member.objects.get(blind_index_filter(Member, 'student_number', '20249876')); "
            "print(json.dumps([str(m.pk), m.student_number, m.first_name, m.last_name, "
            "m.date_of_birth.isoformat()]))",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
            "DJANGO_SETTINGS_MODULE": "aseq_portal.settings.test",
            "DJANGO_IGNORE_DOTENV": "true",
            "DATABASE_URL": _url(scratch_database),
            # Beside the key store it was taken with (backed up apart, not restored here).
            "KEYSTORE_DATABASE_URL": _url(connections["keystore"].settings_dict["NAME"]),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert read_back.returncode == 0, read_back.stderr
    assert json.loads(read_back.stdout) == [
        str(member.pk),
        "20249876",
        "Gwendoline",
        "Beauchesne-Ouellet",
        member.date_of_birth.isoformat(),
    ]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_tampered_backup_restores_nothing_and_says_why(tmp_path, scratch_database):
    MemberFactory()
    result = _ops(
        "backup", DATABASE_URL=_url(connection.settings_dict["NAME"]), BACKUP_DIR=str(tmp_path)
    )
    assert result.returncode == 0, result.stderr
    backup = Path(result.stdout.strip())
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.dump.enc"
    tampered.write_bytes(bytes(data))

    result = _ops("restore", str(tampered), _url(scratch_database))
    assert result.returncode != 0
    assert "fails authentication at chunk" in result.stderr
    assert "do not restore it" in result.stderr
    with psycopg.connect(_url(scratch_database)) as db:
        tables = db.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    assert tables == 0

    result = _ops(
        "restore",
        str(backup),
        _url(scratch_database),
        BACKUP_ENCRYPTION_KEY=base64.b64encode(OTHER_KEY).decode(),
    )
    assert result.returncode != 0
    assert "sealed with another key" in result.stderr


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_backups_past_the_keep_window_go_and_restore_refuses_a_database_with_tables(
    tmp_path,
):
    MemberFactory()
    old, recent = tmp_path / "aseq-20000101T000000Z.dump.enc", tmp_path / "aseq-recent.dump.enc"
    for path, days in ((old, 11), (recent, 9)):
        path.write_bytes(b"x")
        os.utime(path, (path.stat().st_atime, path.stat().st_mtime - days * 86400))
    url = _url(connection.settings_dict["NAME"])
    result = _ops("backup", DATABASE_URL=url, BACKUP_DIR=str(tmp_path), BACKUP_KEEP_DAYS="10")
    assert result.returncode == 0, result.stderr
    assert not old.exists() and recent.exists()
    result = _ops("restore", result.stdout.strip(), url)
    assert result.returncode != 0
    assert "restore only into an empty database" in result.stderr
