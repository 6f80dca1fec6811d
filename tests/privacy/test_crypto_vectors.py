"""Known-answer vectors pin the stored format of encrypted values and blind indexes.

Round trips through the same code prove nothing about values already on disk:
change the associated data by one byte, the token layout or the version, and
every round trip still passes while every stored value becomes unreadable.
These vectors were built from the format's description (vectors/stored_format.json,
``format``) with fixed keys and nonces, independently of privacy.crypto; each
must open, and sealing its plaintext again with its nonce must give the very
same bytes. The file is append-only: a new format comes with a new version,
new vectors and a migration of the stored values.
"""

import base64
import json
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from privacy.crypto import (
    NORMALISERS,
    DecryptionError,
    aad_for,
    aad_prefix,
    blind_index,
    blind_index_digests,
    key_id_of,
    row_id_bytes,
    seal,
    token_prefix,
    unseal,
)
from privacy.kernel import envelope

VECTORS = json.loads((Path(__file__).parent / "vectors" / "stored_format.json").read_text())
KEYS = VECTORS["encryption_keys"]
ENVELOPE = VECTORS["envelope"]
INDEX = VECTORS["blind_index"]


def ring(primary: str) -> str:
    """PRIVACY_ENCRYPTION_KEYS with ``primary`` first, then every other vector key."""
    ordered = [primary, *(key_id for key_id in KEYS if key_id != primary)]
    return ",".join(f"{key_id}:{KEYS[key_id]}" for key_id in ordered)


def row_ids(vector: dict) -> list:
    """Every form the vector's row id takes in the code (a UUID and its text are the same)."""
    kind, value = vector["row_id"]["type"], vector["row_id"]["value"]
    if kind == "uuid":
        return [uuid.UUID(value), value, str(uuid.UUID(value))]
    if kind == "int":
        return [value]
    return [value]


def vector_id(vector: dict) -> str:
    return f"{vector['key_id']}-{vector['table']}.{vector['column']}-{vector['row_id']['type']}"


@pytest.fixture
def vector_keys(settings):
    settings.PRIVACY_BLIND_INDEX_KEY = VECTORS["blind_index_key"]
    settings.PRIVACY_BLIND_INDEX_PREVIOUS_KEY = ""

    def use(primary: str) -> None:
        settings.PRIVACY_ENCRYPTION_KEYS = ring(primary)

    return use


@pytest.fixture
def fixed_nonce(monkeypatch):
    """seal() draws exactly one 12-byte nonce from the OS: hand it the vector's."""
    drawn = []

    def use(nonce: bytes) -> None:
        def urandom(size: int) -> bytes:
            assert size == len(nonce) == 12
            drawn.append(size)
            return nonce

        monkeypatch.setattr(envelope, "urandom", urandom)

    yield use
    assert drawn, "seal() no longer draws its nonce from os.urandom"


@pytest.mark.parametrize("vector", ENVELOPE, ids=vector_id)
def test_the_associated_data_is_byte_for_byte_the_stored_format(vector):
    expected = bytes.fromhex(vector["aad"])
    for row_id in row_ids(vector):
        assert aad_for(table=vector["table"], column=vector["column"], row_id=row_id) == expected
        assert (
            aad_prefix(table=vector["table"], column=vector["column"]) + row_id_bytes(row_id)
            == expected
        )


@pytest.mark.parametrize("vector", ENVELOPE, ids=vector_id)
@pytest.mark.parametrize("primary", list(KEYS))
def test_every_stored_vector_opens_under_any_primary_key(vector, primary, vector_keys):
    # Under its own key as primary (fast path) and under another primary (checked path).
    vector_keys(primary)
    aad = bytes.fromhex(vector["aad"])
    assert key_id_of(vector["token"]) == vector["key_id"]
    assert unseal(vector["token"], aad=aad) == bytes.fromhex(vector["plaintext"])


@pytest.mark.parametrize("vector", ENVELOPE, ids=vector_id)
def test_sealing_again_with_the_vector_nonce_gives_the_same_bytes(vector, vector_keys, fixed_nonce):
    vector_keys(vector["key_id"])
    fixed_nonce(bytes.fromhex(vector["nonce"]))
    aad = aad_for(table=vector["table"], column=vector["column"], row_id=row_ids(vector)[0])
    token = seal(bytes.fromhex(vector["plaintext"]), aad=aad)
    assert token == vector["token"]
    assert token.startswith(token_prefix(vector["key_id"]))


@pytest.mark.parametrize("vector", ENVELOPE, ids=vector_id)
def test_the_token_layout_is_version_key_id_and_nonce_ciphertext_tag(vector):
    """The layout spelled out with the cipher alone, so the vectors do not pin themselves."""
    version, key_id, body = vector["token"].split(":")
    raw = base64.b64decode(body, validate=True)
    nonce, sealed = raw[:12], raw[12:]
    plaintext = bytes.fromhex(vector["plaintext"])
    assert (version, key_id) == ("v1", vector["key_id"])
    assert nonce.hex() == vector["nonce"]
    assert len(sealed) == len(plaintext) + 16
    cipher = AESGCM(base64.b64decode(KEYS[key_id]))
    assert cipher.decrypt(nonce, sealed, bytes.fromhex(vector["aad"])) == plaintext


