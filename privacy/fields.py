"""Encrypted model fields and blind indexes.

Each encrypted field stores a token (see ``privacy.crypto``) in a ``text``
column, bound to its table, column and row. ``from_db_value`` has no access to
the row, so values are loaded sealed and opened lazily, on first attribute
access, by a descriptor that knows the instance and its primary key; they are
sealed again in ``pre_save``, once the primary key is known. Models using these
fields subclass ``privacy.models.PrivateModel`` (UUID primary key assigned in
Python, and a queryset that keeps blind indexes in step).

Ciphertext cannot be compared in SQL: only the ``isnull`` lookup is allowed.
Exact matches go through a ``BlindIndexField`` and ``blind_index_filter``.
``values()``/``values_list()`` return unopened ``Sealed`` objects (no row to
bind them to); read model instances instead. ``loaddata`` cannot write
encrypted values (fixtures are raw saves); ``dumpdata`` writes them in clear.

Why one module past 400 lines: the encrypted fields and the blind index share one
descriptor protocol (sealed on read, indexed on write); reading them apart hides it.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core import checks, validators
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.db.models.query_utils import DeferredAttribute
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from privacy.app_settings import app_settings
from privacy.crypto import (
    DecryptionError,
    KeyDestroyed,
    Normaliser,
    aad_prefix,
    blind_index,
    blind_index_digests,
    key_id_of,
    keyring,
    normalise_name,
    resolve_normaliser,
    row_id_bytes,
    seal,
    seal_for_person,
    unseal,
)

__all__ = ["normalise_name"]  # and every name defined below


class EncryptedFieldError(FieldError):
    """An operation that cannot work on ciphertext (SQL comparison, bulk write)."""


class Sealed:
    """A token as stored, not yet opened; ``row_id`` is the row it was read from."""

    __slots__ = ("row_id", "token")

    def __init__(self, token: str, row_id: Any = None) -> None:
        self.token = token
        self.row_id = row_id

    def __repr__(self) -> str:  # the token is not shown: it is not for logs either
        return "<Sealed>"


class Destroyed:
    """A value whose person's data key was destroyed: gone for good, and said so in plain words.

    What an encrypted field reads as once its person was deleted (crypto-shredding),
    in the live database or in any backup restored beside today's key store. It
    prints as a label (FR/EN) in pages, admin and the export; it keeps the stored
    token so saving the row again writes it back unchanged. ``is_destroyed(value)``
    tests for it.
    """

    __slots__ = ("row_id", "token")

    def __init__(self, token: str, row_id: Any = None) -> None:
        self.token = token
        self.row_id = row_id

    def __str__(self) -> str:
        return str(_("Supprimé définitivement"))

    def __repr__(self) -> str:
        return "<Destroyed>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Destroyed)

    def __hash__(self) -> int:
        return hash(Destroyed)


def is_destroyed(value: Any) -> bool:
    """Whether a field value is gone because its person's data key was destroyed."""
    return type(value) is Destroyed


_MISSING = object()

# Where an instance keeps its row id's associated-data bytes (see _row_aad).
_ROW_AAD = "_privacy_row_aad"


def _row_aad(instance: models.Model, row_id: Any) -> bytes:
    """``row_id_bytes(row_id)``, computed once for all the encrypted fields of a row.

    Cached in the instance as ``(row id, bytes)`` and reused only for that very
    row id object (row ids are immutable: UUID, str, int), so a value read from
    another row, or an instance whose pk changed, never gets a stale binding.
    """
    cached = instance.__dict__.get(_ROW_AAD)
    if cached is not None and cached[0] is row_id:
        return cached[1]
    row_bytes = row_id_bytes(row_id)
    instance.__dict__[_ROW_AAD] = (row_id, row_bytes)
    return row_bytes


def _label(field: models.Field) -> str:
    model = getattr(field, "model", None)
    return f"{model._meta.label}.{field.name}" if model else str(field.name)


