"""Legal holds: while one lasts, its subject's holdable rows outlive their window.

The privacy-requests flow places a hold when a request opens and releases it
when the request closes; staff place explicit holds (reason and end date) in
admin; a recourse before the Commission holds the same way.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from privacy.audit.chain import audit_record
from privacy.retention.models import LegalHold


class LegalHoldError(ValueError):
    pass


@transaction.atomic
def legal_hold_place(
    *,
    subject: AbstractBaseUser,
    kind: str,
    reason: str,
    ends: datetime | None = None,
    placed_by: AbstractBaseUser | None = None,
    source_id: str = "",
) -> LegalHold:
    """Place a hold on ``subject``'s data; idempotent per (kind, source_id).

    An explicit hold needs an end date. Placing again for a source that
    already has an unreleased hold returns that hold unchanged.
    """
    if kind not in LegalHold.Kind.values:
        raise LegalHoldError(f"unknown legal hold kind {kind!r}")
    if not str(reason).strip():
        raise LegalHoldError("a legal hold needs a reason")
    if kind == LegalHold.Kind.EXPLICIT and ends is None:
        raise LegalHoldError("an explicit legal hold needs an end date")
    if ends is not None and ends <= timezone.now():
        raise LegalHoldError("a legal hold must end in the future")
    source_id = str(source_id or "")
    if source_id:
        existing = (
            LegalHold.objects.select_for_update()
            .filter(kind=kind, source_id=source_id, released__isnull=True)
            .first()
        )
        if existing is not None:
            return existing
    # The account model (settings.AUTH_USER_MODEL) is one privacy does not import.
    hold = LegalHold.objects.create(  # type: ignore[misc]
        subject=subject,
        kind=kind,
        reason=str(reason).strip(),
        ends=ends,
        placed_by=placed_by,
        source_id=source_id,
    )
    audit_record(
        action="legal_hold.placed",
        actor=placed_by,
        obj=hold,
        subject=subject,
        metadata={"kind": kind},
    )
    return hold


@transaction.atomic
def legal_hold_release(
    *,
    hold: LegalHold | None = None,
    kind: str | None = None,
    source_id: str | None = None,
    released_by: AbstractBaseUser | None = None,
) -> int:
    """End one hold now, or the unreleased hold of (kind, source_id); returns how many.

    Releasing twice does nothing the second time. A hold whose end date has
    already passed keeps that date.
    """
    if hold is None and not (kind and source_id):
        raise LegalHoldError("name the hold, or its kind and source_id")
    holds = LegalHold.objects.filter(released__isnull=True)
    holds = (
        holds.filter(pk=hold.pk)
        if hold is not None
        else holds.filter(kind=kind, source_id=source_id)
    )
    now = timezone.now()
    for held in holds.select_for_update():
        audit_record(
            action="legal_hold.released",
            actor=released_by,
            obj=held,
            subject=held.subject,
            metadata={"kind": held.kind},
        )
    released = holds.update(
        released=now,
        released_by=released_by,
        ends=Case(
            When(Q(ends__isnull=True) | Q(ends__gt=now), then=Value(now)),
            default=F("ends"),
        ),
    )
    return released
