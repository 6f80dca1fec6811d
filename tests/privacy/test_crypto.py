"""The AES-256-GCM envelope and the blind index."""

import base64
import uuid

import pytest

from privacy.crypto import (
    DecryptionError,
    aad_for,
    blind_index,
    key_id_of,
    seal,
    unseal,
)

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
AAD = aad_for(table="members_member", column="phone", row_id=uuid.UUID(int=1))


def test_a_sealed_value_opens_with_the_same_associated_data():
    token = seal(b"514 555-0123", aad=AAD)
    assert unseal(token, aad=AAD) == b"514 555-0123"


def test_the_token_carries_format_version_and_key_id(settings):
    settings.PRIVACY_ENCRYPTION_KEYS = f"b:{KEY_B},a:{KEY_A}"
    token = seal(b"x", aad=AAD)
    assert token.startswith("v1:b:")
    assert key_id_of(token) == "b"


def test_each_seal_uses_a_fresh_random_96_bit_nonce():
    tokens = [seal(b"same value", aad=AAD) for _ in range(50)]
    assert len(set(tokens)) == 50
    bodies = [base64.b64decode(t.split(":", 2)[2]) for t in tokens]
    assert len({body[:12] for body in bodies}) == 50
    # nonce (12) + plaintext + tag (16): AES-GCM, no padding.
    assert {len(body) for body in bodies} == {12 + len(b"same value") + 16}


def test_another_row_or_column_cannot_open_the_value():
    token = seal(b"secret", aad=AAD)
    for other in (
        aad_for(table="members_member", column="phone", row_id=uuid.UUID(int=2)),
        aad_for(table="members_member", column="email", row_id=uuid.UUID(int=1)),
        aad_for(table="members_dependant", column="phone", row_id=uuid.UUID(int=1)),
    ):
        with pytest.raises(DecryptionError, match="authentication failed") as caught:
            unseal(token, aad=other)
        assert "secret" not in str(caught.value)


def test_the_error_names_table_and_column_never_the_value():
    token = seal(b"Tremblay", aad=AAD)
    wrong = aad_for(table="members_member", column="last_name", row_id=uuid.UUID(int=1))
    with pytest.raises(DecryptionError) as caught:
        unseal(token, aad=wrong)
    message = str(caught.value)
    assert "members_member.last_name" in message
    assert "Tremblay" not in message
    assert token not in message


def test_an_altered_token_fails_loudly():
    token = seal(b"secret value", aad=AAD)
    prefix, body = token.rsplit(":", 1)
    raw = bytearray(base64.b64decode(body))
    raw[15] ^= 1
    with pytest.raises(DecryptionError, match="authentication failed"):
        unseal(f"{prefix}:{base64.b64encode(bytes(raw)).decode()}", aad=AAD)
    for broken in ("plain text", "v1:test1:%%%", "v1:test1:AAAA", "v2:test1:" + body, ""):
        with pytest.raises(DecryptionError):
            unseal(broken, aad=AAD)


def test_a_broken_token_under_the_primary_key_says_what_is_wrong():
    # Tokens under the primary key take a fast path; its failures must read the same.
    token = seal(b"secret value", aad=AAD)
    prefix = token[: token.rindex(":") + 1]
    body = token[len(prefix) :]
    cases = {
        prefix + body[:-4]: "authentication failed",
        prefix + "AAAA": "the token is truncated",
        prefix + "A": "the token is corrupt",
        prefix + "é" + body: "the token is corrupt",
    }
    for broken, cause in cases.items():
        with pytest.raises(DecryptionError, match=cause) as caught:
            unseal(broken, aad=AAD)
        assert "members_member.phone" in str(caught.value)
        assert "secret" not in str(caught.value)


def test_decryption_picks_the_key_by_id_and_never_tries_others(settings):
    settings.PRIVACY_ENCRYPTION_KEYS = f"a:{KEY_A},b:{KEY_B}"
    token = seal(b"x", aad=AAD)
    settings.PRIVACY_ENCRYPTION_KEYS = f"b:{KEY_B},a:{KEY_A}"
    assert unseal(token, aad=AAD) == b"x"
    # The same ciphertext labelled with the other id is refused, though key a is present.
    relabelled = token.replace("v1:a:", "v1:b:", 1)
    with pytest.raises(DecryptionError, match="authentication failed"):
        unseal(relabelled, aad=AAD)


def test_a_value_under_a_removed_key_names_the_missing_key_id(settings):
    settings.PRIVACY_ENCRYPTION_KEYS = f"old:{KEY_A}"
    token = seal(b"x", aad=AAD)
    settings.PRIVACY_ENCRYPTION_KEYS = f"new:{KEY_B}"
    with pytest.raises(DecryptionError, match="'old'"):
        unseal(token, aad=AAD)


def test_associated_data_is_the_same_for_a_uuid_and_its_text():
    row = uuid.uuid4()
    assert aad_for(table="t", column="c", row_id=row) == aad_for(
        table="t", column="c", row_id=str(row)
    )


def test_blind_index_is_deterministic_and_keyed(settings):
    first = blind_index("12345678", normaliser="digits")
    assert first == blind_index("12345678", normaliser="digits")
    assert len(first) == 64
    assert first != blind_index("12345679", normaliser="digits")
    settings.PRIVACY_BLIND_INDEX_KEY = base64.b64encode(
        b"another-index-key-of-32-bytes!!!"
    ).decode()
    assert blind_index("12345678", normaliser="digits") != first


@pytest.mark.parametrize(
    ("normaliser", "same", "different"),
    [
        ("email", ["Jo@Example.ORG", " jo@example.org "], ["jo@example.com"]),
        ("digits", ["1234 5678", "1234-5678", "12345678"], ["1234567"]),
        ("text", ["Rue  Saint-Denis", "rue saint-denis "], ["rue saint denis"]),
        (
            "name",
            ["Hélène-Marie D’Amours", "helene marie d amours", "HELENE MARIE D'AMOURS"],
            ["Helen"],
        ),
    ],
)
def test_normalisers_decide_what_counts_as_the_same_value(normaliser, same, different):
    indexes = {blind_index(value, normaliser=normaliser) for value in same}
    assert len(indexes) == 1
    for value in different:
        assert blind_index(value, normaliser=normaliser) not in indexes


def test_a_callable_normaliser_is_accepted_and_an_unknown_name_refused():
    assert blind_index("ab", normaliser=str.upper) == blind_index("AB", normaliser=lambda v: v)
    with pytest.raises(ValueError, match="normaliser"):
        blind_index("x", normaliser="soundex")
