"""Writes for the staff side: publishing and accepting staff documents."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from privacy.audit import chain as audit
from privacy.staff.models import StaffDocument, StaffDocumentAcceptance


@transaction.atomic
def staff_document_publish(
    *,
    kind: str,
    text_fr: str,
    text_en: str,
    effective_at: datetime | None = None,
    actor=None,
    request=None,
) -> StaffDocument:
    """Publish the next version; every staff member is asked again at their next admin visit."""
    # Lock the kind's versions so two publications cannot take the same number.
    list(StaffDocument.objects.select_for_update().filter(kind=kind).values_list("pk", flat=True))
    latest = StaffDocument.objects.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0
    document = StaffDocument.objects.create(
        kind=kind,
        version=latest + 1,
        text_fr=text_fr,
        text_en=text_en,
        effective_at=effective_at or timezone.now(),
    )
    audit.audit_record(
        action="staff_document.publish",
        actor=actor,
        obj=document,
        request=request,
        metadata={"kind": kind, "version": document.version},
    )
    return document


@transaction.atomic
def staff_document_accept(
    *, user, document: StaffDocument, request=None
) -> StaffDocumentAcceptance:
    """Record that a staff member accepted (or acknowledged) this version. Idempotent."""
    acceptance, created = StaffDocumentAcceptance.objects.get_or_create(
        user=user, document=document
    )
    if created:
        audit.audit_record(
            action=audit.STAFF_DOCUMENT_ACCEPT,
            actor=user,
            obj=document,
            subject=user,
            request=request,
            metadata={"kind": document.kind, "version": document.version},
        )
    return acceptance
