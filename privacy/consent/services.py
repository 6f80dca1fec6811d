"""Writes: recording consent, linking it to a member, publishing policies, counting pages."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.consent.cookies import OPTIONAL_CATEGORIES, ConsentCategory, gpc_refuses
from privacy.consent.models import ConsentRecord, PageCount
from privacy.consent.policy_models import PolicyAcknowledgement, PolicyKind, PolicyVersion
from privacy.consent.selectors import CURRENT_VERSIONS_CACHE_KEY, policy_version_current
from privacy.ip import truncate_ip

# --- Withdrawal hooks ------------------------------------------------------------
# privacy imports no other app of ours, so apps that keep data a category allows
# (e.g. members' stored location) register here to drop it when consent is withdrawn.
WithdrawalCallback = Callable[..., object]  # what it returns is not used
_withdrawal_callbacks: dict[str, list[WithdrawalCallback]] = defaultdict(list)


def on_withdrawal(category: str, callback: WithdrawalCallback) -> None:
    """Call ``callback(user=..., consent_id=..., category=...)`` when ``category`` is withdrawn.

    It runs inside the transaction that records the withdrawal; ``user`` is None
    for an anonymous visitor. Register from ``AppConfig.ready()``.
    """
    category = ConsentCategory(category)
    if category == ConsentCategory.ESSENTIAL:
        raise ValueError("Essential cookies cannot be withdrawn.")
    if callback not in _withdrawal_callbacks[category]:
        _withdrawal_callbacks[category].append(callback)


def on_withdrawal_remove(category: str, callback: WithdrawalCallback) -> None:
    callbacks = _withdrawal_callbacks[ConsentCategory(category)]
    if callback in callbacks:
        callbacks.remove(callback)


def _previously_allowed(*, consent_id: uuid.UUID, user) -> set[str]:
    """What the latest record of this browser, or of this member, allowed."""
    latest = [ConsentRecord.objects.filter(consent_id=consent_id).order_by("-created_at").first()]
    if user is not None:
        latest.append(ConsentRecord.objects.filter(user=user).order_by("-created_at").first())
    return {
        category
        for record in latest
        if record is not None
        for category, allowed in record.choices.items()
        if allowed
    }


# --- Consent -----------------------------------------------------------------------
@transaction.atomic
def consent_record(
    *,
    consent_id: uuid.UUID | None,
    choices: Mapping[str, bool],
    gpc: bool,
    language: str,
    source: str,
    ip_address: str | None,
    user=None,
) -> ConsentRecord:
    """Record a decision as proof (time, policy versions, exact choices, language shown).

    ``consent_id`` is the visitor's existing id, or None for a first choice.
    Global Privacy Control refuses preferences and analytics whatever was
    ticked. Categories allowed before and refused now are withdrawals: the
    registered callbacks run.
    """
    privacy_policy = policy_version_current(kind=PolicyKind.PRIVACY)
    cookie_policy = policy_version_current(kind=PolicyKind.COOKIES)
    if privacy_policy is None or cookie_policy is None:
        raise ImproperlyConfigured("No published privacy or cookie policy: run migrate.")
    effective = {
        category.value: bool(choices.get(category.value)) and not gpc_refuses(category, gpc=gpc)
        for category in OPTIONAL_CATEGORIES
    }
    consent_id = consent_id or uuid.uuid4()
    user = user if user is not None and user.is_authenticated else None
    before = _previously_allowed(consent_id=consent_id, user=user)
    record = ConsentRecord.objects.create(
        consent_id=consent_id,
        user=user,
        privacy_policy_version=privacy_policy,
        cookie_policy_version=cookie_policy,
        gpc=gpc,
        language=language[:8],
        source=source,
        ip_prefix=truncate_ip(ip_address),
        **effective,
    )
    for category in OPTIONAL_CATEGORIES:
        if category.value in before and not effective[category.value]:
            for callback in list(_withdrawal_callbacks[category]):
                callback(user=user, consent_id=consent_id, category=category.value)
    return record


def consent_user_link(*, consent_id: uuid.UUID, user) -> int:
    """Link a browser's anonymous consent records to the member who just signed in."""
    return ConsentRecord.objects.filter(consent_id=consent_id, user__isnull=True).update(user=user)


# --- Policies ----------------------------------------------------------------------
def _current_versions_forget() -> None:
    cache.delete(CURRENT_VERSIONS_CACHE_KEY)


@transaction.atomic
def policy_publish(
    *,
    kind: str,
    text_fr: str,
    text_en: str,
    changes_fr: str,
    changes_en: str,
) -> PolicyVersion:
    """Publish the next version of a policy. Every visitor is asked to choose again."""
    kind = PolicyKind(kind)
    texts = {
        "text_fr": text_fr.strip(),
        "text_en": text_en.strip(),
        "changes_fr": changes_fr.strip(),
        "changes_en": changes_en.strip(),
    }
    missing = [name for name, value in texts.items() if not value]
    if missing:
        raise ValidationError(
            {name: _("Ce champ est obligatoire pour publier une version.") for name in missing}
        )
    # Lock the latest version so two publications cannot take the same number.
    latest = (
        PolicyVersion.objects.select_for_update().filter(kind=kind).order_by("-version").first()
    )
    version = PolicyVersion.objects.create(
        kind=kind,
        version=(latest.version + 1) if latest else 1,
        published_at=timezone.now(),
        **texts,
    )
    _current_versions_forget()
    transaction.on_commit(_current_versions_forget)
    return version


def policy_acknowledge(*, user, versions: Iterable[PolicyVersion]) -> None:
    """Record that a member has read what changed in these versions."""
    now = timezone.now()
    rows = [
        PolicyAcknowledgement(user=user, policy_version=version, acknowledged_at=now)
        for version in versions
    ]
    PolicyAcknowledgement.objects.bulk_create(rows, ignore_conflicts=True)


# --- Analytics ---------------------------------------------------------------------
def page_view_count(*, path: str, day: date) -> None:
    """Add one view of a page on a day: an aggregate, never a per-person row."""
    path = path[:255]
    counted = PageCount.objects.filter(path=path, day=day).update(count=F("count") + 1)
    if counted:
        return
    try:
        with transaction.atomic():
            PageCount.objects.create(path=path, day=day, count=1)
    except IntegrityError:
        # Another request created the row first: add to it.
        PageCount.objects.filter(path=path, day=day).update(count=F("count") + 1)
