"""Encrypted fields: nothing readable at rest, values bound to their row and column.

Why one module past 400 lines: every encrypted field type shares the same fixtures
and the same three checks (at rest, bound to row and column, round trip).
"""

import datetime
import json
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.test.utils import isolate_apps

from privacy.crypto import DecryptionError, key_id_of
from privacy.fields import (
    BlindIndexField,
    EncryptedCharField,
    EncryptedFieldError,
    EncryptedJSONField,
    EncryptedTextField,
    Sealed,
    blind_index_filter,
)
from privacy.models import PrivateModel
from tests.testapp.models import Note, Vault

pytestmark = pytest.mark.django_db

VALUES = {
    "text": "Allergie aux arachides, traitement en cours",
    "char": "Tremblay",
    "email": "Helene.Tremblay@example.org",
    "phone": "+1 514 555-0199",
    "born_on": datetime.date(2001, 2, 3),
    "count": 987654,
    "data": {"diagnostic": "asthme", "actif": False, "niveau": 0},
    "document": b"%PDF-1.7 carte etudiante 20240001",
    "student_number": "20240001",
}
PLAINTEXT_MARKERS = [
    "arachides",
    "Tremblay",
    "tremblay",
    "example.org",
    "555-0199",
    "5550199",
    "2001-02-03",
    "987654",
    "asthme",
    "carte etudiante",
    "20240001",
]


def raw_row(model, pk) -> dict:
    """The row as the database holds it, read with SQL, not the ORM."""
    table = connection.ops.quote_name(model._meta.db_table)
    pk_column = model._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE id = %s", [pk_column])  # noqa: S608
        columns = [c[0] for c in cursor.description]
        return dict(zip(columns, cursor.fetchone(), strict=True))


def raw_set(model, pk, column: str, value) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    pk_column = model._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {connection.ops.quote_name(column)} = %s WHERE id = %s",  # noqa: S608
            [value, pk_column],
        )


def test_every_type_round_trips():
    vault = Vault.objects.create(**VALUES)
    loaded = Vault.objects.get(pk=vault.pk)
    for name, value in VALUES.items():
        assert getattr(loaded, name) == value, name
    assert type(loaded.document) is bytes
    assert type(loaded.born_on) is datetime.date


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("text", ""),
        ("char", ""),
        ("email", ""),
        ("count", 0),
        ("count", -5),
        ("data", False),
        ("data", 0),
        ("data", ""),
        ("data", []),
        ("data", {}),
        ("document", b""),
    ],
)
def test_empty_and_falsy_values_round_trip_exactly(name, value):
    vault = Vault.objects.create(**{name: value})
    loaded = getattr(Vault.objects.get(pk=vault.pk), name)
    assert loaded == value
    assert type(loaded) is type(value)
    assert raw_row(Vault, vault.pk)[name] is not None


def test_a_json_field_with_its_own_encoder_and_decoder_uses_them():
    class Encoder(json.JSONEncoder):
        def default(self, o):
            return sorted(o) if isinstance(o, set) else super().default(o)

    class Decoder(json.JSONDecoder):
        def __init__(self, **kwargs):
            super().__init__(object_hook=lambda d: {k.upper(): v for k, v in d.items()}, **kwargs)

    field = EncryptedJSONField(encoder=Encoder, decoder=Decoder)
    data = field.encode({"codes": {"b", "a"}, "nom": "Hélène"})
    assert data == '{"codes":["a","b"],"nom":"Hélène"}'.encode()
    assert field.decode(data) == {"CODES": ["a", "b"], "NOM": "Hélène"}
    plain = EncryptedJSONField()
    assert plain.decode(plain.encode({"nom": "Hélène", "le": datetime.date(2001, 2, 3)})) == {
        "nom": "Hélène",
        "le": "2001-02-03",
    }


def test_none_stays_null():
    vault = Vault.objects.create()
    row = raw_row(Vault, vault.pk)
    loaded = Vault.objects.get(pk=vault.pk)
    for name in VALUES:
        assert row[name] is None, name
        assert getattr(loaded, name) is None, name
    assert row["student_number_index"] is None
    assert Vault.objects.filter(email__isnull=True, pk=vault.pk).exists()


def test_the_raw_table_holds_no_plaintext():
    vault = Vault.objects.create(**VALUES)
    row = raw_row(Vault, vault.pk)
    for name in VALUES:
        stored = row[name]
        assert isinstance(stored, str), name
        assert stored.startswith("v1:test1:"), name
        for marker in PLAINTEXT_MARKERS:
            assert marker.lower() not in stored.lower(), (name, marker)
    everything = " ".join(str(value) for value in row.values()).lower()
    for marker in PLAINTEXT_MARKERS:
        assert marker.lower() not in everything, marker


