"""Re-encrypt, in batches, every value not sealed by the primary key.

Rows are found by the token prefix of their raw columns (no ORM, no decrypting
of rows already done), read in primary-key order, re-sealed in Python and
written back with one ``executemany`` per column and batch. Each batch is its
own transaction, so an interruption loses at most the batch in flight and a
rerun picks up what is left. A write only lands if the stored token is still
the one that was read, so a concurrent save by the portal always wins.

Blind indexes (``blind_indexes_reindex``) follow the same pattern: batches in
primary-key order, each its own transaction, a write only over the digest read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connections, models, router, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from privacy.batches import keyset_windows
from privacy.crypto import DecryptionError, has_previous_blind_index_key, keyring, seal, unseal
from privacy.keystore.services import data_keys_rewrap
from privacy.rotation.models import KeyCensus
from privacy.rotation.selectors import (
    CURRENT_KEY,
    PREVIOUS_KEY,
    BlindIndexUsage,
    KeyCount,
    blind_index_rows,
    blind_index_usage,
    blind_indexed_models,
    encrypted_fields_of,
    encrypted_models,
    key_count,
    stored_indexes,
)
from privacy.rotation.sources import sealed_sources


@dataclass
class RotationProgress:
    model: str
    batch: int
    rows: int
    values: int
    rows_so_far: int
    # Rows of this model to go through, counted when it starts (for done/total).
    rows_total: int | None = None


@dataclass
class RotationReport:
    primary_key_id: str
    rows: int = 0
    values: int = 0
    batches: int = 0
    # "table.column row <pk>: reason" for values that could not be opened (never the value).
    failures: list[str] = field(default_factory=list)
    remaining: dict[str, int] = field(default_factory=dict)
    # Data keys (privacy/keystore) re-wrapped under the primary master key.
    data_keys: int = 0


Writer = Callable[[Any, list[tuple]], None]


def _batch_writer(connection, table: str, pk_field: models.Field, fields: list) -> Writer:
    """How a batch of re-sealed tokens is written; each write needs the old token in place."""
    quote = connection.ops.quote_name
    pk_column = quote(str(pk_field.column))
    columns = [quote(str(f.column)) for f in fields]
    if connection.vendor == "postgresql":
        from psycopg import Cursor as ServerCursor

        # One statement per batch: arrays of (pk, old, new) joined back to the table.
        names = ["pk"] + [name for i in range(len(columns)) for name in (f"o{i}", f"n{i}")]
        arrays = [f"%s::{pk_field.db_type(connection)}[]"] + ["%s::text[]"] * (2 * len(columns))
        sets = ", ".join(f"{c} = COALESCE(v.n{i}, t.{c})" for i, c in enumerate(columns))
        guards = " AND ".join(f"(v.n{i} IS NULL OR t.{c} = v.o{i})" for i, c in enumerate(columns))
        sql = (
            f"UPDATE {quote(table)} AS t SET {sets} "  # noqa: S608  # nosec B608 - quoted model names
            f"FROM unnest({', '.join(arrays)}) AS v({', '.join(names)}) "
            # The batch's pk range lets the planner read only those rows, not the table.
            f"WHERE t.{pk_column} = v.pk AND t.{pk_column} BETWEEN %s AND %s AND {guards}"
        )

        def write_arrays(cursor, changes: list[tuple]) -> None:
            params: list = [[raw_pk for raw_pk, _ in changes]]
            for index in range(len(columns)):
                params.append([(c[1][index] or (None, None))[0] for c in changes])
                params.append([(c[1][index] or (None, None))[1] for c in changes])
            params.extend([changes[0][0], changes[-1][0]])  # rows come in pk order
            # Server-side binding: 2 * columns + 1 array parameters, not thousands of
            # literals quoted into the statement by Django's client-side cursor.
            with ServerCursor(connection.connection) as server_cursor:
                server_cursor.execute(sql, params)

        return write_arrays

    updates = [
        f"UPDATE {quote(table)} SET {c} = %s WHERE {pk_column} = %s AND {c} = %s"  # noqa: S608  # nosec B608
        for c in columns
    ]

    def write_rows(cursor, changes: list[tuple]) -> None:
        for index, sql in enumerate(updates):
            batch = [
                (change[index][1], raw_pk, change[index][0])
                for raw_pk, change in changes
                if change[index] is not None
            ]
            if batch:
                cursor.executemany(sql, batch)

    return write_rows


def _rotate_model(
    model: type[models.Model],
    *,
    batch_size: int,
    report: RotationReport,
    max_batches: int | None,
    progress: Callable[[RotationProgress], None] | None,
) -> None:
    ring = keyring()
    prefix = ring.primary_prefix
    fields = encrypted_fields_of(model)
    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    table = model._meta.db_table
    pk_field = model._meta.pk
    pk_column = quote(str(pk_field.column))
    columns = [quote(str(f.column)) for f in fields]
    # v2 tokens are under a person's data key: rotating the master key re-wraps that
    # key (privacy/keystore) and never touches them.
    stale = " OR ".join(
        f"({c} IS NOT NULL AND SUBSTR({c}, 1, {len(prefix)}) <> %s AND SUBSTR({c}, 1, 3) <> 'v2:')"
        for c in columns
    )
    select = (
        f"SELECT {pk_column}, {', '.join(columns)} FROM {quote(table)} "  # noqa: S608  # nosec B608 - quoted model names
        f"WHERE ({stale}) {{window}} ORDER BY {pk_column}"
    )
    params: list = [prefix] * len(columns)
    # The walk's scope: the same stale rows, for the windows' bounds (privacy.batches).
    scope = model._base_manager.using(alias).filter(
        RawSQL(stale, params, output_field=models.BooleanField())  # noqa: S611  # nosec B611 - quoted model names
    )
    write = _batch_writer(connection, table, pk_field, fields)
    rows_total = None
    if progress is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {quote(table)} WHERE ({stale})",  # noqa: S608  # nosec B608 - quoted model names
                params,
            )
            rows_total = cursor.fetchone()[0]
    rows_done = 0
    for window in keyset_windows(scope, size=batch_size):
        if max_batches is not None and report.batches >= max_batches:
            return
        bounds, bound_params = "", []
        if window.after is not None:
            bounds += f" AND {pk_column} > %s"
            bound_params.append(pk_field.get_db_prep_value(window.after[0], connection))
        if window.last is not None:
            bounds += f" AND {pk_column} <= %s"
            bound_params.append(pk_field.get_db_prep_value(window.last[0], connection))
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(select.format(window=bounds), [*params, *bound_params])
            rows = cursor.fetchall()
            if not rows:
                return
            changes: list[tuple] = []  # (raw pk, [(old token, new token) or None per column])
            values = 0
            for raw_pk, *tokens in rows:
                row_changes: list[tuple[str, str] | None] = []
                for index, token in enumerate(tokens):
                    if token is None or token.startswith(prefix) or token.startswith("v2:"):
                        row_changes.append(None)
                        continue
                    aad = fields[index].aad(raw_pk)
                    try:
                        plaintext = unseal(token, aad=aad)
                    except DecryptionError as error:
                        report.failures.append(str(error))
                        row_changes.append(None)
                        continue
                    row_changes.append((token, seal(plaintext, aad=aad)))
                    values += 1
                if any(row_changes):
                    changes.append((raw_pk, row_changes))
            if changes:
                write(cursor, changes)
        rows_done += len(rows)
        report.rows += len(rows)
        report.values += values
        report.batches += 1
        if progress is not None:
            progress(
                RotationProgress(
                    model=model._meta.label,
                    batch=report.batches,
                    rows=len(rows),
                    values=values,
                    rows_so_far=rows_done,
                    rows_total=rows_total,
                )
            )


def encryption_keys_rotate(
    *,
    batch_size: int = 1000,
    models_to_rotate: Iterable[type[models.Model]] | None = None,
    max_batches: int | None = None,
    progress: Callable[[RotationProgress], None] | None = None,
) -> RotationReport:
    """Re-seal under the primary key every value sealed by another key.

    Safe to interrupt and rerun. ``max_batches`` stops early (the rest waits
    for the next run); ``progress`` is called after each committed batch.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    targets = list(models_to_rotate) if models_to_rotate is not None else encrypted_models()
    report = RotationReport(primary_key_id=keyring().primary_id)
    for model in targets:
        _rotate_model(
            model,
            batch_size=batch_size,
            report=report,
            max_batches=max_batches,
            progress=progress,
        )
    if models_to_rotate is None:
        report.data_keys = data_keys_rewrap(ring=keyring(), batch_size=batch_size)
        for source in sealed_sources():
            values, failures = source.rotate()
            report.values += values
            report.failures.extend(failures)
    if models_to_rotate is None:
        report.remaining = key_census_record(key_count()).usage()
    else:
        report.remaining = key_count(models_to_scan=targets).usage()
    return report


