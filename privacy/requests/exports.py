"""The access export: everything the data map holds about a member.

Structured JSON (portability, Law 25 s. 27) and a readable HTML page in one
ZIP, sealed at rest (``ExportArchive.content`` is an encrypted field), behind
an authenticated link that expires and is then purged. Staff preview it and
sever other people's information before it is released.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import uuid
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from privacy.datamap.registry import CATEGORY_LABELS, PURPOSE_LABELS
from privacy.requests import export_document, integrations
from privacy.requests.app_settings import app_settings
from privacy.requests.models import ExportArchive, PrivacyRequest
from privacy.requests.selectors import subject_declarations, subject_rows

EXPORT_FORMAT = "aseq-portal-export"
EXPORT_VERSION = 1
JSON_NAME = "export.json"
HTML_NAME = "export.html"
# The JSON Schema of export.json, shipped beside it (and in docs/export.schema.json).
SCHEMA_NAME = "export.schema.json"
SCHEMA_PATH = Path(__file__).with_name("export.schema.json")


class ExportUnavailable(Exception):
    """The export cannot be downloaded: not released yet, or expired and purged."""


def plain(value: Any) -> Any:
    """A JSON value for any field value (decrypted by the field on access)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def _field_value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    if field.is_relation:
        return plain(getattr(obj, field.attname))
    return plain(getattr(obj, name))


def _item(item: Any) -> dict:
    """A row of another part of privacy (consent record, disclosure, staff view)."""
    if hasattr(item, "as_dict"):
        item = item.as_dict()
    if isinstance(item, dict):
        return {str(k): plain(v) for k, v in item.items()}
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return {k: plain(v) for k, v in dataclasses.asdict(item).items()}
    if isinstance(item, models.Model):
        return {
            f.name: plain(getattr(item, f.attname if f.is_relation else f.name))
            for f in item._meta.concrete_fields
            if f.name not in ("id",) and not (f.is_relation and f.name in ("user", "subject"))
        }
    return {"value": plain(item)}


def export_data(*, user, severed: Iterable[dict] = ()) -> dict:
    """The export's content, in the current language: one section per declared model."""
    severed = list(severed)
    withheld = {entry["path"]: entry.get("reason", "") for entry in severed}
    windows = integrations.retention_windows()
    sections = []
    for declaration in subject_declarations(exported_only=True):
        names = declaration.personal_names
        fields = [
            {
                "name": pf.name,
                "label": export_document.field_label(declaration, pf.name),
                "category": str(pf.category),
                "category_label": str(CATEGORY_LABELS.get(pf.category, pf.category)),
                "purposes": [str(PURPOSE_LABELS.get(p, p)) for p in pf.purposes],
                **(
                    {"unit": unit}
                    if (unit := export_document.field_unit(declaration, pf.name))
                    else {}
                ),
            }
            for pf in declaration.personal
        ]
        rows = []
        for obj in subject_rows(declaration=declaration, user=user).order_by("pk"):
            values = {}
            for name in names:
                path = f"{declaration.label}/{obj.pk}/{name}"
                values[name] = None if path in withheld else _field_value(obj, name)
            rows.append({"id": str(obj.pk), "values": values})
        sections.append(
            {
                "model": declaration.label,
                "title": export_document.section_title(declaration),
                "description": str(declaration.description),
                "purposes": export_document.section_purposes(declaration),
                "retention": export_document.section_retention(declaration, windows),
                "fields": fields,
                "rows": rows,
            }
        )
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "language": translation.get_language(),
        "account": str(user.pk),
        "sections": sections,
        "consent_history": [_item(i) for i in integrations.consent_history(user=user)],
        "disclosures": [_item(i) for i in integrations.disclosures(user=user)],
        "staff_views": [_item(i) for i in integrations.staff_views(user=user)],
        "severed": [{"path": e["path"], "reason": e.get("reason", "")} for e in severed],
    }


def export_html(*, data: dict, privacy_request: PrivacyRequest) -> str:
    """The readable page: the same content as the JSON, in the portal's words."""
    return export_document.export_document_html(
        data=data, privacy_request=privacy_request, windows=integrations.retention_windows()
    )


