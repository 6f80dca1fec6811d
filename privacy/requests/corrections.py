"""Correction requests: which fields a member may name, and applying approved changes.

The member names a declared personal field of one of their own records
(through the data map: privacy knows no model of ours by name) and proposes
a value; staff accept or refuse each one; accepted values are written
together, or none is.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.datamap.registry import Category, Declaration, declaration_for
from privacy.requests.app_settings import app_settings
from privacy.requests.models import CorrectionDecision, CorrectionItem, PrivacyRequest
from privacy.requests.selectors import subject_declarations, subject_rows

# What a member can ask to correct: facts about them, not traces of activity,
# consent proofs or correspondence.
CORRECTABLE_CATEGORIES = {
    Category.IDENTITY,
    Category.CONTACT,
    Category.HEALTH,
    Category.FINANCIAL,
    Category.LOCATION,
}
# Above this many rows a model is left out of the picker (claims, say): the
# member describes such an error in words instead.
MAX_ROWS_PER_MODEL = 20


class CorrectionError(ValidationError):
    """Why a correction cannot be made; ``item`` names the one that failed, if one did."""

    item: CorrectionItem | None = None


@dataclass(frozen=True)
class CorrectableField:
    model_label: str
    object_id: str
    field_name: str
    section: str
    field_label: str
    current: str

    @property
    def token(self) -> str:
        return f"{self.model_label}|{self.object_id}|{self.field_name}"


def display_value(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _correctable(declaration: Declaration) -> list[str]:
    if declaration.subject in (None, "") or not declaration.exported:
        return []
    if declaration.label in app_settings.SELF_SERVICE_MODELS:
        return []
    names = []
    for personal in declaration.personal:
        if personal.category not in CORRECTABLE_CATEGORIES:
            continue
        model_field = declaration.model._meta.get_field(personal.name)
        if (
            model_field.is_relation
            or not model_field.editable
            or isinstance(model_field, models.BinaryField | models.JSONField)
        ):
            continue
        names.append(personal.name)
    return names


def correctable_fields(*, user) -> list[CorrectableField]:
    """Every field the member may name, with its current value, from their own rows."""
    out = []
    for declaration in subject_declarations(exported_only=True):
        names = _correctable(declaration)
        if not names:
            continue
        rows = list(subject_rows(declaration=declaration, user=user)[: MAX_ROWS_PER_MODEL + 1])
        if len(rows) > MAX_ROWS_PER_MODEL:
            continue
        meta = declaration.model._meta
        for index, obj in enumerate(rows, start=1):
            section = str(meta.verbose_name).capitalize()
            if len(rows) > 1:
                section = f"{section} {index}"
            for name in names:
                out.append(
                    CorrectableField(
                        model_label=declaration.label,
                        object_id=str(obj.pk),
                        field_name=name,
                        section=section,
                        field_label=str(meta.get_field(name).verbose_name),
                        current=display_value(getattr(obj, name)),
                    )
                )
    return out


def _resolve(*, user, model_label: str, object_id: str, field_name: str, lock: bool = False):
    """The member's own row and field named by an item, or CorrectionError."""
    declaration = declaration_for(model_label)
    if declaration is None or field_name not in _correctable(declaration):
        raise CorrectionError(_("Ce renseignement ne peut pas être corrigé par une demande."))
    rows = subject_rows(declaration=declaration, user=user)
    if lock:
        rows = rows.select_for_update()
    obj = rows.filter(pk=object_id).first()
    if obj is None:
        raise CorrectionError(_("Cette fiche n’existe plus."))
    return obj, declaration.model._meta.get_field(field_name)


def proposed_clean(*, user, model_label: str, object_id: str, field_name: str, proposed: str):
    """The proposed value converted and validated as the field would, or CorrectionError."""
    obj, model_field = _resolve(
        user=user, model_label=model_label, object_id=object_id, field_name=field_name
    )
    return _clean_proposed(obj, model_field, proposed)


def _clean_proposed(obj, model_field, proposed: str):
    raw = proposed.strip()
    if raw == "" and (model_field.null or model_field.blank):
        return None if model_field.null else ""
    try:
        return model_field.clean(raw, obj)
    except ValidationError as error:
        raise CorrectionError(error.messages) from error


