"""Reads for the staff side: documents staff must accept, and staff access
to a member's file as the member sees it (role, never name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from privacy.audit import chain as audit
from privacy.audit.models import AuditEntry
from privacy.roles import ACTOR_LABELS, MEMBER, SYSTEM
from privacy.staff.models import StaffDocument, StaffDocumentAcceptance

ACCESS_LABELS = {
    audit.ADMIN_VIEW: _("a consulté"),
    audit.ADMIN_REVEAL: _("a affiché une valeur masquée de"),
    audit.ADMIN_CHANGE: _("a modifié"),
}


def staff_document_current(*, kind: str) -> StaffDocument | None:
    """The version of a staff document in force now (the latest effective one)."""
    return (
        StaffDocument.objects.filter(kind=kind, effective_at__lte=timezone.now())
        .order_by("-version")
        .first()
    )


def staff_documents_pending(*, user) -> list[StaffDocument]:
    """Current documents this staff member has not accepted yet (agreement first)."""
    current: dict[str, StaffDocument] = {}
    versions = (
        StaffDocument.objects.filter(effective_at__lte=timezone.now())
        .order_by("kind", "-version")
        .only("id", "kind", "version")
    )
    for document in versions:
        current.setdefault(document.kind, document)
    accepted = set(
        StaffDocumentAcceptance.objects.filter(
            user=user, document__in=current.values()
        ).values_list("document_id", flat=True)
    )
    order: list[str] = [StaffDocument.Kind.AGREEMENT, StaffDocument.Kind.PROCEDURES]
    return sorted(
        (doc for doc in current.values() if doc.pk not in accepted),
        key=lambda doc: order.index(doc.kind),
    )


def staff_document_acceptance(*, user, document: StaffDocument) -> StaffDocumentAcceptance | None:
    return StaffDocumentAcceptance.objects.filter(user=user, document=document).first()


@dataclass(frozen=True)
class StaffView:
    """One look by staff at a member's file, as the member is shown it."""

    role: str
    role_label: str | Promise
    viewed_at: datetime
    action: str
    action_label: str | Promise
    object_type: str
    object_label: str | Promise

    def as_dict(self) -> dict:
        """Plain values for the access export."""
        return {
            "role": self.role,
            "role_label": str(self.role_label),
            "viewed_at": self.viewed_at.isoformat(),
            "action": self.action,
            "object_type": self.object_type,
            "object_label": str(self.object_label),
        }


def _object_label(object_type: str) -> str | Promise:
    try:
        return apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        return object_type


def staff_views_of(*, user, since: datetime | None = None) -> list[StaffView]:
    """Who on staff (by role) opened, revealed or changed this member's data, newest first."""
    entries = (
        AuditEntry.objects.filter(subject_id=str(user.pk), action__in=audit.STAFF_ACCESS_ACTIONS)
        .exclude(actor_id=str(user.pk))
        .exclude(actor_role__in=[MEMBER, SYSTEM])
        .order_by("-id")
    )
    if since is not None:
        entries = entries.filter(created_at__gte=since)
    return [
        StaffView(
            role=entry.actor_role,
            role_label=ACTOR_LABELS.get(entry.actor_role, entry.actor_role),
            viewed_at=entry.created_at,
            action=entry.action,
            action_label=ACCESS_LABELS[entry.action],
            object_type=entry.object_type,
            object_label=_object_label(entry.object_type),
        )
        for entry in entries.only("actor_role", "created_at", "action", "object_type")
    ]