# --- The stored census -----------------------------------------------------------------


def key_census_record(count: KeyCount) -> KeyCount:
    """Store ``count`` as the census the status page and the dashboard show, with its date."""
    with transaction.atomic():
        KeyCensus.objects.all().delete()
        KeyCensus.objects.create(
            counted_at=timezone.now(),
            values_by_key=count.values_by_key,
            values_under_data_keys=count.values_under_data_keys,
            data_keys_by_key=count.data_keys_by_key,
        )
    return count


def key_census_take() -> KeyCount:
    """Count every stored value by key (a full scan: seconds to minutes) and store it."""
    return key_census_record(key_count())


# --- Blind indexes ---------------------------------------------------------------------


@dataclass
class ReindexProgress:
    model: str
    batch: int
    rows: int
    recomputed: int
    rows_so_far: int
    # Rows of this model to go through, counted when it starts (for done/total).
    rows_total: int | None = None


@dataclass
class ReindexReport:
    previous_key_set: bool
    rows: int = 0
    batches: int = 0
    # Indexes rewritten under the current key, by the key they were found under.
    from_previous: int = 0
    # Under no key in the settings (an older key, a missing or altered digest): the
    # digest was recomputed from the decrypted source, like the others.
    from_neither: int = 0
    # "table.column row <pk>: reason" (never a value): left as they are.
    failures: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    remaining: BlindIndexUsage = field(default_factory=BlindIndexUsage)

    @property
    def recomputed(self) -> int:
        return self.from_previous + self.from_neither


