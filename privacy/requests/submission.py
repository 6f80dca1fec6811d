"""A member opens a privacy request: reference, due date, intake hold, receipt."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from privacy.requests import corrections, deletion, integrations, lifecycle
from privacy.requests.app_settings import app_settings
from privacy.requests.emails import member_notify
from privacy.requests.lifecycle import PrivacyRequestError
from privacy.requests.models import (
    OPEN_STATUSES,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
    SupportingDocument,
)


@transaction.atomic
def privacy_request_submit(
    *,
    account: AbstractBaseUser,
    kind: str,
    details: str = "",
    corrections_asked: list[tuple[str, str]] | None = None,
    document: tuple[str, bytes] | None = None,
    http_request: HttpRequest | None = None,
) -> PrivacyRequest:
    """Open a request: reference, due date, legal hold, receipt. One open per kind."""
    if kind not in RequestKind.values:
        raise PrivacyRequestError(_("Type de demande inconnu."))
    if PrivacyRequest.objects.filter(member=account, kind=kind, status__in=OPEN_STATUSES).exists():
        raise PrivacyRequestError(
            _("Vous avez déjà une demande de ce type en cours."), code="already_open"
        )
    if kind == RequestKind.CORRECTION and not corrections_asked and not details.strip():
        raise PrivacyRequestError(_("Nommez au moins un renseignement à corriger."))
    now = timezone.now()
    privacy_request = PrivacyRequest(
        member=account,
        kind=kind,
        details=details.strip(),
        submitted_at=now,
        due_on=timezone.localdate(now) + timedelta(days=app_settings.DUE_DAYS),
        reference=lifecycle.next_reference(timezone.localdate(now).year),
    )
    try:
        with transaction.atomic():
            privacy_request.save(force_insert=True)
    except IntegrityError as error:
        raise PrivacyRequestError(
            _("Vous avez déjà une demande de ce type en cours."), code="already_open"
        ) from error
    if kind == RequestKind.CORRECTION:
        corrections.correction_items_create(
            privacy_request=privacy_request, items=corrections_asked or []
        )
        if document is not None:
            filename, content = document
            SupportingDocument.objects.create(
                request=privacy_request,
                filename=filename[:200],
                content_type=corrections.document_check(content),
                size=len(content),
                content=content,
            )
    if kind == RequestKind.DELETION:
        plan = deletion.deletion_plan(user=account)
        privacy_request.deletion_plan = {"shown": plan.snapshot()}
        privacy_request.save(update_fields=["deletion_plan"])
    lifecycle.record_event(privacy_request, from_status="", actor=account)
    with translation.override(settings.LANGUAGE_CODE):
        hold_reason = _("Demande %(reference)s en cours de traitement.") % {
            "reference": privacy_request.reference
        }
    integrations.hold_place(
        subject=account, reason=hold_reason, source_id=privacy_request.reference
    )
    lifecycle.record_audit(privacy_request, "submit", actor=account, http_request=http_request)
    member_notify(privacy_request=privacy_request, event=RequestStatus.SUBMITTED)
    return privacy_request
