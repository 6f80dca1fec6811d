"""Reads: a member's requests and timeline, the staff queue, rows about a member."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from privacy.datamap.registry import Declaration, declarations
from privacy.requests.app_settings import app_settings
from privacy.requests.models import (
    PENDING_STATUSES,
    EventKind,
    ExportArchive,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
)


def subject_rows(*, declaration: Declaration, user) -> QuerySet:
    """The rows of a declared model that are about this account."""
    manager = declaration.model._default_manager
    if declaration.subject == "":
        return manager.filter(pk=user.pk)
    return manager.filter(**{declaration.subject: user})


def subject_declarations(*, exported_only: bool = False) -> list[Declaration]:
    """Declarations whose rows reach an account, in a stable order."""
    return [
        d for d in declarations() if d.subject is not None and (d.exported or not exported_only)
    ]


def privacy_request_list(*, account: AbstractBaseUser) -> QuerySet[PrivacyRequest]:
    return PrivacyRequest.objects.filter(member=account).order_by("-submitted_at")


def privacy_request_get(*, account: AbstractBaseUser, request_id) -> PrivacyRequest:
    """The member's own request, or 404: another member's looks like none at all."""
    return get_object_or_404(PrivacyRequest, pk=request_id, member=account)


def privacy_request_open_kinds(*, account: AbstractBaseUser) -> set[str]:
    return set(
        PrivacyRequest.objects.filter(member=account, status__in=PENDING_STATUSES).values_list(
            "kind", flat=True
        )
    )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str  # "status", "extension", "message"
    status: str = ""
    status_label: str = ""
    body: str = ""
    from_member: bool = False
    due_on: date | None = None


def privacy_request_timeline(*, privacy_request: PrivacyRequest) -> list[TimelineEntry]:
    """What the member sees: status changes, extensions and messages, oldest first."""
    labels = dict(RequestStatus.choices)
    entries = [
        TimelineEntry(
            at=event.created_at,
            kind=event.kind,
            status=event.to_status,
            status_label=labels.get(event.to_status, event.to_status),
            due_on=privacy_request.extended_due_on if event.kind == EventKind.EXTENSION else None,
        )
        for event in privacy_request.events.all()
    ]
    entries += [
        TimelineEntry(
            at=message.created_at,
            kind="message",
            body=message.body,
            from_member=message.from_member,
        )
        for message in privacy_request.messages.all()
    ]
    return sorted(entries, key=lambda entry: entry.at)


def privacy_requests_overdue(*, today: date | None = None) -> QuerySet[PrivacyRequest]:
    """Pending requests past their (possibly extended) due date."""
    today = today or timezone.localdate()
    return PrivacyRequest.objects.filter(status__in=PENDING_STATUSES).filter(
        Q(extended_due_on__isnull=True, due_on__lt=today) | Q(extended_due_on__lt=today)
    )


def privacy_requests_due_between(*, start: date, end: date | None) -> QuerySet[PrivacyRequest]:
    """Pending requests whose effective due date falls in [start, end] (end None: open)."""
    original = Q(extended_due_on__isnull=True, due_on__gte=start)
    extended = Q(extended_due_on__gte=start)
    if end is not None:
        original &= Q(due_on__lte=end)
        extended &= Q(extended_due_on__lte=end)
    return PrivacyRequest.objects.filter(status__in=PENDING_STATUSES).filter(original | extended)


def due_band(privacy_request: PrivacyRequest, today: date | None = None) -> str:
    """The colour band of the staff queue: overdue, soon, ok, or done."""
    if not privacy_request.is_pending:
        return "done"
    days = privacy_request.days_left(today)
    if days < 0:
        return "overdue"
    if days <= app_settings.DUE_SOON_DAYS:
        return "soon"
    return "ok"


def accounts_matching(*, term: str) -> set:
    """Accounts whose declared search field (student number) equals ``term`` exactly.

    Encrypted values are found through their blind index, never by decrypting.
    """
    term = term.strip()
    if not term:
        return set()
    from privacy.fields import EncryptedFieldError, blind_index_filter, is_encrypted

    found: set = set()
    for declaration in subject_declarations():
        names = set(app_settings.SEARCH_FIELDS) & set(declaration.personal_names)
        for name in names:
            model_field = declaration.model._meta.get_field(name)
            try:
                condition = (
                    blind_index_filter(declaration.model, name, term)
                    if is_encrypted(model_field)
                    else Q(**{name: term})
                )
            except (EncryptedFieldError, ValueError):
                continue
            rows = declaration.model._default_manager.filter(condition)
            path = declaration.subject or "pk"
            if declaration.subject:
                path = f"{declaration.subject}__pk"
            found.update(rows.values_list(path, flat=True))
    found.discard(None)
    return found


@dataclass(frozen=True)
class RequestActivity:
    """A line of the member's own activity: a request sent or an export downloaded."""

    occurred_at: datetime
    event: str  # "submitted" or "export_downloaded"
    kind_label: str
    reference: str


def privacy_request_activity(*, user, since: datetime, limit: int) -> list[RequestActivity]:
    """The member's requests sent and exports downloaded since ``since``, newest first."""
    kinds = dict(RequestKind.choices)
    submitted = (
        PrivacyRequest.objects.filter(member=user, submitted_at__gte=since)
        .order_by("-submitted_at")
        .values_list("submitted_at", "kind", "reference")[:limit]
    )
    downloaded = (
        ExportArchive.objects.filter(request__member=user, downloaded_at__gte=since)
        .order_by("-downloaded_at")
        .values_list("downloaded_at", "request__kind", "request__reference")[:limit]
    )
    return sorted(
        [RequestActivity(when, "submitted", kinds[kind], ref) for when, kind, ref in submitted]
        + [
            RequestActivity(when, "export_downloaded", kinds[kind], ref)
            for when, kind, ref in downloaded
        ],
        key=lambda item: item.occurred_at,
        reverse=True,
    )[:limit]
