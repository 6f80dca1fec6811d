"""Which key seals how many stored values; which key computed how many blind indexes."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, cast

from django.apps import apps
from django.db import connections, models, router

from privacy.crypto import DecryptionError, keyring, token_prefix, unseal
from privacy.fields import BlindIndexField, EncryptedFieldMixin, Sealed, is_encrypted
from privacy.keystore.services import data_keys_by_master_key
from privacy.rotation.models import KeyCensus
from privacy.rotation.sources import sealed_sources

UNKNOWN_KEY = "?"


def encrypted_models() -> list[type[models.Model]]:
    """Every installed model that stores encrypted columns in its own table."""
    return [
        model for model in apps.get_models() if not model._meta.proxy and encrypted_fields_of(model)
    ]


def encrypted_fields_of(model: type[models.Model]) -> list[EncryptedFieldMixin]:
    return [
        cast(EncryptedFieldMixin, f) for f in model._meta.local_concrete_fields if is_encrypted(f)
    ]


@dataclass
class KeyCount:
    """What each key seals: v1 values per master key, v2 values, data keys per master key."""

    # Key id -> v1 values sealed directly under it ("?" for ids absent from the keyring).
    values_by_key: dict[str, int]
    # v2 values, sealed under a person's data key.
    values_under_data_keys: int
    # Key id -> data keys wrapped under it ("?" as above).
    data_keys_by_key: dict[str, int]

    def usage(self) -> dict[str, int]:
        """Per key id, what it still seals or wraps: a key at 0 can be removed."""
        usage = Counter(self.values_by_key)
        usage.update(self.data_keys_by_key)
        return {key_id: usage[key_id] for key_id in self.values_by_key | self.data_keys_by_key}


def key_count(*, models_to_scan: Iterable[type[models.Model]] | None = None) -> KeyCount:
    """Count every stored value by the key sealing it (a full scan of every encrypted column).

    Seconds to minutes at scale: pages read the stored census (``key_census()``) instead.
    Sealed sources and data keys are counted only for a whole count (``models_to_scan`` None).
    """
    key_ids = list(keyring().ciphers)
    usage: Counter[str] = Counter({key_id: 0 for key_id in key_ids})
    under_data_keys_total = 0
    for model in models_to_scan if models_to_scan is not None else encrypted_models():
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        for field in encrypted_fields_of(model):
            column = quote(str(field.column))
            sums = ", ".join(
                f"SUM(CASE WHEN SUBSTR({column}, 1, {len(token_prefix(key_id))}) = %s "
                "THEN 1 ELSE 0 END)"
                for key_id in key_ids
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT({column}), "  # noqa: S608  # nosec B608 - names from model _meta, quoted
                    f"SUM(CASE WHEN SUBSTR({column}, 1, 3) = 'v2:' THEN 1 ELSE 0 END), "
                    f"{sums} FROM {table}",
                    [token_prefix(key_id) for key_id in key_ids],
                )
                total, under_data_keys, *per_key = cursor.fetchone()
            for key_id, count in zip(key_ids, per_key, strict=True):
                usage[key_id] += int(count or 0)
            under_data_keys_total += int(under_data_keys or 0)
            unknown = (
                int(total or 0) - int(under_data_keys or 0) - sum(int(c or 0) for c in per_key)
            )
            if unknown:
                usage[UNKNOWN_KEY] += unknown
    data_keys: Counter[str] = Counter()
    if models_to_scan is None:
        for source in sealed_sources():
            for key_id, count in source.key_usage().items():
                usage[key_id if key_id in key_ids else UNKNOWN_KEY] += count
        for key_id, count in data_keys_by_master_key().items():
            data_keys[key_id if key_id in key_ids else UNKNOWN_KEY] += count
    return KeyCount(
        values_by_key=dict(usage),
        values_under_data_keys=under_data_keys_total,
        data_keys_by_key=dict(data_keys),
    )


def encryption_key_usage(
    *, models_to_scan: Iterable[type[models.Model]] | None = None
) -> dict[str, int]:
    """Stored values per key id of the keyring; values under any other id count under "?".

    A master key still wrapping a data key counts those too: it cannot be removed either.
    v2 values are under a person's data key, not a key of the ring: not counted.
    """
    return key_count(models_to_scan=models_to_scan).usage()


def key_census() -> KeyCensus | None:
    """The last stored count (``KeyCensus``), or None before the first: one indexed read."""
    return KeyCensus.objects.order_by("-counted_at").first()


# --- Blind indexes -------------------------------------------------------------------


def blind_indexed_models() -> list[type[models.Model]]:
    """Every installed model that stores blind indexes in its own table.

    An index's source is an encrypted field of the same model, so these are
    among ``encrypted_models()``.
    """
    return [model for model in encrypted_models() if blind_index_fields_of(model)]


def blind_index_fields_of(model: type[models.Model]) -> list[BlindIndexField]:
    return [f for f in model._meta.local_concrete_fields if isinstance(f, BlindIndexField)]


CURRENT_KEY = "current"
PREVIOUS_KEY = "previous"
NEITHER_KEY = "neither"


@dataclass(frozen=True)
class StoredIndex:
    """One blind index of one row as stored, against what the current key makes of its source."""

    model: type[models.Model]
    pk: Any
    field: BlindIndexField
    stored: str | None
    expected: str | None
    # CURRENT_KEY, PREVIOUS_KEY or NEITHER_KEY (a digest under no key set, or a missing one).
    key: str


def stored_indexes(
    model: type[models.Model], rows: Iterable[tuple], *, failures: list[str] | None = None
) -> Iterator[StoredIndex]:
    """Classify the indexes of ``rows``, read as ``blind_index_rows()`` reads them.

    Indexes whose source and stored value are both empty are skipped: nothing to match.
    """
    index_fields = blind_index_fields_of(model)
    # A composite index reads several sources: each index's slice of the row.
    sources = [f.source_fields for f in index_fields]
    width = sum(len(fields) for fields in sources)
    for pk, *values in rows:
        tokens, stored_values = values[:width], values[width:]
        offset = 0
        for index_field, fields, stored in zip(index_fields, sources, stored_values, strict=True):
            index_tokens = tokens[offset : offset + len(fields)]
            offset += len(fields)
            if any(token is None for token in index_tokens):
                digests: tuple[str, ...] = ()
            else:
                try:
                    parts = [
                        source.decode(
                            unseal(
                                token.token if type(token) is Sealed else token,
                                aad=source.aad(pk),
                            )
                        )
                        for source, token in zip(fields, index_tokens, strict=True)
                    ]
                except DecryptionError as error:
                    if failures is not None:
                        failures.append(f"{error} (index {index_field.name} left as it is)")
                    continue
                value = tuple(parts) if index_field.is_composite else parts[0]
                digests = index_field.digests_of(value)
            expected = digests[0] if digests else None
            if stored is None and expected is None:
                continue
            if stored == expected:
                key = CURRENT_KEY
            elif stored is not None and stored in digests[1:]:
                key = PREVIOUS_KEY
            else:
                key = NEITHER_KEY
            yield StoredIndex(model, pk, index_field, stored, expected, key)


def blind_index_rows(model: type[models.Model]) -> models.QuerySet:
    """``(pk, *sources, *indexes)`` of every row, in primary-key order (values stay sealed)."""
    index_fields = blind_index_fields_of(model)
    return (
        model._base_manager.using(router.db_for_read(model))
        .order_by("pk")
        .values_list(
            "pk",
            *[attname for f in index_fields for attname in f.source_attnames],
            *[f.attname for f in index_fields],
        )
    )


@dataclass
class BlindIndexUsage:
    """Stored (non-empty) blind indexes by the key they were computed under."""

    current: int = 0
    previous: int = 0
    neither: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)


def blind_index_usage(
    *, models_to_scan: Iterable[type[models.Model]] | None = None, chunk_size: int = 2000
) -> BlindIndexUsage:
    """Count every stored index by key, from the decrypted source (a digest names no key)."""
    usage = BlindIndexUsage()
    for model in models_to_scan if models_to_scan is not None else blind_indexed_models():
        rows = blind_index_rows(model).iterator(chunk_size=chunk_size)
        for index in stored_indexes(model, rows, failures=usage.failures):
            setattr(usage, index.key, getattr(usage, index.key) + 1)
    return usage
