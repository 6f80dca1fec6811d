"""Which key seals how many stored values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.apps import apps
from django.db import connections, models, router

from privacy.crypto import keyring, token_prefix
from privacy.fields import is_encrypted

UNKNOWN_KEY = "?"


def encrypted_models() -> list[type[models.Model]]:
    """Every installed model that stores encrypted columns in its own table."""
    return [
        model for model in apps.get_models() if not model._meta.proxy and encrypted_fields_of(model)
    ]


def encrypted_fields_of(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.local_concrete_fields if is_encrypted(f)]


def encryption_key_usage(
    *, models_to_scan: Iterable[type[models.Model]] | None = None
) -> dict[str, int]:
    """Stored values per key id of the keyring; values under any other id count under "?"."""
    key_ids = list(keyring().ciphers)
    usage: Counter[str] = Counter({key_id: 0 for key_id in key_ids})
    for model in models_to_scan if models_to_scan is not None else encrypted_models():
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        for field in encrypted_fields_of(model):
            column = quote(field.column)
            sums = ", ".join(
                f"SUM(CASE WHEN SUBSTR({column}, 1, {len(token_prefix(key_id))}) = %s "
                "THEN 1 ELSE 0 END)"
                for key_id in key_ids
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT({column}), {sums} FROM {table}",  # noqa: S608  # nosec B608 - names from model _meta, quoted
                    [token_prefix(key_id) for key_id in key_ids],
                )
                total, *per_key = cursor.fetchone()
            for key_id, count in zip(key_ids, per_key, strict=True):
                usage[key_id] += int(count or 0)
            unknown = int(total or 0) - sum(int(c or 0) for c in per_key)
            if unknown:
                usage[UNKNOWN_KEY] += unknown
    return dict(usage)
