"""What requests need from the rest of privacy: audit, legal holds, consent, registers.

One module, so the wiring to each owner's documented API is in one place:
privacy.audit, privacy.retention, privacy.consent, privacy.registers and
privacy.staff.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import models
from django.http import HttpRequest

from privacy.audit.chain import audit_record
from privacy.consent.selectors import consent_history as _consent_history
from privacy.registers.selectors import disclosures_about
from privacy.retention.api import legal_hold_place, legal_hold_release, legal_holds_active
from privacy.retention.rules import RetentionRule, retention_rules
from privacy.staff.selectors import staff_views_of


def audit(
    *,
    action: str,
    actor=None,
    obj: models.Model | None = None,
    subject=None,
    http_request: HttpRequest | None = None,
    metadata: dict[str, Any] | None = None,
) -> None:
    """An audit row in the caller's transaction: ids and codes only, never values."""
    audit_record(
        action=action,
        actor=actor,
        obj=obj,
        subject=subject,
        request=http_request,
        metadata=metadata or {},
    )


def hold_place(*, subject, reason: str, source_id: str, kind: str = "privacy_request"):
    """Keep the member's data while their request is open (idempotent per source)."""
    return legal_hold_place(subject=subject, kind=kind, reason=reason, source_id=source_id)


def hold_place_until(*, subject, reason: str, source_id: str, ends: datetime, kind: str):
    return legal_hold_place(
        subject=subject, kind=kind, reason=reason, ends=ends, source_id=source_id
    )


def hold_release(*, source_id: str, released_by=None, kind: str = "privacy_request") -> None:
    legal_hold_release(kind=kind, source_id=source_id, released_by=released_by)


def holds_active(*, subject, excluding_source: str = "") -> list:
    """Holds now in force on the subject, except the one a request placed itself."""
    holds = legal_holds_active(subject=subject)
    if excluding_source:
        holds = holds.exclude(source_id=excluding_source)
    return list(holds)


def consent_history(*, user) -> Iterable[Any]:
    return _consent_history(user=user)


def disclosures(*, user) -> Iterable[Any]:
    return disclosures_about(user=user)


def staff_views(*, user) -> Iterable[Any]:
    return staff_views_of(user=user)


def retention_windows() -> dict[str, RetentionRule]:
    """The windows the retention purge applies (data map, with settings overrides), by label."""
    return {rule.label: rule for rule in retention_rules()}