class EncryptedAttribute(DeferredAttribute):
    """Opens the stored token on first access, with the instance's row id."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        field = self.field
        values = instance.__dict__
        try:
            value = values[field.attname]
        except KeyError:  # deferred: load it
            value = super().__get__(instance, cls)
        if type(value) is Sealed:
            # Opened here rather than through a field method: this runs for every
            # value read, and that extra call measured an eighth of the decryption.
            row_id = value.row_id
            if row_id is None:
                row_id = instance.pk
            aad = field.aad_prefix + _row_aad(instance, row_id)
            try:
                value = field.decode(unseal(value.token, aad=aad))
            except KeyDestroyed:
                value = Destroyed(value.token, row_id)
            values[field.attname] = value
        return value

    def __set__(self, instance, value) -> None:
        if type(value) is Sealed and value.row_id is None:
            # Loaded from the database: remember the row the token belongs to,
            # even if the instance's pk changes before the value is read.
            value.row_id = instance.__dict__.get(self.field.model._meta.pk.attname)
        instance.__dict__[self.field.attname] = value


if TYPE_CHECKING:  # the mixin's attributes are the Field's it is mixed into
    _FieldBase = models.Field
else:
    _FieldBase = object


class EncryptedFieldMixin(_FieldBase):
    """Shared behaviour: a text column holding a token; lazy opening; no SQL lookups."""

    encrypted = True
    descriptor_class: type = EncryptedAttribute
    aad_prefix: bytes  # table and column, bound by contribute_to_class()

    # Subclasses convert between the Python value and the bytes that are sealed.
    def encode(self, value: Any) -> bytes:
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:
        raise NotImplementedError

    # --- Storage ---------------------------------------------------------
    def get_internal_type(self) -> str:
        return "TextField"

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def rel_db_type(self, connection):
        return self.db_type(connection)

    def cast_db_type(self, connection):
        return self.db_type(connection)

    def select_format(self, compiler, sql, params):
        return sql, params

    def from_db_value(self, value, expression, connection):
        return None if value is None else Sealed(value)

    def open_decoy(self, value: Any) -> Any:
        """Open a sealed copy of ``value`` as reading a stored one does (same cipher, cost).

        A lookup that finds no row opens this instead, so a miss does the work of a
        hit and its timing tells nothing. Sealed again when the primary key changes.
        """
        decoys = self.__dict__.setdefault("_decoys", {})
        for _attempt in range(2):
            decoy = decoys.get(value)
            if decoy is None or key_id_of(decoy[1]) != keyring().primary_id:
                row_id = uuid.uuid4()
                decoy = decoys[value] = (row_id, seal(self.encode(value), aad=self.aad(row_id)))
            row_id, token = decoy
            try:
                return self.decode(unseal(token, aad=self.aad(row_id)))
            except DecryptionError:  # the keys changed under the same id: seal it again
                decoys.pop(value, None)
        return value

    def aad(self, row_id: Any) -> bytes:
        """Associated data for this column of the row ``row_id``."""
        return self.aad_prefix + row_id_bytes(row_id)

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)  # type: ignore[misc]
        self._bind_to_table()

    def _bind_to_table(self) -> None:
        # Once per model (a copy of the field for another model binds anew), so
        # that opening and sealing a value only append the row's bytes.
        self.aad_prefix = aad_prefix(table=self.model._meta.db_table, column=str(self.column))

    def value_to_seal(self, model_instance: models.Model, add: bool) -> Any:
        return getattr(model_instance, self.attname)

    # Whether a stored token read from the database may be written back unchanged,
    # and whether pre_save must compute the value (auto_now dates).
    keeps_unchanged_tokens = True
    converts_on_save = False

    def pre_save(self, model_instance, add):
        row_id = model_instance.pk
        current = model_instance.__dict__.get(self.attname, _MISSING)
        if type(current) is Destroyed:
            # Gone for good: written back as stored (nothing could seal it again).
            return Sealed(current.token, current.row_id if current.row_id is not None else row_id)
        if (
            type(current) is Sealed
            and self.keeps_unchanged_tokens
            and current.row_id is not None
            and (current.row_id == row_id or row_id_bytes(current.row_id) == row_id_bytes(row_id))
        ):
            # Unchanged since it was read, same row: keep the stored token as is.
            return current
        if current is _MISSING or type(current) is Sealed or self.converts_on_save:
            value = self.value_to_seal(model_instance, add)
        else:
            value = current  # in clear in the instance: what was set, or opened
        if value is None:
            return None
        if row_id is None:
            raise EncryptedFieldError(
                f"{_label(self)}: the row needs its primary key before a value is sealed "
                "(subclass privacy.models.PrivateModel)."
            )
        aad = self.aad_prefix + _row_aad(model_instance, row_id)
        person = self.data_key_person(model_instance)
        if person is None:
            return Sealed(seal(self.encode(value), aad=aad), row_id)
        return Sealed(seal_for_person(self.encode(value), aad=aad, person=person), row_id)

    def data_key_person(self, model_instance: models.Model) -> Any:
        """Whose data key seals this row's values (``PrivateModel.data_key_owner``), if anyone's."""
        owner = getattr(type(model_instance), "data_key_owner", None)
        if owner is None or not app_settings.DATA_KEYS:
            return None
        return model_instance.__dict__.get(owner)

    def _refuse_plaintext(self, value):
        if value is None:
            return None
        if type(value) is Sealed:
            return value.token
        raise EncryptedFieldError(
            f"{_label(self)} is encrypted: its values can only be written by saving model "
            "instances (instance.save(), objects.create(), bulk_create()). QuerySet.update(), "
            "bulk_update() and raw fixtures cannot bind the ciphertext to its row (and a "
            "migration adding an encrypted column to existing rows must make it null=True)."
        )

    def get_db_prep_save(self, value, connection):
        return self._refuse_plaintext(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        return self._refuse_plaintext(value)

    # --- Queries -----------------------------------------------------------
    def _unsupported(self, name: str) -> EncryptedFieldError:
        return EncryptedFieldError(
            f"{_label(self)} is encrypted: the database only holds ciphertext, so "
            f"'{name}' cannot work on it (no comparison, range, text search or ordering "
            "can). Only 'isnull' is allowed. For exact matches, add a BlindIndexField("
            f"source='{self.name}') and filter with privacy.fields.blind_index_filter()."
        )

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise self._unsupported(lookup_name)

    def get_transform(self, lookup_name):
        raise self._unsupported(lookup_name)

    # --- Checks ------------------------------------------------------------
    def check(self, **kwargs):
        return [*super().check(**kwargs), *self._check_encrypted()]

    def _check_encrypted(self) -> list[checks.CheckMessage]:
        from privacy.private_model import PrivateModel, PrivateQuerySet

        errors: list[checks.CheckMessage] = []
        if self.unique or self.db_index or self.primary_key:  # type: ignore[attr-defined]  # Field.db_index, unknown to the stubs
            errors.append(
                checks.Error(
                    "Encrypted fields cannot be unique, indexed or a primary key: "
                    "ciphertext is random.",
                    hint="Add a BlindIndexField(source=..., unique=True) instead.",
                    obj=self,
                    id="privacy.E101",
                )
            )
        if not issubclass(self.model, PrivateModel):
            errors.append(
                checks.Error(
                    "Models with encrypted fields must subclass privacy.models.PrivateModel.",
                    obj=self,
                    id="privacy.E102",
                )
            )
        ordering = [
            item.lstrip("-") for item in self.model._meta.ordering or () if isinstance(item, str)
        ]
        if self.name in ordering or self.attname in ordering:
            errors.append(
                checks.Error(
                    "Meta.ordering cannot use an encrypted field: the database cannot sort "
                    "ciphertext.",
                    obj=self,
                    id="privacy.E103",
                )
            )
        manager = self.model._default_manager
        if not issubclass(manager._queryset_class, PrivateQuerySet):  # type: ignore[attr-defined]  # what from_queryset() built it from
            errors.append(
                checks.Error(
                    "The default manager of a model with encrypted fields must use "
                    "privacy.models.PrivateQuerySet (it refuses update() of encrypted "
                    "values and keeps blind indexes in step).",
                    obj=self,
                    id="privacy.E104",
                )
            )
        return errors


class _StrMixin(EncryptedFieldMixin):
    def encode(self, value: Any) -> bytes:
        return (value if type(value) is str else self.to_python(value)).encode()

    def decode(self, data: bytes) -> str:
        return data.decode()


class EncryptedTextField(_StrMixin, models.TextField):
    pass


class EncryptedCharField(_StrMixin, models.CharField):
    """``max_length`` applies to the plaintext (validation); the column is ``text``."""


class EncryptedEmailField(_StrMixin, models.EmailField):
    pass


phone_validator = validators.RegexValidator(
    r"^\+?[0-9 ().-]{7,25}(?:\s*(?:poste|ext\.?|x)\s*[0-9]{1,6})?$",
    message=_("Entrez un numéro de téléphone valide, par exemple 514 555-0123."),
    code="invalid_phone",
)


class EncryptedPhoneField(_StrMixin, models.CharField):
    default_validators = [phone_validator]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})
        return super().formfield(**{"widget": widget, **kwargs})


class EncryptedDateField(EncryptedFieldMixin, models.DateField):
    def encode(self, value: Any) -> bytes:
        return self.to_python(value).isoformat().encode()

    def decode(self, data: bytes) -> datetime.date:
        return datetime.date.fromisoformat(data.decode())

    @property
    def keeps_unchanged_tokens(self) -> bool:  # type: ignore[override]  # computed here
        return not self.auto_now

    @property
    def converts_on_save(self) -> bool:  # type: ignore[override]  # computed here
        return self.auto_now or self.auto_now_add

    def value_to_seal(self, model_instance, add):
        return models.DateField.pre_save(self, model_instance, add)  # auto_now, auto_now_add

    # django-stubs give DateField's contribute_to_class **kwargs, Field's private_only.
    def contribute_to_class(  # type: ignore[override]
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        # Skip DateField's get_next_by_<name>(): it orders by the column.
        models.Field.contribute_to_class(self, cls, name, private_only=private_only)
        self._bind_to_table()


class EncryptedIntegerField(EncryptedFieldMixin, models.IntegerField):
    def encode(self, value: Any) -> bytes:
        return str(self.to_python(value)).encode()

    def decode(self, data: bytes) -> int:
        return int(data)

    @cached_property
    def validators(self):
        # IntegerField derives range validators from the column type, which is text here.
        return [*self.default_validators, *self._validators]


# Shared by the JSON fields that name no encoder or decoder of their own: json.dumps()
# and json.loads() with options build a new one per call, which cost as much as the
# conversion itself. Both are stateless between calls. Our encoder writes UTF-8 only.
_JSON_ENCODER = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":"))
_JSON_DECODER = json.JSONDecoder()


class EncryptedJSONField(EncryptedFieldMixin, models.JSONField):
    def encode(self, value: Any) -> bytes:
        if self.encoder is None:
            return _JSON_ENCODER.encode(value).encode()
        return json.dumps(
            value, cls=self.encoder, ensure_ascii=False, separators=(",", ":")
        ).encode()

    def decode(self, data: bytes) -> Any:
        if self.decoder is None:
            return _JSON_DECODER.decode(data.decode())
        return json.loads(data, cls=self.decoder)


class EncryptedBinaryField(EncryptedFieldMixin, models.BinaryField):
    """Small documents (bytes). Not editable in forms by default, like BinaryField."""

    def encode(self, value: Any) -> bytes:
        if isinstance(value, bytes | bytearray | memoryview):
            return bytes(value)
        raise TypeError(f"{_label(self)} holds bytes, not {type(value).__name__}")

    def decode(self, data: bytes) -> bytes:
        return data


# --- Blind index ---------------------------------------------------------------

# A source in one of these states is not in clear: the stored digest stands.
_NOT_IN_CLEAR = (Sealed, Destroyed)

# Joins the normalised parts of a composite index; no normaliser leaves it in a part.
_PART_SEPARATOR = "\x1f"


def _already_normalised(value: str) -> str:
    return value


class BlindIndexAttribute(DeferredAttribute):
    """Always in step with the source: computed from it whenever it is in clear."""

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        field = self.field
        if field.is_composite:
            # One part in clear (set or read) and the index follows: open the others.
            loaded = [instance.__dict__.get(name, _MISSING) for name in field.source_attnames]
            if any(v is not _MISSING and type(v) not in _NOT_IN_CLEAR for v in loaded):
                parts = tuple(getattr(instance, n) for n in field.sources)
                if not any(type(part) is Destroyed for part in parts):
                    return field.index_of(parts)
            return super().__get__(instance, cls)
        source = instance.__dict__.get(field.source_attname, _MISSING)
        if source is not _MISSING and type(source) not in _NOT_IN_CLEAR:
            return field.index_of(source)
        return super().__get__(instance, cls)

    def __set__(self, instance, value) -> None:
        instance.__dict__[self.field.attname] = value


class BlindIndexField(models.CharField):
    """HMAC-SHA256 of the normalised value of an encrypted field, for exact lookups.

    NULL when the source is NULL or normalises to nothing. ``unique=True`` makes
    the normalised value unique (NULLs excepted).

    ``source`` may name several fields (``("last_name", "date_of_birth")``): the
    index is then over the pair, each part normalised by its own normaliser
    (``normaliser=("name", "text")``), so a lookup needs every part and matches
    none alone. NULL when any part is NULL or normalises to nothing.
    """

    descriptor_class: type = BlindIndexAttribute

    def __init__(
        self,
        *args,
        source: str | tuple[str, ...],
        normaliser: Normaliser | tuple[Normaliser, ...] = "text",
        unique: bool = False,
        **kwargs,
    ):
        self.source = source if isinstance(source, str) else tuple(source)
        self.normaliser = normaliser if not isinstance(normaliser, list) else tuple(normaliser)
        kwargs["max_length"] = 64
        kwargs["editable"] = False
        kwargs["null"] = True
        kwargs["blank"] = True
        kwargs.setdefault("db_index", not unique)
        kwargs["unique"] = unique
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "editable", "null", "blank"):
            kwargs.pop(key, None)
        if kwargs.get("db_index") == (not self.unique):
            kwargs.pop("db_index", None)
        kwargs["source"] = self.source
        kwargs["normaliser"] = self.normaliser
        return name, path, args, kwargs

    @property
    def is_composite(self) -> bool:
        return not isinstance(self.source, str)

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else self.source

    @property
    def source_fields(self) -> list[EncryptedFieldMixin]:
        """The encrypted fields the index is computed from."""
        return [
            cast(EncryptedFieldMixin, self.model._meta.get_field(name)) for name in self.sources
        ]

    @property
    def source_field(self) -> models.Field:
        return self.source_fields[0]

    @property
    def source_attnames(self) -> list[str]:
        return [f.attname for f in self.source_fields]

    @property
    def source_attname(self) -> str:
        return self.source_field.attname

    def _part_normalisers(self) -> tuple:
        if isinstance(self.normaliser, tuple):
            return self.normaliser
        return (self.normaliser,) * len(self.sources)

    def _indexed_text(self, value: Any) -> str | None:
        """The text the HMAC covers: the normalised value, or the normalised parts joined."""
        if not self.is_composite:
            # Not composite: one normaliser, not a tuple of them.
            normaliser = cast("str | Callable[[str], str]", self.normaliser)
            if value is None or not resolve_normaliser(normaliser)(str(value)):
                return None
            return str(value)
        if not isinstance(value, tuple | list) or len(value) != len(self.sources):
            raise ValueError(f"{self.name} is an index over {self.sources}: give one value each")
        parts = []
        for part, normaliser in zip(value, self._part_normalisers(), strict=True):
            if part is None:
                return None
            normalised = resolve_normaliser(normaliser)(str(part))
            if not normalised:
                return None
            parts.append(normalised)
        return _PART_SEPARATOR.join(parts)

    def _text_normaliser(self):
        return _already_normalised if self.is_composite else self.normaliser

    def index_of(self, value: Any) -> str | None:
        text = self._indexed_text(value)
        if text is None:
            return None
        return blind_index(text, normaliser=self._text_normaliser())

    def digests_of(self, value: Any) -> tuple[str, ...]:
        """``index_of(value)``, then its index under the previous key while one is set."""
        text = self._indexed_text(value)
        if text is None:
            return ()
        return blind_index_digests(text, normaliser=self._text_normaliser())

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        model_instance.__dict__[self.attname] = value
        return value

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        for name in self.sources:
            try:
                source = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                source = None
            if source is None or not getattr(source, "encrypted", False):
                errors.append(
                    checks.Error(
                        f"BlindIndexField source {name!r} is not an encrypted field of this model.",
                        obj=self,
                        id="privacy.E110",
                    )
                )
        try:
            for normaliser in self._part_normalisers():
                resolve_normaliser(normaliser)
            if len(self._part_normalisers()) != len(self.sources):
                raise ValueError(f"{self.name}: one normaliser per source, or one for all")
        except ValueError as error:
            errors.append(checks.Error(str(error), obj=self, id="privacy.E111"))
        return errors


def blind_indexes_of(
    model: type[models.Model], source: str | tuple[str, ...] | None = None
) -> list[BlindIndexField]:
    """The indexes over exactly ``source`` (a field name, or a tuple of them)."""
    if source is not None and not isinstance(source, str):
        source = tuple(source)
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, BlindIndexField) and (source is None or f.source == source)
    ]


def blind_indexes_over(model: type[models.Model], field_name: str) -> list[BlindIndexField]:
    """Every index ``field_name`` is part of (alone or in a composite): cleared with it."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, BlindIndexField) and field_name in f.sources
    ]


