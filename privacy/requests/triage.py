"""Staff work a request: assign, review, ask the member, decide, extend, reopen.

Every service here needs the privacy officer's permission (``TRIAGE_PERMISSION``).
An answer stays reachable from every open status (Law 25 counts silence as a
refusal): an approved request may still be refused or taken back to review, and any
open request may be closed with reasons (withdrawn, a duplicate).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from privacy.requests import corrections, exports, integrations, lifecycle
from privacy.requests.app_settings import app_settings
from privacy.requests.emails import EXTENDED, member_notify
from privacy.requests.lifecycle import TRIAGE_PERMISSION, PrivacyRequestError
from privacy.requests.models import (
    CorrectionDecision,
    EventKind,
    PrivacyRequest,
    PrivacyRequestMessage,
    PrivacyRequestNote,
    RequestKind,
    RequestStatus,
)


@transaction.atomic
def privacy_request_assign(*, privacy_request: PrivacyRequest, assignee, actor) -> PrivacyRequest:
    lifecycle.require_staff(actor)
    if assignee is not None and not (assignee.is_active and assignee.has_perm(TRIAGE_PERMISSION)):
        raise PrivacyRequestError(_("Cette personne ne peut pas traiter les demandes."))
    locked = lifecycle.lock(privacy_request)
    locked.assignee = assignee
    locked.save(update_fields=["assignee"])
    lifecycle.record_audit(
        locked, "assign", actor=actor, assignee=str(assignee.pk) if assignee else None
    )
    return locked


@transaction.atomic
def privacy_request_start_review(*, privacy_request, actor, http_request=None) -> PrivacyRequest:
    lifecycle.require_staff(actor)
    locked = lifecycle.move(privacy_request, "start_review", actor=actor, http_request=http_request)
    if locked.assignee_id is None:
        locked.assignee = actor
        locked.save(update_fields=["assignee"])
    return locked


@transaction.atomic
def privacy_request_ask_member(
    *, privacy_request, actor, message: str, http_request=None
) -> PrivacyRequest:
    """Ask the member for something (clarification, a document); the question is kept."""
    lifecycle.require_staff(actor)
    if not message.strip():
        raise PrivacyRequestError(_("Écrivez la question posée au membre."))
    locked = lifecycle.move(privacy_request, "ask_member", actor=actor, http_request=http_request)
    PrivacyRequestMessage.objects.create(request=locked, author=actor, body=message.strip())
    return locked


@transaction.atomic
def privacy_request_correction_decide(
    *, privacy_request, actor, decisions: dict[str, tuple[str, str]]
) -> PrivacyRequest:
    """Accept or refuse named fields: {item id: (decision, reason)}."""
    lifecycle.require_staff(actor)
    locked = lifecycle.lock(privacy_request)
    if locked.kind != RequestKind.CORRECTION or locked.status not in (
        RequestStatus.IN_REVIEW,
        RequestStatus.WAITING_MEMBER,
    ):
        raise PrivacyRequestError(_("Les rectifications se décident pendant le traitement."))
    items = {str(item.pk): item for item in locked.correction_items.all()}
    for item_id, (decision, reason) in decisions.items():
        if item_id not in items:
            raise PrivacyRequestError(_("Rectification inconnue."))
        if decision == CorrectionDecision.PENDING:
            continue  # left to decide later; approving waits for it
        corrections.correction_item_decide(
            item=items[item_id], decision=decision, reason=reason, actor=actor
        )
    lifecycle.record_audit(
        locked,
        "correction_decide",
        actor=actor,
        approved=sum(1 for d, _r in decisions.values() if d == CorrectionDecision.APPROVED),
        refused=sum(1 for d, _r in decisions.values() if d == CorrectionDecision.REFUSED),
    )
    return locked


@transaction.atomic
def privacy_request_approve(*, privacy_request, actor, http_request=None) -> PrivacyRequest:
    """Accept the request; an access request gets its draft export for staff to preview."""
    lifecycle.require_staff(actor)
    locked = lifecycle.lock(privacy_request)
    if locked.kind == RequestKind.CORRECTION:
        items = list(locked.correction_items.all())
        if any(i.decision == CorrectionDecision.PENDING for i in items):
            raise PrivacyRequestError(_("Décidez d’abord chaque rectification demandée."))
        if not any(i.decision == CorrectionDecision.APPROVED for i in items):
            raise PrivacyRequestError(
                _("Aucune rectification acceptée : refusez la demande, avec ses motifs.")
            )
    locked = lifecycle.transition(locked, "approve", actor=actor, http_request=http_request)
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decided_at"])
    if locked.kind == RequestKind.ACCESS:
        exports.export_build(privacy_request=locked, actor=actor)
    return locked


@transaction.atomic
def privacy_request_refuse(
    *, privacy_request, actor, reasons: str, http_request=None
) -> PrivacyRequest:
    """Refuse, with reasons (required); the notice gives the member's recourse.

    Possible from every open status, an approved one included (the approval
    turned out to be wrong, or cannot be carried out): an answer is always
    reachable. The intake hold ends; the recourse hold begins.
    """
    lifecycle.require_staff(actor)
    reasons = (reasons or "").strip()
    if not reasons:
        raise PrivacyRequestError(_("Un refus doit être motivé."), code="reasons_required")
    locked = lifecycle.lock(privacy_request)
    lifecycle.check(locked, "refuse")
    locked.decision_reasons = reasons
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision_reasons", "decided_at"])
    if locked.kind == RequestKind.CORRECTION:
        for item in locked.correction_items.exclude(decision=CorrectionDecision.REFUSED):
            corrections.correction_item_decide(
                item=item, decision=CorrectionDecision.REFUSED, reason=reasons, actor=actor
            )
    lifecycle.discard_draft_export(locked)
    locked = lifecycle.transition(locked, "refuse", actor=actor, http_request=http_request)
    lifecycle.answer_holds(locked, actor=actor, refused=True)
    return locked


@transaction.atomic
def privacy_request_return_to_review(
    *, privacy_request, actor, http_request=None, note: str = ""
) -> PrivacyRequest:
    """Take an approved request back to review: its decisions become editable again."""
    lifecycle.require_staff(actor)
    locked = lifecycle.lock(privacy_request)
    lifecycle.check(locked, "return_to_review")
    lifecycle.discard_draft_export(locked)
    locked.decided_at = None
    locked.save(update_fields=["decided_at"])
    if note:
        PrivacyRequestNote.objects.create(request=locked, author=actor, body=note)
    return lifecycle.transition(
        locked, "return_to_review", actor=actor, http_request=http_request, notify=False
    )


@transaction.atomic
def privacy_request_close_with_reasons(
    *, privacy_request, actor, reasons: str, http_request=None
) -> PrivacyRequest:
    """Close an open request without a decision on the merits (withdrawn, a duplicate).

    The reasons are the member's answer: they are kept and sent to them.
    """
    lifecycle.require_staff(actor)
    reasons = (reasons or "").strip()
    if not reasons:
        raise PrivacyRequestError(
            _("Une demande fermée sans réponse doit l’être avec ses motifs."),
            code="reasons_required",
        )
    locked = lifecycle.lock(privacy_request)
    lifecycle.check(locked, "close_with_reasons")
    now = timezone.now()
    locked.decision_reasons = reasons
    locked.decided_at = now
    locked.closed_at = now
    locked.save(update_fields=["decision_reasons", "decided_at", "closed_at"])
    lifecycle.discard_draft_export(locked)
    locked = lifecycle.transition(
        locked, "close_with_reasons", actor=actor, http_request=http_request
    )
    lifecycle.answer_holds(locked, actor=actor, refused=False)
    return locked


@transaction.atomic
def privacy_request_extend(
    *, privacy_request, actor, days: int, reason: str, http_request=None
) -> PrivacyRequest:
    """One extension of at most 30 days, with reasons, before the deadline passes."""
    lifecycle.require_staff(actor)
    reason = (reason or "").strip()
    locked = lifecycle.lock(privacy_request)
    if not locked.is_pending:
        raise PrivacyRequestError(_("Seule une demande en attente de réponse peut être prolongée."))
    if locked.extended_due_on is not None:
        raise PrivacyRequestError(_("Le délai ne peut être prolongé qu’une fois."))
    if not reason:
        raise PrivacyRequestError(_("Une prolongation doit être motivée."))
    if not 1 <= days <= app_settings.MAX_EXTENSION_DAYS:
        raise PrivacyRequestError(
            _("La prolongation va de 1 à %(max)s jours.") % {"max": app_settings.MAX_EXTENSION_DAYS}
        )
    if timezone.localdate() > locked.due_on:
        raise PrivacyRequestError(
            _("Le délai est déjà dépassé : la prolongation doit être annoncée avant.")
        )
    locked.extended_due_on = locked.due_on + timedelta(days=days)
    locked.extension_reason = reason
    locked.extended_at = timezone.now()
    locked.save(update_fields=["extended_due_on", "extension_reason", "extended_at"])
    lifecycle.record_event(locked, from_status=locked.status, actor=actor, kind=EventKind.EXTENSION)
    lifecycle.record_audit(locked, "extend", actor=actor, http_request=http_request, days=days)
    member_notify(privacy_request=locked, event=EXTENDED)
    return locked


@transaction.atomic
def privacy_request_reopen(
    *, privacy_request, actor, reasons: str, http_request=None
) -> PrivacyRequest:
    """Take a refused or closed request back into review, with reasons.

    An executed request cannot be undone: the member files a new one. The earlier
    decision stays in the internal notes; the intake hold is placed again and the
    recourse hold ends, since the answer no longer stands. The due date is kept.
    """
    lifecycle.require_staff(actor)
    reasons = (reasons or "").strip()
    if not reasons:
        raise PrivacyRequestError(
            _("Une demande rouverte doit l’être avec ses motifs."), code="reasons_required"
        )
    locked = lifecycle.lock(privacy_request)
    lifecycle.check(locked, "reopen")
    if locked.fulfilled_at is not None:
        raise PrivacyRequestError(
            _(
                "La demande %(reference)s a été exécutée : elle ne peut être rouverte. "
                "Le membre peut en déposer une nouvelle."
            )
            % {"reference": locked.reference},
            code="executed",
        )
    earlier = locked.decision_reasons
    body = _("Rouverte : %(reasons)s") % {"reasons": reasons}
    if earlier:
        body += "\n" + _("Décision précédente :") + " " + earlier
    PrivacyRequestNote.objects.create(request=locked, author=actor, body=body)
    try:
        with transaction.atomic():
            locked = lifecycle.transition(locked, "reopen", actor=actor, http_request=http_request)
    except IntegrityError:
        raise PrivacyRequestError(
            _("Le membre a déjà une demande de ce type en cours : traitez-la plutôt."),
            code="already_open",
        ) from None
    locked.decided_at = None
    locked.closed_at = None
    locked.decision_reasons = ""
    locked.save(update_fields=["decided_at", "closed_at", "decision_reasons"])
    integrations.hold_release(source_id=locked.reference, released_by=actor, kind="recourse")
    with translation.override(settings.LANGUAGE_CODE):
        hold_reason = _("Demande %(reference)s en cours de traitement.") % {
            "reference": locked.reference
        }
    integrations.hold_place(subject=locked.member, reason=hold_reason, source_id=locked.reference)
    if locked.assignee_id is None:
        locked.assignee = actor
        locked.save(update_fields=["assignee"])
    return locked


@transaction.atomic
def privacy_requests_assign(*, privacy_requests, assignee, actor) -> int:
    """Give several requests to one colleague: one audit row per request, as one at a time."""
    count = 0
    for privacy_request in privacy_requests:
        privacy_request_assign(privacy_request=privacy_request, assignee=assignee, actor=actor)
        count += 1
    return count