def correction_items_create(
    *, privacy_request: PrivacyRequest, items: list[tuple[str, str]]
) -> list[CorrectionItem]:
    """Record the fields named (tokens ``label|id|field``) with current and proposed values."""
    account = privacy_request.member
    created = []
    seen = set()
    for token, proposed in items:
        if token in seen:
            raise CorrectionError(_("Chaque renseignement ne peut être nommé qu’une fois."))
        seen.add(token)
        model_label, object_id, field_name = token.split("|", 2)
        obj, model_field = _resolve(
            user=account, model_label=model_label, object_id=object_id, field_name=field_name
        )
        _clean_proposed(obj, model_field, proposed)
        created.append(
            CorrectionItem.objects.create(
                request=privacy_request,
                model_label=model_label,
                object_id=object_id,
                field_name=field_name,
                current_value=display_value(getattr(obj, field_name)),
                proposed_value=proposed.strip(),
            )
        )
    return created


def correction_item_decide(*, item: CorrectionItem, decision: str, reason: str, actor) -> None:
    if decision not in (CorrectionDecision.APPROVED, CorrectionDecision.REFUSED):
        raise CorrectionError(_("Décision inconnue."))
    reason = reason.strip()
    if decision == CorrectionDecision.REFUSED and not reason:
        raise CorrectionError(_("Un refus doit être motivé."))
    if item.applied_at:
        raise CorrectionError(_("Cette rectification est déjà appliquée."))
    item.decision = decision
    item.decision_reason = reason
    item.decided_at = timezone.now()
    item.decided_by = actor
    item.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by"])


@transaction.atomic
def correction_apply(*, privacy_request: PrivacyRequest) -> list[CorrectionItem]:
    """Write every approved value, or none: a stale or invalid one rolls all back."""
    account = privacy_request.member
    items = list(
        privacy_request.correction_items.filter(
            decision=CorrectionDecision.APPROVED, applied_at__isnull=True
        ).order_by("model_label", "object_id", "field_name")
    )
    now = timezone.now()
    for item in items:
        try:
            _apply_one(account, item)
        except CorrectionError as error:
            error.item = item
            raise
        item.applied_at = now
        item.save(update_fields=["applied_at"])
    return items


def _apply_one(account: AbstractBaseUser, item: CorrectionItem) -> None:
    obj, model_field = _resolve(
        user=account,
        model_label=item.model_label,
        object_id=item.object_id,
        field_name=item.field_name,
        lock=True,
    )
    if display_value(getattr(obj, item.field_name)) != item.current_value:
        raise CorrectionError(
            _(
                "« %(field)s » a changé depuis la demande : revoyez la rectification "
                "avant de l’appliquer."
            )
            % {"field": model_field.verbose_name},
            code="stale",
        )
    # Cleaned against the row just locked, not a second, unlocked read of it.
    value = _clean_proposed(obj, model_field, item.proposed_value)
    setattr(obj, item.field_name, value)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:  # e.g. the new student number is someone else's
        raise CorrectionError(
            _("la valeur acceptée est déjà celle d’une autre fiche (elle doit être unique)."),
            code="conflict",
        ) from error


def correction_item_undecide(*, item: CorrectionItem) -> None:
    """Back to "to decide": the item that could not be applied is decided again."""
    item.decision = CorrectionDecision.PENDING
    item.decision_reason = ""
    item.decided_at = None
    item.decided_by = None
    item.save(update_fields=["decision", "decision_reason", "decided_at", "decided_by"])


def correction_field_label(model_label: str, field_name: str) -> str:
    """ "Member — first name": how a named field reads to people."""
    try:
        meta = apps.get_model(model_label)._meta
        return f"{str(meta.verbose_name).capitalize()} — {meta.get_field(field_name).verbose_name}"
    except (LookupError, FieldDoesNotExist):
        return f"{model_label}.{field_name}"


def document_sniff(content: bytes) -> str | None:
    """The document's real type from its first bytes: PDF, PNG or JPEG only."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def document_check(content: bytes) -> str:
    if len(content) > app_settings.DOCUMENT_MAX_BYTES:
        raise CorrectionError(
            _("Le document dépasse la taille permise (%(size)s Mo).")
            % {"size": app_settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}
        )
    content_type = document_sniff(content)
    if content_type is None:
        raise CorrectionError(_("Joignez un document PDF, PNG ou JPEG."))
    return content_type