def export_zip(*, data: dict, html: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr(SCHEMA_NAME, SCHEMA_PATH.read_text(encoding="utf-8"))
        archive.writestr(HTML_NAME, html)
    return buffer.getvalue()


def export_read(*, archive: ExportArchive) -> dict:
    """The JSON inside an archive (for the staff preview)."""
    with zipfile.ZipFile(io.BytesIO(bytes(archive.content))) as zipped:
        return json.loads(zipped.read(JSON_NAME))


@transaction.atomic
def export_build(*, privacy_request: PrivacyRequest, actor=None, severed=None) -> ExportArchive:
    """(Re)build the draft export of an access request, in the member's language."""
    account = privacy_request.member
    existing = ExportArchive.objects.filter(request=privacy_request).first()
    if severed is None:
        severed = existing.severed if existing else []
    with translation.override(account.preferred_language):
        data = export_data(user=account, severed=severed)
        html = export_html(data=data, privacy_request=privacy_request)
    content = export_zip(data=data, html=html)
    now = timezone.now()
    if existing:
        existing.delete()
    archive = ExportArchive.objects.create(
        request=privacy_request,
        content=content,
        size=len(content),
        created_at=now,
        expires_at=now + app_settings.EXPORT_LINK_LIFETIME,
        severed=list(severed),
    )
    integrations.audit(
        action="privacy_request.export_build",
        actor=actor,
        obj=privacy_request,
        subject=account,
        metadata={"severed": len(severed), "size": len(content)},
    )
    return archive


def export_paths(data: dict) -> set[str]:
    return {
        f"{section['model']}/{row['id']}/{name}"
        for section in data["sections"]
        for row in section["rows"]
        for name in row["values"]
    }


class SeveranceError(ValueError):
    pass


@transaction.atomic
def export_sever(
    *, privacy_request: PrivacyRequest, actor, paths: Iterable[str], reason: str
) -> ExportArchive:
    """Withhold values about someone else before release, and say why."""
    reason = reason.strip()
    paths = sorted(set(paths))
    if not reason:
        raise SeveranceError(_("Indiquez pourquoi ces renseignements sont retranchés."))
    archive = ExportArchive.objects.select_for_update().filter(request=privacy_request).first()
    if archive is None or archive.released_at is not None:
        raise SeveranceError(_("Aucune exportation en préparation pour cette demande."))
    known = export_paths(export_read(archive=archive)) | {e["path"] for e in archive.severed}
    unknown = [p for p in paths if p not in known]
    if unknown or not paths:
        raise SeveranceError(_("Choisissez des renseignements qui figurent dans l’exportation."))
    already = {e["path"] for e in archive.severed}
    severed = list(archive.severed) + [
        {"path": p, "reason": reason} for p in paths if p not in already
    ]
    return export_build(privacy_request=privacy_request, actor=actor, severed=severed)


def export_release(*, archive: ExportArchive) -> ExportArchive:
    now = timezone.now()
    archive.released_at = now
    archive.expires_at = now + app_settings.EXPORT_LINK_LIFETIME
    archive.save(update_fields=["released_at", "expires_at"])
    return archive


@transaction.atomic
def export_download(
    *, privacy_request: PrivacyRequest, account: AbstractBaseUser, http_request=None
) -> bytes:
    """The member's released, unexpired archive (decrypted), counted and audited."""
    if privacy_request.member_id != account.pk:
        raise ExportUnavailable("not the member's request")
    archive = ExportArchive.objects.select_for_update().filter(request=privacy_request).first()
    if archive is None or archive.released_at is None or archive.is_expired():
        raise ExportUnavailable("no downloadable export")
    now = timezone.now()
    archive.download_count += 1
    archive.downloaded_at = archive.downloaded_at or now
    archive.save(update_fields=["download_count", "downloaded_at"])
    integrations.audit(
        action="privacy_request.export_download",
        actor=account,
        obj=privacy_request,
        subject=account,
        http_request=http_request,
        metadata={"count": archive.download_count},
    )
    return bytes(archive.content)


def export_filename(privacy_request: PrivacyRequest) -> str:
    return f"{privacy_request.reference}.zip"


def export_purge_expired(*, now: datetime | None = None) -> int:
    """Delete every archive whose link has expired; each in its own transaction."""
    now = now or timezone.now()
    purged = 0
    for archive_id in ExportArchive.objects.filter(expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            archive = (
                ExportArchive.objects.select_for_update()
                .select_related("request")
                .filter(pk=archive_id, expires_at__lte=now)
                .first()
            )
            if archive is None:
                continue
            privacy_request = archive.request
            archive.delete()
            integrations.audit(
                action="privacy_request.export_purge",
                obj=privacy_request,
                subject=privacy_request.member,
                metadata={"archive": str(archive_id)},
            )
            purged += 1
    return purged
