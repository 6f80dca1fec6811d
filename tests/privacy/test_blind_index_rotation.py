"""Blind index key rotation: lookups keep working while every index is recomputed."""

import base64
import datetime
import hashlib
import hmac
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from members import services
from members.models import ClaimAttempt, Member
from privacy.crypto import normalise_digits
from privacy.fields import blind_index_filter
from privacy.rotation.selectors import blind_index_usage
from privacy.rotation.services import blind_indexes_reindex
from tests.factories import MemberFactory, StaffFactory, UserFactory, staff_admin_ready
from tests.testapp.models import Note, Vault

pytestmark = pytest.mark.django_db

OLD_RAW = b"blind-index-rotation-old-key-001"
NEW_RAW = b"blind-index-rotation-new-key-002"
OLD_KEY = base64.b64encode(OLD_RAW).decode()
NEW_KEY = base64.b64encode(NEW_RAW).decode()
ROWS = 12


class Interrupted(Exception):
    pass


def digest(key: bytes, normalised: str) -> str:
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


def stored_student_indexes() -> dict:
    return dict(Vault.objects.values_list("pk", "student_number_index"))


def raw_column(model, column: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {model._meta.db_table}")  # noqa: S608
        return dict(cursor.fetchall())


def finds(model, field: str, value: str):
    return model.objects.filter(blind_index_filter(model, field, value)).get()


def rotate_to_new_key(settings, *, keep_previous: bool = True) -> None:
    settings.PRIVACY_BLIND_INDEX_KEY = NEW_KEY
    settings.PRIVACY_BLIND_INDEX_PREVIOUS_KEY = OLD_KEY if keep_previous else ""


@pytest.fixture
def indexed_under_old_key(settings):
    """Rows indexed under the old key, then the settings of a rotation under way."""
    settings.PRIVACY_BLIND_INDEX_KEY = OLD_KEY
    settings.PRIVACY_BLIND_INDEX_PREVIOUS_KEY = ""
    vaults = [
        Vault.objects.create(
            student_number=f"2024 {n:04d}",
            email=None if n % 4 == 0 else f"Member{n}@Example.org",
        )
        for n in range(ROWS)
    ]
    notes = [Note.objects.create(name=f"Hélène-Marie {n}") for n in range(3)]
    members = [
        MemberFactory(student_number=f"5550{n}", date_of_birth=datetime.date(2001, 5, n + 1))
        for n in range(3)
    ]
    rotate_to_new_key(settings)
    return vaults, notes, members


def claim(member: Member) -> str:
    return services.member_claim(
        user=UserFactory(),
        association=member.association,
        student_number=member.student_number,
        date_of_birth=member.date_of_birth,
    ).outcome


def test_claim_by_student_number_needs_the_previous_key_until_the_reindex(
    settings, indexed_under_old_key
):
    _, _, members = indexed_under_old_key
    # Without the previous key, the old digests match nothing: the setting is what helps.
    rotate_to_new_key(settings, keep_previous=False)
    assert claim(members[0]) == ClaimAttempt.Outcome.NO_MATCH
    rotate_to_new_key(settings)
    assert claim(members[0]) == ClaimAttempt.Outcome.CLAIMED

    blind_indexes_reindex(batch_size=2)

    assert claim(members[1]) == ClaimAttempt.Outcome.CLAIMED
    rotate_to_new_key(settings, keep_previous=False)
    assert claim(members[2]) == ClaimAttempt.Outcome.CLAIMED


def test_admin_exact_search_finds_rows_under_either_key(client, settings, indexed_under_old_key):
    superuser = StaffFactory(is_superuser=True)
    staff_admin_ready(superuser)
    client.force_login(superuser)
    Vault.objects.create(student_number="77770001", email="new@example.org")
    for term, expected in (("2024 0003", "member3@example.org"), ("7777 0001", "new@example.org")):
        content = client.get("/admin/testapp/vault/", {"q": term}).content.decode().lower()
        assert expected in content


def test_rows_saved_during_the_window_get_the_current_digest(settings, indexed_under_old_key):
    vaults, _, _ = indexed_under_old_key
    fresh = Vault.objects.create(student_number="99990001")
    resaved = Vault.objects.get(pk=vaults[1].pk)
    resaved.student_number = "99990002"
    resaved.save()

    stored = stored_student_indexes()
    assert stored[fresh.pk] == digest(NEW_RAW, "99990001")
    assert stored[resaved.pk] == digest(NEW_RAW, "99990002")
    assert stored[vaults[2].pk] == digest(OLD_RAW, normalise_digits(vaults[2].student_number))
    assert finds(Vault, "student_number", "9999 0001") == fresh


def test_reindex_survives_an_interruption_and_a_rerun_then_reports_none_left(
    settings, indexed_under_old_key
):
    vaults, notes, members = indexed_under_old_key
    tokens_before = raw_column(Vault, "student_number")
    before = blind_index_usage()
    total = before.previous
    assert before.current == 0
    assert before.neither == 0
    # Members: student number, contact e-mail, family name with date of birth.
    assert total == ROWS + ROWS - ROWS // 4 + len(notes) + 3 * len(members)

    batches = []

    def fail_after_the_first_batch(step):
        batches.append(step)
        raise Interrupted

    with pytest.raises(Interrupted):
        blind_indexes_reindex(batch_size=5, progress=fail_after_the_first_batch)
    midway = blind_index_usage()
    assert batches[0].recomputed > 0
    assert midway.current == batches[0].recomputed
    assert midway.previous == total - midway.current
    # Lookups work for rows on both sides of the interruption.
    for vault in vaults:
        assert finds(Vault, "student_number", vault.student_number) == vault

    # A rerun reads the committed batch again (a digest cannot be filtered in SQL) but
    # writes nothing there, then goes on.
    steps = []
    blind_indexes_reindex(batch_size=5, max_batches=2, progress=steps.append)
    assert [step.batch for step in steps] == [1, 2]
    assert steps[0].recomputed == 0
    assert steps[1].recomputed > 0
    assert blind_index_usage().previous == midway.previous - steps[1].recomputed

    out = StringIO()
    call_command("reindex_blind_indexes", "--batch-size", "5", "--language=en", stdout=out)
    output = out.getvalue()
    # Not a terminal: plain lines with done/total per model, in the operator's language.
    assert "members.Member: 3 of 3 rows · 100%" in output
    assert re.search(r"testapp\.Vault: (\d+) of \1 rows · 100%", output)
    assert f"  current (PRIVACY_BLIND_INDEX_KEY): {total}" in output
    assert "  previous (PRIVACY_BLIND_INDEX_PREVIOUS_KEY): 0" in output
    assert "  neither: 0" in output
    assert "unique constraints on blind indexes only compare digests under one key" in output
    assert "PRIVACY_BLIND_INDEX_PREVIOUS_KEY can be removed" in output
    # Indexes only: the encrypted values were read, not sealed again.
    assert raw_column(Vault, "student_number") == tokens_before

    again = blind_indexes_reindex(batch_size=5)
    assert again.recomputed == 0
    assert again.rows == ROWS + len(notes) + len(members)


def test_every_lookup_works_after_the_previous_key_is_removed(settings, indexed_under_old_key):
    vaults, notes, members = indexed_under_old_key
    call_command("reindex_blind_indexes", "--language=en", stdout=StringIO())
    rotate_to_new_key(settings, keep_previous=False)

    for vault in vaults:
        assert finds(Vault, "student_number", vault.student_number) == vault
        if vault.email is not None:
            assert finds(Vault, "email", vault.email.upper()) == vault
    for note in notes:
        assert finds(Note, "name", note.name.replace("é", "e")) == note
    for member in members:
        assert finds(Member, "student_number", member.student_number) == member
        assert finds(Member, "email", member.email) == member
    assert stored_student_indexes()[vaults[0].pk] == digest(NEW_RAW, "20240000")


def test_an_index_under_neither_key_is_reported_and_recomputed_from_the_decrypted_value(
    settings, indexed_under_old_key
):
    vaults, _, _ = indexed_under_old_key
    Vault.objects.filter(pk=vaults[3].pk).update(student_number_index="0" * 64)
    assert blind_index_usage().neither == 1

    report = blind_indexes_reindex(batch_size=4)

    assert report.from_neither == 1
    assert report.remaining.neither == 0
    assert report.remaining.previous == 0
    assert stored_student_indexes()[vaults[3].pk] == digest(NEW_RAW, "20240003")
    assert finds(Vault, "student_number", "20240003") == vaults[3]


def test_a_unique_conflict_is_reported_and_the_rest_of_the_batch_is_reindexed(
    settings, indexed_under_old_key
):
    vaults, _, _ = indexed_under_old_key
    # The database only sees digests under one key: this duplicate gets in during the window.
    duplicate = Vault.objects.create(student_number=vaults[5].student_number)
    same_number = blind_index_filter(Vault, "student_number", "20240005")
    assert Vault.objects.filter(same_number).count() == 2

    err = StringIO()
    with pytest.raises(CommandError, match="unique constraint"):
        call_command(
            "reindex_blind_indexes",
            "--batch-size",
            "100",
            "--language=en",
            stdout=StringIO(),
            stderr=err,
        )

    assert f"testapp_vault.student_number_index row {vaults[5].pk}" in err.getvalue()
    stored = stored_student_indexes()
    assert stored[duplicate.pk] == digest(NEW_RAW, "20240005")
    assert stored[vaults[5].pk] == digest(OLD_RAW, "20240005")
    assert stored[vaults[6].pk] == digest(NEW_RAW, "20240006")
    assert blind_index_usage().previous == 1


def test_an_undecryptable_source_is_reported_and_its_index_left_alone(
    settings, indexed_under_old_key
):
    vaults, _, _ = indexed_under_old_key
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE testapp_vault SET student_number = %s WHERE id = %s",
            [
                "v1:test1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                Vault._meta.pk.get_db_prep_value(vaults[7].pk, connection),
            ],
        )
    err = StringIO()
    with pytest.raises(CommandError, match="could not be decrypted"):
        call_command("reindex_blind_indexes", "--language=en", stdout=StringIO(), stderr=err)
    assert "testapp_vault.student_number" in err.getvalue()
    assert stored_student_indexes()[vaults[7].pk] == digest(OLD_RAW, "20240007")


def test_without_a_previous_key_old_digests_count_under_neither_key(
    settings, indexed_under_old_key
):
    rotate_to_new_key(settings, keep_previous=False)
    usage = blind_index_usage()
    assert usage.previous == 0
    assert usage.current == 0
    assert usage.neither > 0
    out = StringIO()
    call_command("reindex_blind_indexes", "--language=en", stdout=out)
    assert "  previous: no PRIVACY_BLIND_INDEX_PREVIOUS_KEY set" in out.getvalue()
    assert f"{usage.neither} under neither key" in out.getvalue()
    assert blind_index_usage().current == usage.neither
