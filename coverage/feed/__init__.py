"""The insurer's feed: plans, benefits, members, enrolments and claims from CSV.

One file holds one kind of record (its header says which; see
docs/insurer-feed.md). The import streams: lines are read one at a time,
validated, and applied in chunks (one query per chunk to find what exists,
bulk inserts for what is new), so memory does not grow with the file. Every
line is validated; a file with an invalid line imports nothing unless
``skip_invalid``, and a second run of the same file changes nothing.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator
from typing import IO

from django.db import IntegrityError, reset_queries, transaction
from django.utils.translation import gettext as _

from ..app_settings import app_settings
from .base import ImportReport, Kind, LineError, Parsed
from .claims import ClaimKind
from .people import EnrolmentKind, MemberKind
from .plans import BenefitKind, PlanKind

__all__ = ["KINDS", "ImportReport", "coverage_import", "kind_for_header"]

KINDS: dict[str, type[Kind]] = {
    kind.name: kind for kind in (PlanKind, BenefitKind, MemberKind, EnrolmentKind, ClaimKind)
}


def kind_for_header(header: list[str]) -> str | None:
    """The kind whose required columns the header has (the most specific one)."""
    present = set(header)
    matches = [k for k in KINDS.values() if set(k.columns) <= present]
    matches.sort(key=lambda k: len(k.columns), reverse=True)
    return matches[0].name if matches else None


def _lines(stream: IO[bytes]) -> Iterator[str]:
    """UTF-8 text lines, with or without a byte order mark, decoded as they stream."""
    reader = codecs.getreader("utf-8-sig")(stream, errors="strict")
    yield from reader


def coverage_import(
    *,
    stream: IO[bytes],
    kind: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate every line and upsert in chunks; nothing is kept unless the file is clean.

    With ``skip_invalid`` the valid lines are imported and the others reported.
    """
    chunk_size = chunk_size or app_settings.IMPORT_CHUNK_SIZE
    report = ImportReport(dry_run=dry_run)
    with transaction.atomic():
        try:
            _run(stream, kind, report, skip_invalid, dry_run, chunk_size, progress)
        except WriteConflict:
            pass  # report.file_error says where
        except UnicodeDecodeError:
            report.file_error = _(
                "Le fichier n’est pas en UTF-8 (après la ligne %(line)s). Enregistrez-le en "
                "« CSV UTF-8 » et recommencez."
            ) % {"line": report.lines}
        except csv.Error as error:
            report.file_error = _("Ligne %(line)s : CSV illisible (%(error)s).") % {
                "line": report.lines + 1,
                "error": error,
            }
        blocked = report.file_error or (report.error_count and not skip_invalid)
        report.applied = not (dry_run or blocked)
        if not report.applied:
            transaction.set_rollback(True)
    return report


def _run(stream, kind_name, report, skip_invalid, dry_run, chunk_size, progress) -> None:
    reader = csv.DictReader(_lines(stream))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    if not header:
        report.file_error = _("Le fichier est vide : il manque la ligne d’en-tête.")
        return
    kind_name = kind_name or kind_for_header(header)
    if kind_name not in KINDS:
        report.file_error = _(
            "Ligne 1 : l’en-tête ne correspond à aucun type de fichier connu (%(kinds)s). "
            "Voir docs/insurer-feed.md."
        ) % {"kinds": ", ".join(KINDS)}
        return
    kind = KINDS[kind_name]()
    kind.positions = {name: number for number, name in enumerate(header, start=1)}
    report.kind = kind_name
    missing = [c for c in kind.columns if c not in header]
    if missing:
        report.file_error = _("Ligne 1 : colonnes manquantes : %(cols)s.") % {
            "cols": ", ".join(missing)
        }
        return
    chunk: list[Parsed] = []
    for data in reader:
        line = reader.line_num
        report.lines += 1
        if None in data:
            report.invalid += 1
            report.error(line, _("plus de valeurs que de colonnes dans l’en-tête"))
            continue
        try:
            chunk.append(Parsed(line, kind.parse(kind.row(data, line))))
        except LineError as error:
            report.invalid += 1
            report.error(line, "; ".join(error.messages))
        if len(chunk) >= chunk_size:
            _flush(kind, chunk, report, skip_invalid, dry_run)
            chunk = []
            if progress:
                progress(report.lines)
    if chunk:
        _flush(kind, chunk, report, skip_invalid, dry_run)
    if progress:
        progress(report.lines)


class WriteConflict(Exception):
    """The database refused a chunk (a unique value held elsewhere): nothing is kept."""


def _flush(kind: Kind, chunk, report, skip_invalid, dry_run) -> None:
    # Once a line is invalid (and not skipped) nothing will be kept: validate only.
    write = not dry_run and (skip_invalid or not report.error_count)
    try:
        with transaction.atomic():
            kind.apply(chunk, report, write=write)
    except IntegrityError:
        # Validation should have named the line; if the database still refuses, say
        # where in plain words, never with its message (it may quote a value).
        report.file_error = _(
            "Lignes %(first)s à %(last)s : une valeur qui doit être unique (numéro de carte, "
            "numéro d’étudiant, numéro de demande) y est déjà celle d’un autre enregistrement. "
            "Rien n’a été importé."
        ) % {"first": chunk[0].line, "last": chunk[-1].line}
        raise WriteConflict from None
    # With DEBUG on, Django keeps every query's SQL: memory would grow with the file.
    reset_queries()