def _reindex_model(
    model: type[models.Model],
    *,
    batch_size: int,
    report: ReindexReport,
    max_batches: int | None,
    progress: Callable[[ReindexProgress], None] | None,
) -> None:
    alias = router.db_for_write(model)
    table = model._meta.db_table
    rows_total = blind_index_rows(model).using(alias).count() if progress is not None else None
    rows_done = 0
    scope = blind_index_rows(model).using(alias)
    for window in keyset_windows(scope, size=batch_size):
        if max_batches is not None and report.batches >= max_batches:
            return
        with transaction.atomic(using=alias):
            rows = list(scope.filter(window.q))
            if not rows:
                return
            recomputed = 0
            for index in stored_indexes(model, rows, failures=report.failures):
                if index.key == CURRENT_KEY:
                    continue
                name = index.field.attname
                # Written only if the row still holds what was read: a save by the portal
                # meanwhile wrote the current digest already, and wins.
                unchanged = {name: index.stored} if index.stored else {f"{name}__isnull": True}
                try:
                    # A savepoint per write: a unique conflict fails this row, not the batch.
                    with transaction.atomic(using=alias):
                        written = (
                            model._base_manager.using(alias)
                            .filter(pk=index.pk, **unchanged)
                            .update(**{name: index.expected})
                        )
                except IntegrityError:
                    report.conflicts.append(
                        f"{table}.{index.field.column} row {index.pk}: another row already holds "
                        "this value under the current key (a unique constraint); left as it is"
                    )
                    continue
                if written:
                    recomputed += 1
                    if index.key == PREVIOUS_KEY:
                        report.from_previous += 1
                    else:
                        report.from_neither += 1
        rows_done += len(rows)
        report.rows += len(rows)
        report.batches += 1
        if progress is not None:
            progress(
                ReindexProgress(
                    model=model._meta.label,
                    batch=report.batches,
                    rows=len(rows),
                    recomputed=recomputed,
                    rows_so_far=rows_done,
                    rows_total=rows_total,
                )
            )


def blind_indexes_reindex(
    *,
    batch_size: int = 1000,
    models_to_reindex: Iterable[type[models.Model]] | None = None,
    max_batches: int | None = None,
    progress: Callable[[ReindexProgress], None] | None = None,
) -> ReindexReport:
    """Recompute under PRIVACY_BLIND_INDEX_KEY every blind index that differs from it.

    Each digest is recomputed from the decrypted source (a digest does not say
    which key made it); only differing indexes are written, one batch of rows
    per transaction, so an interruption loses at most the batch in flight and a
    rerun goes on. ``max_batches`` stops early; ``progress`` follows each
    committed batch. Encrypted values are read, never re-sealed.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    targets = list(models_to_reindex) if models_to_reindex is not None else blind_indexed_models()
    report = ReindexReport(previous_key_set=has_previous_blind_index_key())
    for model in targets:
        _reindex_model(
            model,
            batch_size=batch_size,
            report=report,
            max_batches=max_batches,
            progress=progress,
        )
    report.remaining = blind_index_usage(models_to_scan=targets)
    return report