def test_a_value_copied_to_another_row_fails_loudly():
    victim = Vault.objects.create(email="victim@example.org")
    attacker = Vault.objects.create(email="attacker@example.org")
    raw_set(Vault, attacker.pk, "email", raw_row(Vault, victim.pk)["email"])
    loaded = Vault.objects.get(pk=attacker.pk)
    with pytest.raises(DecryptionError) as caught:
        loaded.email  # noqa: B018
    message = str(caught.value)
    assert "testapp_vault.email" in message
    assert str(attacker.pk) in message
    assert "victim" not in message
    assert "v1:" not in message


def test_a_token_moved_into_a_row_already_read_still_fails():
    # Opening a value keeps the row's bytes of associated data on the instance;
    # a token planted afterwards must still be checked against this row.
    victim = Vault.objects.create(email="victim@example.org")
    attacker = Vault.objects.create(email="attacker@example.org", text="t")
    loaded = Vault.objects.get(pk=attacker.pk)
    assert loaded.text == "t"
    loaded.email = Sealed(raw_row(Vault, victim.pk)["email"])  # as a query loads it
    with pytest.raises(DecryptionError, match=str(attacker.pk)):
        loaded.email  # noqa: B018


def test_a_sealed_value_opens_for_the_row_it_was_read_from_whatever_instance_holds_it():
    first = Vault.objects.create(email="first@example.org", text="1")
    second = Vault.objects.create(text="2")
    from_first = Vault.objects.get(pk=first.pk)
    from_second = Vault.objects.get(pk=second.pk)
    assert from_second.text == "2"
    from_second.email = from_first.__dict__["email"]  # still sealed, bound to the first row
    assert from_second.email == "first@example.org"
    from_second.save()
    assert Vault.objects.get(pk=second.pk).email == "first@example.org"
    # A token claiming a row it was not sealed for fails, even on a row already read.
    from_second.char = Sealed(raw_row(Vault, first.pk)["text"], second.pk)
    with pytest.raises(DecryptionError, match=r"testapp_vault\.char"):
        from_second.char  # noqa: B018
    wrong_row = Vault.objects.get(pk=first.pk)
    assert wrong_row.text == "1"
    wrong_row.email = Sealed(raw_row(Vault, second.pk)["email"], second.pk)
    assert wrong_row.email == "first@example.org"  # the second row's own token, its own row
    wrong_row.email = Sealed(raw_row(Vault, second.pk)["email"], first.pk)
    with pytest.raises(DecryptionError, match=str(first.pk)):
        wrong_row.email  # noqa: B018


def test_a_value_copied_to_another_column_or_table_fails_loudly():
    vault = Vault.objects.create(text="dossier médical", char="abc")
    token = raw_row(Vault, vault.pk)["text"]
    raw_set(Vault, vault.pk, "char", token)
    with pytest.raises(DecryptionError, match=r"testapp_vault\.char"):
        Vault.objects.get(pk=vault.pk).char  # noqa: B018
    # Same row id, same column name, another table.
    other = Note(id=vault.id, text="x")
    other.save()
    raw_set(Note, vault.id, "text", token)
    with pytest.raises(DecryptionError, match=r"testapp_note\.text"):
        Note.objects.get(pk=vault.id).text  # noqa: B018


def test_a_raw_plaintext_value_is_refused_not_returned():
    vault = Vault.objects.create(email="a@example.org")
    raw_set(Vault, vault.pk, "email", "planted@example.org")
    with pytest.raises(DecryptionError, match="not an encrypted token"):
        Vault.objects.get(pk=vault.pk).email  # noqa: B018


def test_values_are_opened_lazily_and_unchanged_tokens_are_kept_on_save():
    vault = Vault.objects.create(email="a@example.org", text="t")
    before = raw_row(Vault, vault.pk)
    loaded = Vault.objects.get(pk=vault.pk)
    loaded.label = "relabelled"
    loaded.save()
    after = raw_row(Vault, vault.pk)
    assert after["email"] == before["email"]
    assert after["label"] == "relabelled"
    loaded.text = "changed"
    loaded.save()
    after = raw_row(Vault, vault.pk)
    assert after["text"] != before["text"]
    assert Vault.objects.get(pk=vault.pk).text == "changed"
    assert Vault.objects.get(pk=vault.pk).email == "a@example.org"