def blind_index_filter(
    model: type[models.Model], field_name: str | tuple[str, ...], value: Any
) -> Q:
    """``Q`` matching rows whose encrypted ``field_name`` equals ``value`` once normalised.

    ``Member.objects.filter(blind_index_filter(Member, "student_number", "123"))``;
    for a composite index, a tuple of names and one of values:
    ``blind_index_filter(Member, ("last_name", "date_of_birth"), ("Nguyen", dob))``.

    While PRIVACY_BLIND_INDEX_PREVIOUS_KEY is set, a row still indexed under it
    matches too (``manage.py reindex_blind_indexes`` has not reached it yet).
    """
    indexes = blind_indexes_of(model, field_name)
    if not indexes:
        raise EncryptedFieldError(
            f"{model._meta.label}.{field_name} has no BlindIndexField: it cannot be "
            "looked up by value."
        )
    index = indexes[0]
    if value is None:
        if index.is_composite:
            return Q(**{f"{index.name}__isnull": True})
        return Q(**{f"{field_name}__isnull": True})
    digests = index.digests_of(value)
    if not digests:
        raise ValueError(f"An empty {model._meta.label}.{field_name} cannot be looked up.")
    if len(digests) == 1:
        return Q(**{index.name: digests[0]})
    return Q(**{f"{index.name}__in": list(digests)})


