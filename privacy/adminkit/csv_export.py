"""Export an admin list, as filtered on screen, to CSV: for the regulator, audited.

Names are stored as typed, so a cell could start with ``=cmd|' /C calc'!A0``
and run as a formula in a spreadsheet (CSV injection, OWASP). Every cell that
starts with a character a spreadsheet reads as a formula is prefixed with an
apostrophe, which shows the text as it is.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, cast

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest, StreamingHttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.audit import chain as audit
from privacy.datamap.registry import CATEGORY_LABELS

_CATEGORY_LABELS = {category.value: label for category, label in CATEGORY_LABELS.items()}

# What spreadsheets read as the start of a formula (and tab/CR, which hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Cap an export: the regulator asks for a register, not for a dump of the database.
CSV_MAX_ROWS = 50_000


def csv_cell(value: object) -> str:
    """The text of one cell, never a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: Iterable[object], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so spreadsheets open it as UTF-8 (accents in names)
    yield writer.writerow([csv_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([csv_cell(cell) for cell in row])


def display_value(obj: models.Model, name: str) -> object:
    """A field's value as staff read it on screen: labels, local time, Oui/Non."""
    field = cast(models.Field, obj._meta.get_field(name))
    value = getattr(obj, name)
    if value is None:
        return ""
    if field.choices:
        return getattr(obj, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, list | tuple):  # the data map's categories, by their labels
        return ", ".join(str(_CATEGORY_LABELS.get(item, item)) for item in value)
    return value


if TYPE_CHECKING:  # the mixin's super() and attributes are the ModelAdmin's
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object


class CsvExportMixin(_AdminBase):
    """``csv_columns = ("name", "kind", ...)``: an "Export (CSV)" link on the list page.

    The export holds the rows the list shows with its current filters and
    search, and is itself an audited action (``admin.export``).
    """

    csv_columns: tuple[str, ...] = ()
    change_list_template = "admin/privacy/adminkit/csv_change_list.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_csv_view),
                name="{}_{}_export_csv".format(*info),
            ),
            *super().get_urls(),
        ]

    def csv_header(self) -> list[str]:
        return [
            str(cast(models.Field, self.opts.get_field(name)).verbose_name)
            for name in self.csv_columns
        ]

    def csv_row(self, obj: models.Model) -> list[object]:
        return [display_value(obj, name) for name in self.csv_columns]

    def csv_prepare(self, request: HttpRequest, rows: list[models.Model]) -> None:
        """A hook to fetch, in one query, what the rows' cells need."""

    def export_csv_view(self, request: HttpRequest) -> StreamingHttpResponse:
        from django.core.exceptions import PermissionDenied

        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        rows = list(changelist.get_queryset(request)[:CSV_MAX_ROWS])
        self.csv_prepare(request, rows)
        with transaction.atomic():
            audit.audit_record(
                action=audit.ADMIN_EXPORT,
                object_type=self.opts.label,
                request=request,
                metadata={"rows": len(rows)},
            )
        response = StreamingHttpResponse(
            csv_lines(self.csv_header(), (self.csv_row(obj) for obj in rows)),
            content_type="text/csv; charset=utf-8",
        )
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="{self.opts.model_name}-{stamp}.csv"'
        )
        response["Cache-Control"] = "no-store"
        return response
