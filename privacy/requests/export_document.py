"""The readable export (export.html): a document a person can read and print.

The JSON stays complete and machine-readable; this page says the same in the
portal's words: a table of contents, one section per kind of data, money in
dollars, dates in the member's language and Montreal time, labels for every
choice, and for each section why we hold it and until when (the data map).

privacy knows no model of ours by name: apps register how their rows read
(``export_presentation_register``); anything else is shown from the model's own
labels and field types.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from privacy.datamap.registry import (
    CATEGORY_LABELS,
    PURPOSE_LABELS,
    Action,
    Declaration,
    declaration_for,
)
from privacy.dates import date_text, datetime_text
from privacy.requests import correction_topics
from privacy.requests.correction_topics import money_display
from privacy.retention.rules import field_at_path


@dataclass(frozen=True)
class ExportPresentation:
    """How one model's rows read to the person they are about."""

    title: Callable[[], str] | None = None
    labels: dict[str, Callable[[], str]] = field(default_factory=dict)
    # Fields stored in cents, shown in dollars (and marked "unit": "cents" in the JSON).
    money: frozenset[str] = frozenset()
    # Per field: (row, value) -> text, for relations and coded values.
    values: dict[str, Callable] = field(default_factory=dict)
    # A heading for each row ("Claim of 12 March 2026 — Dental care").
    row_title: Callable | None = None
    # Fields left out of the readable page (ids, the account itself); kept in the JSON.
    hidden: frozenset[str] = frozenset()
    # Where the section comes in the document (the account and the plan first), and
    # how its rows are ordered (a key of the row; newest first is the caller's choice).
    position: int = 100
    row_order: Callable | None = None
    # Until when, for rows the purge does not count down (kept while something lasts).
    kept: Callable[[], str] | None = None


_presentations: dict[str, ExportPresentation] = {}


def export_presentation_register(model_label: str, presentation: ExportPresentation) -> None:
    _presentations[model_label] = presentation


def presentation_for(model_label: str) -> ExportPresentation:
    return _presentations.get(model_label, ExportPresentation())


def section_title(declaration: Declaration) -> str:
    presentation = presentation_for(declaration.label)
    if presentation.title:
        return str(presentation.title())
    return str(declaration.model._meta.verbose_name_plural).capitalize()


def field_label(declaration: Declaration, name: str) -> str:
    presentation = presentation_for(declaration.label)
    if name in presentation.labels:
        return str(presentation.labels[name]())
    return str(declaration.model._meta.get_field(name).verbose_name).capitalize()


def field_unit(declaration: Declaration, name: str) -> str | None:
    return "cents" if name in presentation_for(declaration.label).money else None


# --- Why and until when ----------------------------------------------------------


def section_purposes(declaration: Declaration) -> list[str]:
    seen: list[str] = []
    for personal in declaration.personal:
        for purpose in personal.purposes:
            label = str(PURPOSE_LABELS.get(purpose, purpose))
            if label not in seen:
                seen.append(label)
    return seen


def _span(days: int) -> str:
    if days and days % 365 in (0, 1, 2) and days >= 365:
        years = days // 365
        return ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}
    return ngettext("%(n)d jour", "%(n)d jours", days) % {"n": days}


def section_retention(declaration: Declaration, windows: dict) -> dict | None:
    """How long rows are kept, from the data map (with the operator's overrides)."""
    retention = declaration.retention
    if retention is None:
        return None
    window = windows.get(declaration.label)
    keep_for = window.keep_for if window else retention.keep_for
    start = (
        field_label(declaration, retention.starts_from)
        if "__" not in retention.starts_from
        else str(field_at_path(declaration.model, retention.starts_from).verbose_name)
    )
    action = (
        _("puis effacés")
        if Action(retention.action) == Action.DELETE
        else _("puis rendus anonymes")
    )
    return {
        "starts_from": retention.starts_from,
        "keep_for_days": keep_for.days,
        "action": str(retention.action),
        "text": _("%(span)s après la date « %(start)s », %(action)s.")
        % {"span": _span(keep_for.days), "start": start.lower(), "action": action},
        "reason": str(retention.reason),
    }


def retention_text(declaration: Declaration, retention: dict | None) -> str:
    if retention:
        return retention["text"]
    presentation = presentation_for(declaration.label)
    if presentation.kept:
        return str(presentation.kept())
    return _(
        "Tant que votre compte est ouvert. À sa fermeture, ils sont effacés, sauf ce que la "
        "loi oblige à conserver (le plan de suppression vous le montre avant de confirmer)."
    )


# --- Values as the portal shows them -------------------------------------------


def _user_model_label() -> str:
    return settings.AUTH_USER_MODEL.lower()


def _is_account_link(model_field: models.Field) -> bool:
    related = getattr(model_field, "related_model", None)
    return related is not None and related._meta.label_lower == _user_model_label()


def _looks_like_uuid(value) -> bool:
    if isinstance(value, uuid.UUID):
        return True
    if isinstance(value, str) and len(value) == 36:
        try:
            uuid.UUID(value)
        except ValueError:
            return False
        return True
    return False


def _date_value(value) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return datetime_text(value)
    if isinstance(value, date):
        return date_text(value)
    return str(value)


