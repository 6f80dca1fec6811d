"""The request's state machine and what every transition shares.

``TRANSITIONS`` is the one source of the lifecycle (docs/privacy-requests.md draws
it, a test compares). Each service (submission, triage, fulfilment, conversation)
locks the request, checks where it stands with ``check``, and moves it with
``transition``: status, timeline event and audit row in the same transaction, the
member emailed in their language once committed. The holds that end with an answer
(``answer_holds``) live here too: the refusal (triage) and the fulfilment share them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from privacy.requests import integrations
from privacy.requests.app_settings import app_settings
from privacy.requests.emails import member_notify
from privacy.requests.models import (
    OPEN_STATUSES,
    EventKind,
    ExportArchive,
    PrivacyRequest,
    PrivacyRequestEvent,
    PrivacyRequestSequence,
    RequestKind,
    RequestStatus,
)

TRIAGE_PERMISSION = "privacy.triage_privacyrequest"

# action: (statuses it may start from, status it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "start_review": (
        frozenset({RequestStatus.SUBMITTED, RequestStatus.WAITING_MEMBER}),
        RequestStatus.IN_REVIEW,
    ),
    "ask_member": (frozenset({RequestStatus.IN_REVIEW}), RequestStatus.WAITING_MEMBER),
    "approve": (frozenset({RequestStatus.IN_REVIEW}), RequestStatus.APPROVED),
    # An approval that cannot be carried out (or was wrong) is decided again.
    "return_to_review": (frozenset({RequestStatus.APPROVED}), RequestStatus.IN_REVIEW),
    "refuse": (frozenset(OPEN_STATUSES), RequestStatus.REFUSED),
    "fulfil": (frozenset({RequestStatus.APPROVED}), RequestStatus.FULFILLED),
    "close": (frozenset({RequestStatus.FULFILLED, RequestStatus.REFUSED}), RequestStatus.CLOSED),
    # Closed without a decision on the merits (withdrawn, duplicate), with reasons.
    "close_with_reasons": (frozenset(OPEN_STATUSES), RequestStatus.CLOSED),
    # A refusal or a closing made in error (or overturned) is decided again; never an
    # executed request (``privacy_request_reopen``).
    "reopen": (frozenset({RequestStatus.REFUSED, RequestStatus.CLOSED}), RequestStatus.IN_REVIEW),
}
# The statuses in which the member has their answer.
ANSWERED_STATUSES = frozenset(
    {RequestStatus.FULFILLED, RequestStatus.REFUSED, RequestStatus.CLOSED}
)


class PrivacyRequestError(ValidationError):
    """A request cannot do what was asked; the message says why, in the page's language."""


def next_reference(year: int) -> str:
    for _attempt in range(3):
        try:
            with transaction.atomic():
                sequences = PrivacyRequestSequence.objects.select_for_update()
                sequence, _created = sequences.get_or_create(year=year)
                break
        except IntegrityError:  # two first requests of the year at once
            continue
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"DPR-{year}-{sequence.last:06d}"


def lock(privacy_request: PrivacyRequest) -> PrivacyRequest:
    return (
        PrivacyRequest.objects.select_for_update()
        .select_related("member")
        .get(pk=privacy_request.pk)
    )


def record_event(
    privacy_request: PrivacyRequest, *, from_status: str, actor, kind=EventKind.STATUS
):
    PrivacyRequestEvent.objects.create(
        request=privacy_request,
        kind=kind,
        from_status=from_status,
        to_status=privacy_request.status,
        actor=actor,
    )


def record_audit(
    privacy_request: PrivacyRequest, action: str, *, actor, http_request=None, **metadata
):
    integrations.audit(
        action=f"privacy_request.{action}",
        actor=actor,
        obj=privacy_request,
        subject=privacy_request.member,
        http_request=http_request,
        metadata={"reference": privacy_request.reference, "kind": privacy_request.kind, **metadata},
    )


def check(locked: PrivacyRequest, action: str) -> None:
    if locked.status not in TRANSITIONS[action][0]:
        raise PrivacyRequestError(
            _("Impossible : la demande %(reference)s est « %(status)s ».")
            % {"reference": locked.reference, "status": locked.get_status_display()},
            code="invalid_transition",
        )


def move(
    privacy_request: PrivacyRequest,
    action: str,
    *,
    actor,
    http_request: HttpRequest | None = None,
    notify: bool = True,
    **metadata,
) -> PrivacyRequest:
    """Lock, then ``_transition``: for callers that do not hold the row yet."""
    return transition(
        lock(privacy_request),
        action,
        actor=actor,
        http_request=http_request,
        notify=notify,
        **metadata,
    )


def transition(
    locked: PrivacyRequest,
    action: str,
    *,
    actor,
    http_request: HttpRequest | None = None,
    notify: bool = True,
    **metadata,
) -> PrivacyRequest:
    """Check, change status, record the event and the audit row, notify (row already locked)."""
    target = TRANSITIONS[action][1]
    check(locked, action)
    previous = locked.status
    locked.status = target
    locked.save(update_fields=["status"])
    record_event(locked, from_status=previous, actor=actor)
    record_audit(
        locked, action, actor=actor, http_request=http_request, to=target, **{"from": previous}
    )
    if notify:
        member_notify(privacy_request=locked, event=target)
    return locked


def require_staff(actor) -> None:
    if actor is None or not actor.has_perm(TRIAGE_PERMISSION):
        raise PrivacyRequestError(_("Seule la personne responsable peut traiter les demandes."))


def discard_draft_export(locked: PrivacyRequest) -> None:
    """An export prepared for an approval that no longer stands was never given: it goes."""
    if locked.kind == RequestKind.ACCESS:
        ExportArchive.objects.filter(request=locked, released_at__isnull=True).delete()


def answer_holds(locked: PrivacyRequest, *, actor, refused: bool) -> None:
    """The answer is given: the intake hold ends; a refusal holds for the recourse period.

    PIPEDA 8(8) and Law 25 (recourse before the Commission d'accès à
    l'information): what a refusal is about is kept while the member may
    still contest it, and no longer.
    """
    integrations.hold_release(source_id=locked.reference, released_by=actor)
    if not refused:
        return
    integrations.hold_place_until(
        subject=locked.member,
        kind="recourse",
        reason=recourse_reason(locked),
        source_id=locked.reference,
        ends=(locked.decided_at or timezone.now()) + app_settings.RECOURSE_PERIOD,
    )


def recourse_reason(locked: PrivacyRequest) -> str:
    """Stored in the site's language; the plan shows each hold in its reader's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Délai de recours devant la Commission d’accès à l’information après le refus "
            "de la demande %(reference)s."
        ) % {"reference": locked.reference}
