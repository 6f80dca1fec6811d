"""What operators read when keys or stored values are wrong, word for word, and the
keyring's own guarantees (parsed once, primary first, never printed)."""

import base64
import uuid

import pytest

from privacy import crypto
from privacy.crypto import DecryptionError, aad_for, keyring, seal, unseal
from privacy.kernel.keys import key_problems, local_keys, parse_encryption_keys

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
INDEX = base64.b64encode(b"I" * 32).decode()


# --- The keyring -------------------------------------------------------------------------


def test_the_keyring_is_parsed_once_and_names_its_primary_key(settings):
    settings.PRIVACY_ENCRYPTION_KEYS = f"b:{KEY_B},a:{KEY_A}"
    ring = keyring()
    assert keyring() is ring
    assert ring.primary_id == "b"
    assert sorted(ring.ciphers) == ["a", "b"]
    assert repr(ring) == "Keyring(primary_id='b', key_ids=['a', 'b'])"
    assert KEY_A not in repr(ring)


def test_a_blind_index_rotation_is_under_way_only_with_a_previous_key(settings):
    settings.PRIVACY_BLIND_INDEX_PREVIOUS_KEY = ""
    assert crypto.has_previous_blind_index_key() is False
    settings.PRIVACY_BLIND_INDEX_PREVIOUS_KEY = base64.b64encode(b"P" * 32).decode()
    assert crypto.has_previous_blind_index_key() is True


# --- Why a value does not open ------------------------------------------------------------


def failure(token: str, aad: bytes) -> str:
    with pytest.raises(DecryptionError) as caught:
        unseal(token, aad=aad)
    return str(caught.value)


class UUIDKind(uuid.UUID):
    """A UUID subclass (some drivers return one) binds like a UUID."""


ROW = uuid.UUID("6f1c2a3e-4b5d-4e6f-8a9b-0c1d2e3f4a5b")


def test_a_uuid_subclass_binds_like_the_uuid_it_is():
    assert aad_for(table="t", column="c", row_id=UUIDKind(str(ROW))) == aad_for(
        table="t", column="c", row_id=ROW
    )


@pytest.mark.parametrize(
    ("row_id", "shown"),
    [
        (ROW, str(ROW)),
        (42, "42"),
        ("REQ-7", "REQ-7"),
        ("abcdefghijklmnop", "abcdefghijklmnop"),  # 16 characters: not taken for a UUID
        ("a\x1fb", "a\x1fb"),  # a separator inside the row id stays in the row id
    ],
)
def test_a_failure_names_table_column_and_row(row_id, shown, settings):
    settings.PRIVACY_ENCRYPTION_KEYS = f"old:{KEY_A}"
    token = seal(b"secret", aad=aad_for(table="members_member", column="phone", row_id=row_id))
    settings.PRIVACY_ENCRYPTION_KEYS = f"new:{KEY_B}"
    aad = aad_for(table="members_member", column="phone", row_id=row_id)
    assert failure(token, aad) == (
        f"Cannot decrypt members_member.phone (row {shown}): it was sealed with key id 'old', "
        "which PRIVACY_ENCRYPTION_KEYS does not hold"
    )


def test_associated_data_of_another_shape_is_described_as_a_value():
    assert failure("plain", b"privacy.sealed_cache\x1fsummary") == (
        "Cannot decrypt value: the stored value is not an encrypted token"
    )


def test_a_row_id_of_raw_bytes_is_described_without_failing():
    assert failure("plain", b"t\x1fc\x1fs\xff\xfe") == (
        "Cannot decrypt t.c (row \ufffd\ufffd): the stored value is not an encrypted token"
    )


def test_an_altered_value_says_it_may_have_been_copied():
    aad = aad_for(table="t", column="c", row_id=1)
    token = seal(b"x", aad=aad)
    assert failure(token, aad_for(table="t", column="c", row_id=2)) == (
        "Cannot decrypt t.c (row 2): authentication failed (the value was altered, "
        "or copied from another row or column)"
    )


@pytest.mark.parametrize("token", ["", "v2:a:AAAA", "v1::AAAA"])
def test_key_id_of_says_exactly_why(token):
    with pytest.raises(DecryptionError) as caught:
        crypto.key_id_of(token)
    assert str(caught.value) == "not an encrypted token of a known format"