def test_deferred_and_refreshed_values_open():
    vault = Vault.objects.create(email="a@example.org", student_number="123")
    deferred = Vault.objects.only("id").get(pk=vault.pk)
    assert deferred.email == "a@example.org"
    assert deferred.student_number_index == vault.student_number_index
    vault.email = "local@example.org"
    vault.refresh_from_db()
    assert vault.email == "a@example.org"


def test_a_copied_instance_is_sealed_for_its_new_row():
    vault = Vault.objects.create(email="a@example.org", text="t")
    copy = Vault.objects.get(pk=vault.pk)
    copy.pk = uuid.uuid4()
    copy._state.adding = True
    copy.save()
    assert Vault.objects.get(pk=copy.pk).email == "a@example.org"
    assert Vault.objects.get(pk=copy.pk).text == "t"


def test_an_instance_read_then_given_a_new_pk_seals_for_the_new_row():
    vault = Vault.objects.create(email="a@example.org", text="t")
    copy = Vault.objects.get(pk=vault.pk)
    assert copy.text == "t"  # opened under the old row id first
    copy.pk = uuid.uuid4()
    copy._state.adding = True
    copy.save()
    assert Vault.objects.get(pk=copy.pk).email == "a@example.org"
    assert Vault.objects.get(pk=copy.pk).text == "t"
    # The instance now binds to its new row: the old row's token no longer opens there.
    copy.email = Sealed(raw_row(Vault, vault.pk)["email"])
    with pytest.raises(DecryptionError, match=str(copy.pk)):
        copy.email  # noqa: B018


def test_bulk_create_seals_each_row():
    rows = Vault.objects.bulk_create([Vault(email=f"m{n}@example.org") for n in range(3)])
    assert sorted(Vault.objects.get(pk=r.pk).email for r in rows) == [
        "m0@example.org",
        "m1@example.org",
        "m2@example.org",
    ]


def test_max_length_applies_to_the_plaintext():
    vault = Vault(char="x" * 11)
    with pytest.raises(ValidationError) as caught:
        vault.full_clean()
    assert "char" in caught.value.message_dict
    Vault(char="x" * 10).full_clean()


def test_phone_and_email_are_validated_in_clear():
    with pytest.raises(ValidationError) as caught:
        Vault(phone="not a phone", email="nope").full_clean()
    assert set(caught.value.message_dict) >= {"phone", "email"}
    Vault(phone="514 555-0123 poste 12", email="a@example.org").full_clean()


# --- Blind index ---------------------------------------------------------------


def test_exact_lookup_by_blind_index_uses_the_normalised_value():
    wanted = Vault.objects.create(student_number="2024 0001", email="Jo@Example.org")
    Vault.objects.create(student_number="20240002", email="other@example.org")
    found = Vault.objects.filter(blind_index_filter(Vault, "student_number", "20240001"))
    assert list(found) == [wanted]
    found = Vault.objects.filter(blind_index_filter(Vault, "email", " jo@example.ORG"))
    assert list(found) == [wanted]
    assert not Vault.objects.filter(blind_index_filter(Vault, "email", "jo@example.com")).exists()


