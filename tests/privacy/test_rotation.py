"""Key rotation: resumable, batched, and afterwards the old key can go."""

import base64
import datetime
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from privacy.crypto import key_id_of
from privacy.rotation.selectors import encryption_key_usage
from privacy.rotation.services import encryption_keys_rotate
from tests.testapp.models import Note, Vault

pytestmark = pytest.mark.django_db

KEY_A = "a:" + base64.b64encode(b"rotation-test-key-a-000000000001").decode()
KEY_B = "b:" + base64.b64encode(b"rotation-test-key-b-000000000002").decode()
ROWS = 23


class Interrupted(Exception):
    pass


def raw_tokens(model, column: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {model._meta.db_table}")  # noqa: S608
        return dict(cursor.fetchall())


@pytest.fixture
def sealed_under_a(settings):
    settings.PRIVACY_ENCRYPTION_KEYS = KEY_A
    rows = {}
    for n in range(ROWS):
        vault = Vault.objects.create(
            email=f"member{n}@example.org",
            student_number=f"2024{n:04d}",
            born_on=datetime.date(2000, 1, 1) + datetime.timedelta(days=n),
            data={"n": n, "actif": n % 2 == 0},
            text=None if n % 5 == 0 else f"note {n}",
        )
        rows[vault.pk] = vault
    note = Note.objects.create(text="ailleurs", name="Hélène")
    settings.PRIVACY_ENCRYPTION_KEYS = f"{KEY_B},{KEY_A}"
    return rows, note


def assert_every_value_reads(rows, note):
    for pk, original in rows.items():
        loaded = Vault.objects.get(pk=pk)
        for name in ("email", "student_number", "born_on", "data", "text"):
            assert getattr(loaded, name) == getattr(original, name), name
    assert Note.objects.get(pk=note.pk).text == "ailleurs"
    assert Note.objects.get(pk=note.pk).name == "Hélène"


def test_rotation_survives_an_interruption_and_a_rerun_then_the_old_key_can_go(
    settings, sealed_under_a
):
    rows, note = sealed_under_a
    values = encryption_key_usage()
    total = values["a"]
    assert values == {"b": 0, "a": total}

    batches = []

    def interrupt_after_two_batches(step):
        batches.append(step)
        if len(batches) == 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        encryption_keys_rotate(batch_size=5, progress=interrupt_after_two_batches)
    midway = encryption_key_usage()
    assert 0 < midway["b"] < total
    assert midway["a"] + midway["b"] == total
    assert_every_value_reads(rows, note)

    # A bounded run moves a little further, then a full rerun finishes.
    report = encryption_keys_rotate(batch_size=5, max_batches=1)
    assert report.batches == 1
    assert encryption_key_usage()["a"] < midway["a"]
    report = encryption_keys_rotate(batch_size=5)
    assert report.remaining == {"b": total, "a": 0}
    assert report.failures == []

    settings.PRIVACY_ENCRYPTION_KEYS = KEY_B
    assert_every_value_reads(rows, note)
    assert {key_id_of(t) for t in raw_tokens(Vault, "email").values()} == {"b"}


def test_values_already_under_the_primary_key_are_left_alone(settings, sealed_under_a):
    fresh = Vault.objects.create(email="fresh@example.org")
    before = raw_tokens(Vault, "email")
    encryption_keys_rotate(batch_size=4)
    after = raw_tokens(Vault, "email")
    fresh_id = Vault._meta.pk.get_db_prep_value(fresh.pk, connection)
    assert after[fresh_id] == before[fresh_id]
    assert all(after[pk] != before[pk] for pk in after if pk != fresh_id)


def test_a_rotated_value_is_still_bound_to_its_row(settings, sealed_under_a):
    rows, _ = sealed_under_a
    encryption_keys_rotate()
    first, second = list(rows)[:2]
    token = raw_tokens(Vault, "email")[Vault._meta.pk.get_db_prep_value(first, connection)]
    Vault.objects.filter(pk=second).update(email=None)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE testapp_vault SET email = %s WHERE id = %s",
            [token, Vault._meta.pk.get_db_prep_value(second, connection)],
        )
    from privacy.crypto import DecryptionError

    with pytest.raises(DecryptionError):
        Vault.objects.get(pk=second).email  # noqa: B018


def test_the_command_shows_progress_and_what_remains_under_each_key(sealed_under_a):
    out = StringIO()
    call_command("rotate_encryption_keys", "--batch-size", "10", "--language=en", stdout=out)
    output = out.getvalue()
    # Not a terminal: plain lines with done/total and the rate, in the operator's language.
    assert re.search(r"testapp\.Vault: 10 of \d+ rows · \d+%", output)
    assert re.search(r"testapp\.Vault: (\d+) of \1 rows · 100%", output)
    assert "Values remaining under each key id:" in output
    assert "  a: 0" in output
    assert "  b (primary): " in output
    assert "older keys can be removed" in output


def test_the_command_reports_values_it_cannot_open_and_rotates_the_rest(sealed_under_a):
    rows, _ = sealed_under_a
    broken = list(rows)[3]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE testapp_vault SET text = %s WHERE id = %s",
            [
                "v1:a:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                Vault._meta.pk.get_db_prep_value(broken, connection),
            ],
        )
    err = StringIO()
    with pytest.raises(CommandError, match="could not be decrypted"):
        call_command("rotate_encryption_keys", "--language=en", stdout=StringIO(), stderr=err)
    assert "testapp_vault.text" in err.getvalue()
    assert encryption_key_usage()["a"] == 1
