"""A data key per person, kept in its own database, destroyed on deletion (crypto-shredding).

The values of a member's record, their dependants, location, enrolments and claims
are sealed under the member's data key (v2 tokens); the key lives wrapped in the
key store database (alias ``keystore``). Destroyed, every copy of those values
reads as the typed ``Destroyed`` value; everyone else reads normally.
"""

import base64
import json
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.db import connections
from django.test import override_settings
from django.utils import translation

from members.models import Dependant, Member
from privacy.crypto import DecryptionError, aad_for, keyring, unseal
from privacy.fields import Destroyed, blind_index_filter, is_destroyed
from privacy.kernel import envelope
from privacy.keystore.api import data_key_counts, data_keys_destroy, keystore_cache_clear
from privacy.keystore.models import DataKey
from privacy.keystore.services import _cache, data_key_for_sealing
from tests.factories import DependantFactory, MemberFactory

VECTORS = json.loads((Path(__file__).parent / "vectors" / "stored_format.json").read_text())
KEYS = VECTORS["encryption_keys"]
MEMBER_FIELDS = (
    "student_number",
    "first_name",
    "last_name",
    "date_of_birth",
    "address_line1",
    "city",
    "province",
    "postal_code",
    "phone",
    "email",
)


def raw_column(model, pk, column: str):
    """The stored token, as the database holds it (no field, no decrypting)."""
    return model._default_manager.filter(pk=pk).values_list(column, flat=True).get().token


# --- Known-answer vectors of the v2 format ----------------------------------------


@pytest.mark.parametrize("vector", VECTORS["wrapped_data_keys"], ids=lambda v: v["key_ref"])
def test_a_wrapped_data_key_vector_opens_with_aes_gcm_alone_and_wraps_to_the_same_bytes(vector):
    master = base64.b64decode(KEYS[vector["master_key_id"]])
    aad = b"privacy.datakey\x1f" + vector["person"].encode() + b"\x1f" + vector["key_ref"].encode()
    assert aad.hex() == vector["aad"]
    version, key_id, body = vector["wrapped"].split(":", 2)
    assert (version, key_id) == ("v1", vector["master_key_id"])
    data = base64.b64decode(body)
    assert data[:12].hex() == vector["nonce"]
    opened = AESGCM(master).decrypt(data[:12], data[12:], aad)
    assert base64.b64encode(opened).decode() == vector["data_key"]

    ring = _ring(vector["master_key_id"])
    again = envelope.wrap_data_key(
        opened,
        person=vector["person"],
        key_ref=vector["key_ref"],
        ring=ring,
        nonce=bytes.fromhex(vector["nonce"]),
    )
    assert again == vector["wrapped"]
    assert (
        envelope.unwrap_data_key(
            vector["wrapped"], person=vector["person"], key_ref=vector["key_ref"], ring=ring
        )
        == opened
    )
    with pytest.raises(DecryptionError):  # another person's key does not open as this one's
        envelope.unwrap_data_key(
            vector["wrapped"], person=str(uuid.uuid4()), key_ref=vector["key_ref"], ring=ring
        )


def _ring(primary: str) -> envelope.Keyring:
    from privacy.kernel.keys import EncryptionKey

    ordered = [primary, *(k for k in KEYS if k != primary)]
    return envelope.Keyring.of([EncryptionKey(k, base64.b64decode(KEYS[k])) for k in ordered])


def _data_key(ref: str) -> bytes:
    vector = next(v for v in VECTORS["wrapped_data_keys"] if v["key_ref"] == ref)
    return base64.b64decode(vector["data_key"])


@pytest.mark.parametrize("vector", VECTORS["data_key_envelope"], ids=lambda v: v["column"])
def test_a_v2_vector_opens_with_aes_gcm_alone_and_seals_to_the_same_bytes(vector):
    aad = b"%s\x1f%s\x1fu%s" % (
        vector["table"].encode(),
        vector["column"].encode(),
        uuid.UUID(vector["row_id"]["value"]).bytes,
    )
    assert aad.hex() == vector["aad"]
    assert aad == aad_for(
        table=vector["table"], column=vector["column"], row_id=vector["row_id"]["value"]
    )
    version, ref, body = vector["token"].split(":", 2)
    assert (version, ref) == ("v2", vector["key_ref"])
    data = base64.b64decode(body)
    cipher = AESGCM(_data_key(ref))
    assert cipher.decrypt(data[:12], data[12:], aad).hex() == vector["plaintext"]
    again = envelope.seal_with_data_key(
        bytes.fromhex(vector["plaintext"]),
        aad=aad,
        key_ref=ref,
        cipher=cipher,
        nonce=bytes.fromhex(vector["nonce"]),
    )
    assert again == vector["token"]
    assert envelope.token_version(vector["token"]) == "v2"
    assert envelope.data_key_ref_of(vector["token"]) == ref


@pytest.mark.django_db
@override_settings(PRIVACY_ENCRYPTION_KEYS=",".join(f"{k}:{v}" for k, v in KEYS.items()))
def test_the_portal_opens_every_v2_vector_through_the_key_store_then_reads_destroyed():
    for vector in VECTORS["wrapped_data_keys"]:
        DataKey.objects.using("keystore").create(
            id=uuid.UUID(hex=vector["key_ref"]), person=vector["person"], wrapped=vector["wrapped"]
        )
    for vector in VECTORS["data_key_envelope"]:
        aad = bytes.fromhex(vector["aad"])
        assert unseal(vector["token"], aad=aad).hex() == vector["plaintext"]
        with pytest.raises(DecryptionError, match="authentication failed"):
            unseal(vector["token"], aad=aad + b"x")
    destroyed = data_keys_destroy([VECTORS["wrapped_data_keys"][0]["person"]])
    assert destroyed == 1
    from privacy.crypto import KeyDestroyed

    first = VECTORS["data_key_envelope"][0]
    with pytest.raises(KeyDestroyed):
        unseal(first["token"], aad=bytes.fromhex(first["aad"]))