def test_the_vectors_cover_each_row_id_kind_both_keys_and_empty_values():
    assert {v["row_id"]["type"] for v in ENVELOPE} == {"uuid", "int", "text"}
    assert {v["key_id"] for v in ENVELOPE} == set(KEYS)
    assert {v["key_id"] for v in ENVELOPE if not v["plaintext"]} == set(KEYS)


@pytest.mark.parametrize("vector", ENVELOPE, ids=vector_id)
def test_a_vector_moved_to_another_row_or_column_does_not_open(vector, vector_keys):
    vector_keys(vector["key_id"])
    aad = bytes.fromhex(vector["aad"])
    for other in (
        aad[:-1] + bytes([aad[-1] ^ 1]),  # another row
        aad_for(table=vector["table"], column=vector["column"] + "x", row_id=0),
        aad_for(table=vector["table"] + "x", column=vector["column"], row_id=0),
    ):
        with pytest.raises(DecryptionError, match="authentication failed"):
            unseal(vector["token"], aad=other)


# --- Malformed tokens ----------------------------------------------------------------

GOOD = ENVELOPE[0]


@pytest.mark.parametrize(
    ("make", "cause"),
    [
        (lambda t: t.replace("v1:", "v2:", 1), "not an encrypted token"),
        (lambda t: t.replace("v1:", "V1:", 1), "not an encrypted token"),
        (lambda t: t.replace("v1:", "v0:", 1), "not an encrypted token"),
        (lambda t: t.replace("v1:", "", 1), "not an encrypted token"),
        (lambda t: t.replace("v1:k2024:", "v1::", 1), "key id ''"),
        (lambda t: t.replace("v1:k2024:", "v1:k2025-b:", 1), "authentication failed"),
        (lambda t: " " + t, "not an encrypted token"),
        (lambda t: t + ":", "the token is corrupt"),
        (lambda t: t + "%", "the token is corrupt"),
        (lambda t: t[:20] + "*" + t[20:], "the token is corrupt"),
        (lambda t: t[:20] + "\n" + t[20:], "the token is corrupt"),
        (lambda t: t + "AAAA", "the token is corrupt"),  # data after the padding
        (lambda t: t.rsplit(":", 1)[0] + ":", "the token is truncated"),
    ],
)
@pytest.mark.parametrize("primary", list(KEYS))
def test_a_malformed_token_is_refused_and_says_why(make, cause, primary, vector_keys):
    vector_keys(primary)
    aad = bytes.fromhex(GOOD["aad"])
    assert unseal(GOOD["token"], aad=aad)  # the vector itself opens
    with pytest.raises(DecryptionError, match=cause) as caught:
        unseal(make(GOOD["token"]), aad=aad)
    assert "members_member.phone" in str(caught.value)


@pytest.mark.parametrize(
    "token",
    ["", "v1", "v1:k2024", "v1::AAAA", "v2:k2024:AAAA", "V1:k2024:AAAA", ":k2024:AAAA", None, 7],
)
def test_key_id_of_refuses_what_is_not_a_token_of_the_known_format(token):
    with pytest.raises(DecryptionError, match="not an encrypted token of a known format"):
        key_id_of(token)


def test_key_id_of_reads_ids_with_dashes_and_underscores():
    assert key_id_of("v1:k_2025-b:AAAA") == "k_2025-b"
    assert key_id_of("v1:a:b:c") == "a"


@pytest.mark.parametrize("primary", list(KEYS))
def test_not_a_string_is_refused(primary, vector_keys):
    vector_keys(primary)
    for token in (None, b"v1:k2024:AAAA", 12):
        with pytest.raises(DecryptionError, match="not an encrypted token"):
            unseal(token, aad=b"t\x1fc\x1fs1")


def test_an_empty_value_sealed_under_an_old_key_opens_and_stays_empty(vector_keys):
    old = next(v for v in ENVELOPE if v["key_id"] == "k2025-b" and not v["plaintext"])
    vector_keys("k2024")  # k2025-b is no longer the primary key: the checked path opens it
    assert unseal(old["token"], aad=bytes.fromhex(old["aad"])) == b""
    # A token with no room for nonce and tag is truncated, under any key.
    body = base64.b64decode(old["token"].rsplit(":", 1)[1])
    short = "v1:k2025-b:" + base64.b64encode(body[:-1]).decode()
    with pytest.raises(DecryptionError, match="truncated"):
        unseal(short, aad=bytes.fromhex(old["aad"]))


# --- Blind index ---------------------------------------------------------------------


def index_id(vector: dict) -> str:
    return f"{vector['normaliser']}:{vector['value']!r}"


@pytest.mark.parametrize("vector", INDEX, ids=index_id)
def test_each_normaliser_gives_the_stored_normal_form(vector):
    assert NORMALISERS[vector["normaliser"]](vector["value"]) == vector["normalised"]


@pytest.mark.parametrize("vector", INDEX, ids=index_id)
def test_each_blind_index_is_the_stored_digest(vector, vector_keys):
    for value in (vector["value"], vector["normalised"]):
        assert blind_index(value, normaliser=vector["normaliser"]) == vector["digest"]
        assert blind_index_digests(value, normaliser=vector["normaliser"]) == (vector["digest"],)


def test_the_vectors_cover_every_normaliser():
    assert {v["normaliser"] for v in INDEX} == set(NORMALISERS)