def is_encrypted(field: Any) -> bool:
    return bool(getattr(field, "encrypted", False))


def encrypted_field_at(model: type[models.Model], path: str) -> models.Field | None:
    """The encrypted field an ORM path (``"member__email"``) ends on, if any."""
    field = None
    for part in path.split("__"):
        if field is not None:
            if not field.is_relation or field.related_model is None:
                return None
            model = field.related_model
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
    return field if isinstance(field, models.Field) and is_encrypted(field) else None


# --- Crypto-shredding: what a deletion needs of the fields ------------------------------


def data_key_owner_models() -> list[type[models.Model]]:
    """Every installed model whose encrypted values are sealed under a person's data key."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if getattr(model, "data_key_owner", None)
        and any(is_encrypted(f) for f in model._meta.concrete_fields)
    ]


def is_data_key_person_model(model: type[models.Model]) -> bool:
    """Whether a row of ``model`` is itself a person owning a data key (a member's record)."""
    return getattr(model, "data_key_owner", None) == model._meta.pk.attname


def reseal_rows(model: type[models.Model], pks) -> int:
    """Seal the stored values of these rows again, under their person's current data key.

    Written straight to the columns (no save(), no signal, no auto_now): the values do
    not change, only the key sealing them. A value already destroyed is left as it is.
    Returns the number of values sealed again.
    """
    fields = [f for f in model._meta.concrete_fields if is_encrypted(f)]
    done = 0
    for row in model._base_manager.filter(pk__in=list(pks)).iterator(chunk_size=200):
        changes = {}
        for field in fields:
            value = getattr(row, field.attname)
            if value is None or type(value) is Destroyed:
                continue
            row.__dict__[field.attname] = value  # in clear: pre_save seals it again
            changes[field.attname] = field.pre_save(row, False)
        if changes:
            model._base_manager.filter(pk=row.pk).update(**changes)
            done += len(changes)
    return done


def blind_indexes_drop(model: type[models.Model], pks) -> int:
    """Clear every blind index of these rows (the digests stay out of the live database)."""
    indexes = blind_indexes_of(model)
    if not indexes:
        return 0
    return model._base_manager.filter(pk__in=list(pks)).update(
        **{index.attname: None for index in indexes}
    )