def test_a_v2_token_with_an_unknown_key_says_the_key_store_lacks_it(db):
    token = "v2:" + "ab" * 16 + ":" + base64.b64encode(bytes(40)).decode()
    with pytest.raises(DecryptionError, match="not in the key store"):
        unseal(token, aad=b"members_member\x1fphone\x1fs1")


# --- Sealing under the person's key, in the key store database --------------------


def test_a_member_and_their_household_are_sealed_under_the_members_key_in_the_key_store(db):
    member = MemberFactory()
    child = DependantFactory(member=member)
    raw = raw_column(Member, member.pk, "first_name")
    assert raw.startswith("v2:")
    ref = envelope.data_key_ref_of(raw)
    assert envelope.data_key_ref_of(raw_column(Dependant, child.pk, "first_name")) == ref
    key = DataKey.objects.get(pk=uuid.UUID(hex=ref))
    assert key.person == member.pk and key.wrapped.startswith(keyring().primary_prefix)
    assert key._state.db == "keystore"
    # The main database has no key table at all: the keys are elsewhere.
    assert "privacy_datakey" not in connections["default"].introspection.table_names()
    assert "privacy_datakey" in connections["keystore"].introspection.table_names()
    other = MemberFactory()
    assert envelope.data_key_ref_of(raw_column(Member, other.pk, "first_name")) != ref


def test_the_opened_key_is_cached_in_process_and_bounded(db, django_assert_num_queries):
    member = MemberFactory()
    keystore_cache_clear()
    with django_assert_num_queries(1, connection=connections["keystore"]):
        for _ in range(3):
            fresh = Member.objects.get(pk=member.pk)
            assert fresh.first_name == member.first_name
    with override_settings(KEYSTORE_CACHE_SIZE=2):
        for _ in range(4):
            data_key_for_sealing(uuid.uuid4(), ring=keyring())
        assert len(_cache) <= 2


def test_a_destroyed_key_reads_destroyed_everywhere_and_another_member_reads(db):
    gone = MemberFactory(first_name="Gwendoline")
    child = DependantFactory(member=gone)
    kept = MemberFactory(first_name="Éloïse")
    assert data_keys_destroy([gone.pk]) == 1
    assert data_key_counts()["destroyed"] == 1

    fresh = Member.objects.get(pk=gone.pk)
    for name in MEMBER_FIELDS:
        assert is_destroyed(getattr(fresh, name)), name
    assert is_destroyed(Dependant.objects.get(pk=child.pk).first_name)
    assert Member.objects.get(pk=kept.pk).first_name == "Éloïse"
    # Plain words, in the reader's language; never the token.
    with translation.override("fr"):
        assert str(fresh.first_name) == "Supprimé définitivement"
    with translation.override("en"):
        assert str(fresh.first_name) == "Permanently deleted"
    assert fresh.first_name == Destroyed("x")
    # Saving the row again writes the stored token back, unchanged; indexes stay.
    before = raw_column(Member, gone.pk, "first_name")
    fresh.preferred_language = "en"
    fresh.save()
    assert raw_column(Member, gone.pk, "first_name") == before
    assert Member.objects.filter(blind_index_filter(Member, "student_number", gone.student_number))


def test_destroying_forgets_the_key_in_this_process_at_once(db):
    member = MemberFactory(first_name="Gwendoline")
    assert Member.objects.get(pk=member.pk).first_name == "Gwendoline"  # cached now
    data_keys_destroy([member.pk])
    assert is_destroyed(Member.objects.get(pk=member.pk).first_name)
    key = DataKey.objects.get(person=member.pk)
    assert key.wrapped is None and key.destroyed_at is not None


def test_a_new_row_after_the_destruction_gets_a_new_key(db):
    member = MemberFactory()
    data_keys_destroy([member.pk])
    child = DependantFactory(member=member, first_name="Zoé")
    assert Dependant.objects.get(pk=child.pk).first_name == "Zoé"
    assert DataKey.objects.filter(person=member.pk).count() == 2


def test_rotation_of_the_master_key_rewraps_data_keys_and_leaves_the_rows(db):
    from privacy.rotation.services import encryption_keys_rotate

    member = MemberFactory(first_name="Gwendoline")
    before = raw_column(Member, member.pk, "first_name")
    new_key = base64.b64encode(bytes(range(100, 132))).decode()
    from django.conf import settings

    both = f"new1:{new_key},{settings.PRIVACY_ENCRYPTION_KEYS}"
    with override_settings(PRIVACY_ENCRYPTION_KEYS=both):
        report = encryption_keys_rotate()
        assert report.data_keys == 1
        assert raw_column(Member, member.pk, "first_name") == before
        key = DataKey.objects.get(person=member.pk)
        assert key.wrapped.startswith("v1:new1:")
        assert report.remaining.get("test1", 0) == 0
        keystore_cache_clear()
    with override_settings(PRIVACY_ENCRYPTION_KEYS=f"new1:{new_key}"):
        assert Member.objects.get(pk=member.pk).first_name == "Gwendoline"