# --- Key settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message", "check_id"),
    [
        ("", "PRIVACY_ENCRYPTION_KEYS is not set", "privacy.E001"),
        (f",a:{KEY_A}", "PRIVACY_ENCRYPTION_KEYS: entry 1 is empty", "privacy.E002"),
        (f"a:{KEY_A},", "PRIVACY_ENCRYPTION_KEYS: entry 2 is empty", "privacy.E002"),
        (
            "a:",
            "PRIVACY_ENCRYPTION_KEYS: entry 1 is not of the form id:base64key",
            "privacy.E002",
        ),
        (
            KEY_A,
            "PRIVACY_ENCRYPTION_KEYS: entry 1 is not of the form id:base64key",
            "privacy.E002",
        ),
        (
            f"a:{KEY_A},b c:{KEY_B}",
            "PRIVACY_ENCRYPTION_KEYS: entry 2 has an invalid key id "
            "(1 to 32 letters, digits, '-' or '_')",
            "privacy.E002",
        ),
        ("a:b:c", "PRIVACY_ENCRYPTION_KEYS: key 'a' is not valid base64", "privacy.E002"),
        (
            "a:" + base64.b64encode(b"A" * 16).decode(),
            "PRIVACY_ENCRYPTION_KEYS: key 'a' is 16 bytes, expected 32",
            "privacy.E003",
        ),
        (
            f"a:{KEY_A},a:{KEY_B}",
            "PRIVACY_ENCRYPTION_KEYS: key id 'a' appears twice",
            "privacy.E002",
        ),
    ],
)
def test_each_bad_encryption_key_setting_says_exactly_what_is_wrong(raw, message, check_id):
    problems = key_problems(raw, INDEX)
    assert [(str(p), p.check_id) for p in problems] == [(message, check_id)]
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_encryption_keys(raw)


def test_an_index_key_equal_to_an_encryption_key_is_named():
    problems = key_problems(f"a:{KEY_A}", KEY_A)
    assert [(str(p), p.check_id) for p in problems] == [
        ("PRIVACY_BLIND_INDEX_KEY must differ from every encryption key", "privacy.E007")
    ]


def test_a_previous_index_key_equal_to_the_current_one_says_which_to_set():
    problems = key_problems(f"a:{KEY_A}", INDEX, INDEX)
    assert [(str(p), p.check_id) for p in problems] == [
        (
            "PRIVACY_BLIND_INDEX_PREVIOUS_KEY is the same key as PRIVACY_BLIND_INDEX_KEY: "
            "set the new key as PRIVACY_BLIND_INDEX_KEY and the old one as the previous key",
            "privacy.E008",
        )
    ]


# --- Local keys ------------------------------------------------------------------------------


def test_local_keys_are_written_once_with_their_warning_in_a_new_folder(tmp_path):
    path = tmp_path / "var" / "nested" / "local-keys.env"
    values = local_keys(path)
    assert set(values) == {"PRIVACY_ENCRYPTION_KEYS", "PRIVACY_BLIND_INDEX_KEY"}
    assert values["PRIVACY_ENCRYPTION_KEYS"].startswith("local1:")
    assert parse_encryption_keys(values["PRIVACY_ENCRYPTION_KEYS"])[0].key_id == "local1"
    assert path.read_text().splitlines()[:2] == [
        "# Generated on first run for local development only. Never commit, never use",
        "# in production. Deleting this file makes existing encrypted data unreadable.",
    ]
    assert local_keys(path) == values


def test_local_keys_read_past_blank_lines_and_indented_comments(tmp_path):
    path = tmp_path / "local-keys.env"
    path.write_text(
        "# a comment\n\n   # an indented comment = not a key\n"
        f"PRIVACY_ENCRYPTION_KEYS = local1:{KEY_A}\n  \nPRIVACY_BLIND_INDEX_KEY={INDEX}\n"
    )
    assert local_keys(path) == {
        "PRIVACY_ENCRYPTION_KEYS": f"local1:{KEY_A}",
        "PRIVACY_BLIND_INDEX_KEY": INDEX,
    }