def test_blind_index_uniqueness_holds_in_the_database():
    Vault.objects.create(student_number="20240001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vault.objects.create(student_number="2024-0001")
    # No value, no index: many rows may lack a student number.
    Vault.objects.create()
    Vault.objects.create(student_number="")
    Vault.objects.create(student_number="")


def test_blind_index_unique_validation_runs_before_saving():
    Vault.objects.create(student_number="20240001")
    with pytest.raises(ValidationError) as caught:
        Vault(student_number="20240001").full_clean()
    assert "student_number_index" in caught.value.message_dict


def test_blind_index_follows_every_save():
    vault = Vault.objects.create(student_number="111")
    vault.student_number = "222"
    vault.save()
    assert Vault.objects.filter(blind_index_filter(Vault, "student_number", "222")).exists()
    assert not Vault.objects.filter(blind_index_filter(Vault, "student_number", "111")).exists()
    vault.student_number = None
    vault.save()
    assert raw_row(Vault, vault.pk)["student_number_index"] is None
    loaded = Vault.objects.get(pk=vault.pk)
    loaded.student_number = "333"
    loaded.save(update_fields=["student_number", "student_number_index"])
    assert Vault.objects.filter(blind_index_filter(Vault, "student_number", "333")).get() == vault


def test_clearing_a_value_with_update_clears_its_blind_index():
    vault = Vault.objects.create(student_number="111", email="a@example.org")
    Vault.objects.filter(pk=vault.pk).update(student_number=None)
    row = raw_row(Vault, vault.pk)
    assert row["student_number"] is None
    assert row["student_number_index"] is None
    assert row["email_index"] is not None


def test_blind_index_filter_refuses_fields_without_index_and_empty_values():
    with pytest.raises(EncryptedFieldError, match="no BlindIndexField"):
        blind_index_filter(Vault, "text", "x")
    with pytest.raises(ValueError, match="empty"):
        blind_index_filter(Vault, "student_number", " - ")


def test_names_match_by_blind_index_regardless_of_accents():
    note = Note.objects.create(name="Hélène-Marie Côté")
    assert Note.objects.filter(blind_index_filter(Note, "name", "helene marie cote")).get() == note


# --- What cannot work on ciphertext fails clearly -------------------------------


@pytest.mark.parametrize(
    "lookup",
    [
        {"email": "a@example.org"},
        {"email__exact": "a@example.org"},
        {"email__iexact": "a@example.org"},
        {"email__icontains": "example"},
        {"email__startswith": "a"},
        {"email__in": ["a@example.org"]},
        {"count__gt": 1},
        {"born_on__range": (datetime.date(2000, 1, 1), datetime.date(2001, 1, 1))},
        {"born_on__year": 2000},
        {"data__diagnostic": "asthme"},
        {"email__lower": "a"},
    ],
)
def test_unsupported_lookups_raise_a_clear_error(lookup):
    with pytest.raises(EncryptedFieldError, match="is encrypted"):
        list(Vault.objects.filter(**lookup))


@pytest.mark.parametrize("ordering", ["email", "-born_on", F("count").desc(), "count"])
def test_ordering_by_an_encrypted_field_raises(ordering):
    with pytest.raises(EncryptedFieldError, match="order_by"):
        Vault.objects.order_by(ordering)


def test_isnull_is_the_one_lookup_allowed():
    with_email = Vault.objects.create(email="a@example.org")
    Vault.objects.create()
    assert list(Vault.objects.filter(email__isnull=False)) == [with_email]


def test_queryset_update_and_bulk_update_of_encrypted_values_are_refused():
    vault = Vault.objects.create(email="a@example.org")
    with pytest.raises(EncryptedFieldError, match="Save the instances"):
        Vault.objects.filter(pk=vault.pk).update(email="b@example.org")
    vault.email = "b@example.org"
    with pytest.raises(EncryptedFieldError, match="Save the instances"):
        Vault.objects.bulk_update([vault], ["email"])
    # Even around the queryset guard, plaintext never reaches the database.
    with (
        pytest.raises(EncryptedFieldError, match="can only be written by saving"),
        transaction.atomic(),
    ):
        models.QuerySet(Vault).filter(pk=vault.pk).update(email="b@example.org")
    assert Vault.objects.get(pk=vault.pk).email == "a@example.org"


# --- Misuse is caught by system checks ------------------------------------------


@isolate_apps("tests.testapp")
def test_system_checks_catch_misused_encrypted_fields():
    class NotPrivate(models.Model):  # noqa: DJ008
        secret = EncryptedTextField("secret")

        class Meta:
            app_label = "testapp"

    class Misused(PrivateModel):
        secret = EncryptedCharField("secret", max_length=10, unique=True)
        orphan_index = BlindIndexField("index", source="plain")
        plain = models.CharField("plain", max_length=10)

        class Meta:
            app_label = "testapp"
            ordering = ["-secret"]

    class PlainManager(PrivateModel):
        secret = EncryptedTextField("secret")
        objects = models.Manager()

        class Meta:
            app_label = "testapp"

    ids = {error.id for model in (NotPrivate, Misused, PlainManager) for error in model.check()}
    assert {
        "privacy.E101",
        "privacy.E102",
        "privacy.E103",
        "privacy.E104",
        "privacy.E110",
    } <= ids
    assert not [e for e in Vault.check() if e.id.startswith("privacy.")]


def test_the_data_map_sees_which_fields_are_encrypted():
    from privacy.datamap import registry as datamap
    from privacy.datamap.registry import Category, PersonalField, Purpose, declare

    try:
        declaration = declare(
            Vault,
            subject=None,
            personal=[
                PersonalField("email", Category.CONTACT, (Purpose.IDENTIFY_AND_COMMUNICATE,)),
                PersonalField("label", Category.IDENTITY, (Purpose.IDENTIFY_AND_COMMUNICATE,)),
            ],
        )
        assert declaration.encrypted == frozenset({"email"})
    finally:
        datamap._registry.pop("testapp.Vault", None)


def test_tokens_name_their_key():
    vault = Vault.objects.create(email="a@example.org")
    assert key_id_of(raw_row(Vault, vault.pk)["email"]) == "test1"
