"""What requests need from the rest of privacy: audit, legal holds, consent, registers.

One module so the wiring is in one place. Each function calls the documented
API of its owner (privacy.audit, privacy.retention, privacy.consent,
privacy.registers, privacy.staff); an owner not yet on this branch is skipped
(legal holds, disclosure register, staff views), so the call sites never change.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db import models
from django.http import HttpRequest


def _find(module: str, name: str) -> Callable | None:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def audit(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    subject=None,
    http_request: HttpRequest | None = None,
    metadata: dict[str, Any] | None = None,
) -> None:
    """An audit row in the same transaction: ids and codes only, never values."""
    from privacy.audit import audit_record

    audit_record(
        action=action,
        actor=actor,
        obj=obj,
        subject=subject,
        request=http_request,
        metadata=metadata or {},
    )


def hold_place(*, subject, reason: str, source_id: str, placed_by=None, kind="privacy_request"):
    place = _find("privacy.retention", "legal_hold_place")
    if place is None:
        return None
    return place(
        subject=subject, kind=kind, reason=reason, placed_by=placed_by, source_id=source_id
    )


def hold_place_until(*, subject, reason: str, source_id: str, ends: datetime, kind: str):
    place = _find("privacy.retention", "legal_hold_place")
    if place is None:
        return None
    return place(subject=subject, kind=kind, reason=reason, ends=ends, source_id=source_id)


def hold_release(*, source_id: str, released_by=None, kind="privacy_request") -> None:
    release = _find("privacy.retention", "legal_hold_release")
    if release is None:
        return
    release(kind=kind, source_id=source_id, released_by=released_by)


def holds_active(*, subject, excluding_source: str = "") -> list:
    """Holds now in force on the subject, except the one a request placed itself."""
    active = _find("privacy.retention", "legal_holds_active")
    if active is None:
        return []
    holds = active(subject=subject)
    if excluding_source:
        holds = holds.exclude(source_id=excluding_source)
    return list(holds)


def consent_history(*, user) -> Iterable[Any]:
    from privacy.consent.selectors import consent_history as history

    return history(user=user)


def disclosures(*, user) -> Iterable[Any]:
    from privacy.registers.selectors import disclosures_about

    return disclosures_about(user=user)


def staff_views(*, user) -> Iterable[Any]:
    from privacy.staff.selectors import staff_views_of

    return staff_views_of(user=user)
