"""Reads: a visitor's consent, their history, and the policy versions in force."""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db.models import Max, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from privacy.consent.app_settings import app_settings
from privacy.consent.models import ConsentRecord
from privacy.consent.policy_models import PolicyKind, PolicyVersion
from privacy.consent.state import ConsentState, consent_cookie_read, gpc_requested

CURRENT_VERSIONS_CACHE_KEY = "privacy:policy:current-versions"
CURRENT_VERSIONS_CACHE_SECONDS = 300
HISTORY_LIMIT = 50


def policy_current_versions() -> tuple[int, int]:
    """(privacy policy, cookie policy) version numbers in force; 0 when none is published.

    Asked on requests whose consent cookie allows something, so it is cached;
    ``policy_publish`` clears the cache.
    """
    versions = cache.get(CURRENT_VERSIONS_CACHE_KEY)
    if versions is None:
        latest = dict(
            PolicyVersion.objects.values("kind")
            .annotate(latest=Max("version"))
            .values_list("kind", "latest")
        )
        versions = (latest.get(PolicyKind.PRIVACY, 0), latest.get(PolicyKind.COOKIES, 0))
        cache.set(CURRENT_VERSIONS_CACHE_KEY, versions, CURRENT_VERSIONS_CACHE_SECONDS)
    return tuple(versions)


# An account read with policy_current_versions_annotations() (members' per-request
# account read) carries the versions in force, read in that same statement.
CURRENT_VERSION_ATTRIBUTES = ("policy_privacy_version", "policy_cookie_version")


def policy_current_versions_annotations() -> dict[str, Coalesce]:
    """Annotations giving an account row the (privacy, cookie) versions in force.

    The query that loads the signed-in account on every request can carry them:
    its pages then know whether there is anything to acknowledge without reading
    the cache, and from the database itself (never older than the request).
    """
    return {
        attribute: Coalesce(
            Subquery(
                PolicyVersion.objects.filter(kind=kind).order_by("-version").values("version")[:1]
            ),
            0,
        )
        for attribute, kind in zip(
            CURRENT_VERSION_ATTRIBUTES, (PolicyKind.PRIVACY, PolicyKind.COOKIES), strict=True
        )
    }


def policy_version_current(*, kind: str) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(kind=kind).order_by("-version").first()


def policy_version_get(*, kind: str, version: int) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(kind=kind, version=version).first()


def policy_version_list() -> QuerySet[PolicyVersion]:
    """Every published version, newest first per policy, without the texts."""
    return PolicyVersion.objects.defer("text_fr", "text_en").order_by("kind", "-version")


def policy_versions_to_acknowledge(*, user) -> list[PolicyVersion]:
    """Policies changed since the member joined whose changes they have not yet read.

    Asked on every signed-in page: no query at all while only version 1 exists, and
    no cache read either when the account was read with the versions in force.
    """
    carried = [getattr(user, attribute, None) for attribute in CURRENT_VERSION_ATTRIBUTES]
    privacy_version, cookie_version = carried if None not in carried else policy_current_versions()
    changed = [
        Q(kind=kind, version=number)
        for kind, number in (
            (PolicyKind.PRIVACY, privacy_version),
            (PolicyKind.COOKIES, cookie_version),
        )
        if number > 1
    ]
    if not changed:
        return []
    condition = changed[0]
    for other in changed[1:]:
        condition |= other
    versions = (
        PolicyVersion.objects.defer("text_fr", "text_en")
        .filter(condition)
        .exclude(acknowledgements__user=user)
        .order_by("kind")
    )
    joined = getattr(user, "date_joined", None)
    if joined is not None:
        versions = versions.filter(published_at__gt=joined)
    return list(versions)


def consent_state(*, request: HttpRequest) -> ConsentState:
    """The visitor's consent; the middleware stores it on ``request.consent``."""
    state = getattr(request, "consent", None)
    if isinstance(state, ConsentState):
        return state
    return consent_cookie_read(
        request.COOKIES.get(app_settings.COOKIE_NAME),
        gpc=gpc_requested(request),
        current_versions=policy_current_versions,
    )


def consent_allows(*, request: HttpRequest, category: str) -> bool:
    """Whether this visitor allowed a category now (``"location"``, ``"analytics"``...)."""
    return consent_state(request=request).allows(category)


def consent_history(*, user=None, consent_id: uuid.UUID | None = None) -> QuerySet[ConsentRecord]:
    """A member's records, or an anonymous visitor's (those of their consent id only)."""
    # The history names each policy by its version: its texts (tens of KB a row) stay behind.
    texts = ("text_fr", "text_en", "changes_fr", "changes_en")
    records = ConsentRecord.objects.select_related(
        "privacy_policy_version", "cookie_policy_version"
    ).defer(
        *(
            f"{relation}__{text}"
            for relation in ("privacy_policy_version", "cookie_policy_version")
            for text in texts
        )
    )
    if user is not None and user.is_authenticated:
        condition = Q(user=user)
        if consent_id is not None:
            condition |= Q(consent_id=consent_id, user__isnull=True)
        return records.filter(condition).order_by("-created_at")
    if consent_id is None:
        return records.none()
    return records.filter(consent_id=consent_id, user__isnull=True).order_by("-created_at")


def consent_accounts_of(*, consent_id: uuid.UUID) -> set:
    """The ids of the accounts that made a choice from this browser (its consent id)."""
    return set(
        ConsentRecord.objects.filter(consent_id=consent_id, user__isnull=False)
        .values_list("user_id", flat=True)
        .distinct()
    )