def cell_text(declaration: Declaration, obj, name: str, value) -> str | None:
    """The value as text, or None when the readable page leaves the field out."""
    presentation = presentation_for(declaration.label)
    model_field = declaration.model._meta.get_field(name)
    if name in presentation.hidden or _is_account_link(model_field):
        return None
    if name in presentation.values and obj is not None:
        return presentation.values[name](obj, value)
    if value is None or value == "" or value == []:
        return "—"
    if name in presentation.money:
        return money_display(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("Oui") if value else _("Non")
    if isinstance(model_field, models.DateField):  # DateTimeField too
        return _date_value(value)
    if model_field.is_relation:
        related = getattr(obj, name, None) if obj is not None else None
        return str(related) if related is not None and not _looks_like_uuid(str(related)) else "—"
    if isinstance(value, dict) and "base64" in value:
        return _("Fichier joint, inclus dans export.json")
    if isinstance(model_field, models.JSONField):
        if isinstance(value, list) and all(v in CATEGORY_LABELS for v in value):
            return ", ".join(str(CATEGORY_LABELS[v]) for v in value)
        return _("Données structurées, incluses dans export.json")
    if _looks_like_uuid(value):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def _objects(declaration: Declaration, ids: Iterable[str]) -> dict[str, models.Model]:
    model = declaration.model
    pk_field = model._meta.pk
    keys = []
    for raw in ids:
        try:
            keys.append(pk_field.to_python(raw))
        except Exception:  # noqa: S112 - an id we cannot read is simply not looked up
            continue
    return {str(k): v for k, v in model._default_manager.in_bulk(keys).items()}


def readable_sections(*, data: dict, windows: dict) -> list[dict]:
    withheld = {entry["path"]: entry.get("reason", "") for entry in data["severed"]}
    out = []
    for section in data["sections"]:
        declaration = declaration_for(section["model"])
        if declaration is None:
            continue
        presentation = presentation_for(declaration.label)
        objects = _objects(declaration, [row["id"] for row in section["rows"]])
        rows = []
        ordered = section["rows"]
        if presentation.row_order:
            ordered = sorted(
                ordered,
                key=lambda row: (
                    (0, presentation.row_order(objects[row["id"]]))
                    if row["id"] in objects
                    else (1, row["id"])
                ),
            )
        for row in ordered:
            obj = objects.get(row["id"])
            cells = []
            for field_info in section["fields"]:
                name = field_info["name"]
                path = f"{section['model']}/{row['id']}/{name}"
                if path in withheld:
                    cells.append(
                        {"label": field_info["label"], "value": withheld[path], "severed": True}
                    )
                    continue
                text = cell_text(declaration, obj, name, row["values"].get(name))
                if text is not None:
                    cells.append({"label": field_info["label"], "value": text, "severed": False})
            title = presentation.row_title(obj) if presentation.row_title and obj else ""
            rows.append({"title": title, "cells": cells})
        out.append(
            {
                "position": presentation.position,
                "anchor": section["model"].replace(".", "-").lower(),
                "title": section["title"],
                "description": section["description"],
                "purposes": section.get("purposes", []),
                "kept": retention_text(declaration, section.get("retention")),
                "kept_reason": (section.get("retention") or {}).get("reason", ""),
                "rows": rows,
            }
        )
    out.sort(key=lambda section: section["position"])
    return out


STAFF_VIEW_LABELS = {
    "role_label": lambda: _("Rôle de la personne"),
    "viewed_at": lambda: _("Date"),
    "object_label": lambda: _("Renseignements consultés"),
}


def readable_staff_views(items: list[dict]) -> list[list[dict]]:
    rows = []
    for item in items:
        cells = []
        for key, label in STAFF_VIEW_LABELS.items():
            value = item.get(key)
            text = _date_value(value) if key == "viewed_at" and value else str(value or "—")
            cells.append({"label": str(label()), "value": text})
        rows.append(cells)
    return rows


def export_document_html(*, data: dict, privacy_request, windows: dict) -> str:
    generated = data["generated_at"]
    return render_to_string(
        "privacy/requests/export_document.html",
        {
            "data": data,
            "sections": readable_sections(data=data, windows=windows),
            "staff_views": readable_staff_views(data["staff_views"]),
            "generated": _date_value(generated),
            "privacy_request": privacy_request,
        },
    )


def _correction_item_presentation() -> ExportPresentation:
    """privacy's own correction items: the field in words, values as the portal shows them."""

    def found(item):
        return correction_topics.topic_for_token(
            correction_topics.correction_topics(user=item.request.member),
            f"{item.model_label}|{item.object_id}|{item.field_name}",
        )

    def field_name(item, _value):
        hit = found(item)
        if hit:
            return f"{hit[0].label} — {hit[1].label}"
        from privacy.requests.corrections import correction_field_label

        return correction_field_label(item.model_label, item.field_name)

    def value_of():
        def show(item, value):
            hit = found(item)
            if not value:
                return "—"
            if hit:
                return correction_topics.value_display(
                    value, kind=hit[1].kind, choices=hit[1].choices
                )
            return str(value)

        return show

    return ExportPresentation(
        labels={"model_label": lambda: _("Renseignement")},
        values={
            "model_label": field_name,
            "current_value": value_of(),
            "proposed_value": value_of(),
        },
        hidden=frozenset({"field_name"}),
    )


export_presentation_register("privacy.CorrectionItem", _correction_item_presentation())
export_presentation_register(
    "privacy.PrivacyRequest",
    ExportPresentation(
        values={
            "deletion_plan": lambda request, value: (
                _("Le plan montré avant votre confirmation, inclus dans export.json")
                if value
                else "—"
            )
        }
    ),
)
