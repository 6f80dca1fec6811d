"""Move stored values from the master keyring (v1) to their person's data key (v2).

For the models whose rows belong to a person (``PrivateModel.data_key_owner``):
rows holding a v1 value are read by primary key in batches (raw columns, the
owner's id with them), each v1 value opened and sealed again under the owner's
data key, and written back only over the very token that was read. Each batch is
its own transaction: interrupted anywhere, at most the batch in flight is lost and
a rerun takes what is left (a data key created for a batch that was lost is
simply reused). Both versions read throughout, so the portal keeps running.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connections, models, router, transaction

from privacy.crypto import DecryptionError, seal_for_person, unseal
from privacy.fields import data_key_owner_models
from privacy.rotation.selectors import encrypted_fields_of


@dataclass
class DataKeyMigrationProgress:
    model: str
    batch: int
    rows: int
    values: int
    rows_so_far: int
    rows_total: int | None = None


@dataclass
class DataKeyMigrationReport:
    rows: int = 0
    values: int = 0
    batches: int = 0
    # "table.column row <pk>: reason" for values that could not be opened (never the value).
    failures: list[str] = field(default_factory=list)
    # Values per token version ("v1", "v2", "other"), after the run.
    versions: dict[str, int] = field(default_factory=dict)


def token_version_counts(
    models_to_scan: list[type[models.Model]] | None = None,
) -> dict[str, int]:
    """Stored values of the person-owned models per token version: v1, v2 and other."""
    counts = {"v1": 0, "v2": 0, "other": 0}
    for model in models_to_scan if models_to_scan is not None else data_key_owner_models():
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        for column in (quote(str(f.column)) for f in encrypted_fields_of(model)):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT COUNT({column}), "  # noqa: S608  # nosec B608 - quoted model names
                    f"SUM(CASE WHEN SUBSTR({column}, 1, 3) = 'v1:' THEN 1 ELSE 0 END), "
                    f"SUM(CASE WHEN SUBSTR({column}, 1, 3) = 'v2:' THEN 1 ELSE 0 END) "
                    f"FROM {quote(model._meta.db_table)}"
                )
                total, v1, v2 = (int(n or 0) for n in cursor.fetchone())
            counts["v1"] += v1
            counts["v2"] += v2
            counts["other"] += total - v1 - v2
    return counts


def _migrate_model(
    model: type[models.Model],
    *,
    batch_size: int,
    report: DataKeyMigrationReport,
    max_batches: int | None,
    progress: Callable[[DataKeyMigrationProgress], None] | None,
) -> None:
    fields = encrypted_fields_of(model)
    owner = _owner_field(model)
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_column = quote(str(model._meta.pk.column))
    columns = [quote(str(f.column)) for f in fields]
    pending = " OR ".join(f"SUBSTR({c}, 1, 3) = 'v1:'" for c in columns)
    select = (
        f"SELECT {pk_column}, {quote(str(owner.column))}, {', '.join(columns)} FROM {table} "  # noqa: S608  # nosec B608
        f"WHERE ({pending}) {{after}} ORDER BY {pk_column} LIMIT %s"
    )
    updates = [
        f"UPDATE {table} SET {c} = %s WHERE {pk_column} = %s AND {c} = %s"  # noqa: S608  # nosec B608
        for c in columns
    ]
    rows_total = None
    if progress is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE ({pending})")  # noqa: S608  # nosec B608
            rows_total = cursor.fetchone()[0]
    last_pk, rows_done = None, 0
    while max_batches is None or report.batches < max_batches:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            if last_pk is None:
                cursor.execute(select.format(after=""), [batch_size])
            else:
                cursor.execute(select.format(after=f"AND {pk_column} > %s"), [last_pk, batch_size])
            rows = cursor.fetchall()
            if not rows:
                return
            values = 0
            for raw_pk, raw_owner, *tokens in rows:
                person = owner.to_python(raw_owner)
                for index, token in enumerate(tokens):
                    if token is None or not token.startswith("v1:") or person is None:
                        continue
                    aad = fields[index].aad(raw_pk)
                    try:
                        plaintext = unseal(token, aad=aad)
                    except DecryptionError as error:
                        report.failures.append(str(error))
                        continue
                    new = seal_for_person(plaintext, aad=aad, person=person)
                    cursor.execute(updates[index], [new, raw_pk, token])
                    values += 1
        last_pk = rows[-1][0]
        rows_done += len(rows)
        report.rows += len(rows)
        report.values += values
        report.batches += 1
        if progress is not None:
            progress(
                DataKeyMigrationProgress(
                    model=model._meta.label,
                    batch=report.batches,
                    rows=len(rows),
                    values=values,
                    rows_so_far=rows_done,
                    rows_total=rows_total,
                )
            )


def _owner_field(model: type[models.Model]) -> models.Field:
    """The concrete field whose column holds the person's id (the pk, or a foreign key)."""
    attname = getattr(model, "data_key_owner")  # noqa: B009  # declared on PrivateModel
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


def data_keys_migrate(
    *,
    batch_size: int = 500,
    max_batches: int | None = None,
    progress: Callable[[DataKeyMigrationProgress], None] | None = None,
) -> DataKeyMigrationReport:
    """Seal every v1 value of a person-owned row again under the person's data key.

    Safe to interrupt and rerun; ``max_batches`` stops early (the rest waits for the
    next run); ``progress`` is called after each committed batch.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = DataKeyMigrationReport()
    targets = data_key_owner_models()
    for model in targets:
        _migrate_model(
            model,
            batch_size=batch_size,
            report=report,
            max_batches=max_batches,
            progress=progress,
        )
    report.versions = token_version_counts(targets)
    return report
