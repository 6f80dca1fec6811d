"""The lifecycle of a privacy request: every write goes through here.

submitted -> in review -> (waiting for the member) -> approved or refused
-> fulfilled -> closed. Each transition locks the request, checks where it
stands, writes a timeline event and an audit row in the same transaction, and
emails the member in their language once committed.

From every open status an answer stays reachable (Law 25 counts silence as a
refusal): an approved request whose application fails goes back to review
with the failing item named; an approved request may still be refused; and
any open request may be closed with reasons (withdrawn, a duplicate). The
hold placed at intake ends with the answer; a refusal, whole or partial,
holds the data for the recourse period instead. ``TRANSITIONS`` is the one
source of the lifecycle: docs/privacy-requests.md draws it, a test compares.

Why one module past 400 lines: TRANSITIONS and every service that moves a request
live together, so the state machine (and docs/privacy-requests.md, generated from it)
reads in one place. Next split: correction application into corrections.py.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from privacy.requests import corrections, deletion, exports, integrations
from privacy.requests.app_settings import app_settings
from privacy.requests.emails import EXTENDED, MESSAGE, member_notify
from privacy.requests.models import (
    OPEN_STATUSES,
    CorrectionDecision,
    EventKind,
    ExportArchive,
    PrivacyRequest,
    PrivacyRequestEvent,
    PrivacyRequestMessage,
    PrivacyRequestNote,
    PrivacyRequestSequence,
    RequestKind,
    RequestStatus,
    SupportingDocument,
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


def _next_reference(year: int) -> str:
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


def _lock(privacy_request: PrivacyRequest) -> PrivacyRequest:
    return (
        PrivacyRequest.objects.select_for_update()
        .select_related("member")
        .get(pk=privacy_request.pk)
    )


def _event(privacy_request: PrivacyRequest, *, from_status: str, actor, kind=EventKind.STATUS):
    PrivacyRequestEvent.objects.create(
        request=privacy_request,
        kind=kind,
        from_status=from_status,
        to_status=privacy_request.status,
        actor=actor,
    )


def _audit(privacy_request: PrivacyRequest, action: str, *, actor, http_request=None, **metadata):
    integrations.audit(
        action=f"privacy_request.{action}",
        actor=actor,
        obj=privacy_request,
        subject=privacy_request.member,
        http_request=http_request,
        metadata={"reference": privacy_request.reference, "kind": privacy_request.kind, **metadata},
    )


def _check(locked: PrivacyRequest, action: str) -> None:
    if locked.status not in TRANSITIONS[action][0]:
        raise PrivacyRequestError(
            _("Impossible : la demande %(reference)s est « %(status)s ».")
            % {"reference": locked.reference, "status": locked.get_status_display()},
            code="invalid_transition",
        )


def _move(
    privacy_request: PrivacyRequest,
    action: str,
    *,
    actor,
    http_request: HttpRequest | None = None,
    notify: bool = True,
    **metadata,
) -> PrivacyRequest:
    """Lock, then ``_transition``: for callers that do not hold the row yet."""
    return _transition(
        _lock(privacy_request),
        action,
        actor=actor,
        http_request=http_request,
        notify=notify,
        **metadata,
    )


def _transition(
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
    _check(locked, action)
    previous = locked.status
    locked.status = target
    locked.save(update_fields=["status"])
    _event(locked, from_status=previous, actor=actor)
    _audit(locked, action, actor=actor, http_request=http_request, to=target, **{"from": previous})
    if notify:
        member_notify(privacy_request=locked, event=target)
    return locked


def _require_staff(actor) -> None:
    if actor is None or not actor.has_perm(TRIAGE_PERMISSION):
        raise PrivacyRequestError(_("Seule la personne responsable peut traiter les demandes."))


# --- The member ----------------------------------------------------------------


@transaction.atomic
def privacy_request_submit(
    *,
    member,
    kind: str,
    details: str = "",
    corrections_asked: list[tuple[str, str]] | None = None,
    document: tuple[str, bytes] | None = None,
    http_request: HttpRequest | None = None,
) -> PrivacyRequest:
    """Open a request: reference, due date, legal hold, receipt. One open per kind."""
    if kind not in RequestKind.values:
        raise PrivacyRequestError(_("Type de demande inconnu."))
    if PrivacyRequest.objects.filter(member=member, kind=kind, status__in=OPEN_STATUSES).exists():
        raise PrivacyRequestError(
            _("Vous avez déjà une demande de ce type en cours."), code="already_open"
        )
    if kind == RequestKind.CORRECTION and not corrections_asked and not details.strip():
        raise PrivacyRequestError(_("Nommez au moins un renseignement à corriger."))
    now = timezone.now()
    privacy_request = PrivacyRequest(
        member=member,
        kind=kind,
        details=details.strip(),
        submitted_at=now,
        due_on=timezone.localdate(now) + timedelta(days=app_settings.DUE_DAYS),
        reference=_next_reference(timezone.localdate(now).year),
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
        plan = deletion.deletion_plan(user=member)
        privacy_request.deletion_plan = {"shown": plan.snapshot()}
        privacy_request.save(update_fields=["deletion_plan"])
    _event(privacy_request, from_status="", actor=member)
    with translation.override(settings.LANGUAGE_CODE):
        hold_reason = _("Demande %(reference)s en cours de traitement.") % {
            "reference": privacy_request.reference
        }
    integrations.hold_place(subject=member, reason=hold_reason, source_id=privacy_request.reference)
    _audit(privacy_request, "submit", actor=member, http_request=http_request)
    member_notify(privacy_request=privacy_request, event=RequestStatus.SUBMITTED)
    return privacy_request


@transaction.atomic
def privacy_request_member_reply(
    *, privacy_request: PrivacyRequest, member, body: str, http_request=None
) -> PrivacyRequest:
    """The member answers; a request waiting for them goes back to review."""
    body = body.strip()
    if not body:
        raise PrivacyRequestError(_("Écrivez votre message."))
    locked = _lock(privacy_request)
    if locked.member_id != member.pk or locked.status == RequestStatus.CLOSED:
        raise PrivacyRequestError(_("Cette demande n’accepte plus de message."))
    PrivacyRequestMessage.objects.create(request=locked, author=member, from_member=True, body=body)
    _audit(locked, "member_reply", actor=member, http_request=http_request)
    if locked.status == RequestStatus.WAITING_MEMBER:
        return _transition(locked, "start_review", actor=member, http_request=http_request)
    return locked


# --- Staff: triage -------------------------------------------------------------


@transaction.atomic
def privacy_request_assign(*, privacy_request: PrivacyRequest, assignee, actor) -> PrivacyRequest:
    _require_staff(actor)
    if assignee is not None and not (assignee.is_active and assignee.has_perm(TRIAGE_PERMISSION)):
        raise PrivacyRequestError(_("Cette personne ne peut pas traiter les demandes."))
    locked = _lock(privacy_request)
    locked.assignee = assignee
    locked.save(update_fields=["assignee"])
    _audit(locked, "assign", actor=actor, assignee=str(assignee.pk) if assignee else None)
    return locked


@transaction.atomic
def privacy_request_start_review(*, privacy_request, actor, http_request=None) -> PrivacyRequest:
    _require_staff(actor)
    locked = _move(privacy_request, "start_review", actor=actor, http_request=http_request)
    if locked.assignee_id is None:
        locked.assignee = actor
        locked.save(update_fields=["assignee"])
    return locked


@transaction.atomic
def privacy_request_ask_member(
    *, privacy_request, actor, message: str, http_request=None
) -> PrivacyRequest:
    """Ask the member for something (clarification, a document); the question is kept."""
    _require_staff(actor)
    if not message.strip():
        raise PrivacyRequestError(_("Écrivez la question posée au membre."))
    locked = _move(privacy_request, "ask_member", actor=actor, http_request=http_request)
    PrivacyRequestMessage.objects.create(request=locked, author=actor, body=message.strip())
    return locked


@transaction.atomic
def privacy_request_correction_decide(
    *, privacy_request, actor, decisions: dict[str, tuple[str, str]]
) -> PrivacyRequest:
    """Accept or refuse named fields: {item id: (decision, reason)}."""
    _require_staff(actor)
    locked = _lock(privacy_request)
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
    _audit(
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
    _require_staff(actor)
    locked = _lock(privacy_request)
    if locked.kind == RequestKind.CORRECTION:
        items = list(locked.correction_items.all())
        if any(i.decision == CorrectionDecision.PENDING for i in items):
            raise PrivacyRequestError(_("Décidez d’abord chaque rectification demandée."))
        if not any(i.decision == CorrectionDecision.APPROVED for i in items):
            raise PrivacyRequestError(
                _("Aucune rectification acceptée : refusez la demande, avec ses motifs.")
            )
    locked = _transition(locked, "approve", actor=actor, http_request=http_request)
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
    _require_staff(actor)
    reasons = (reasons or "").strip()
    if not reasons:
        raise PrivacyRequestError(_("Un refus doit être motivé."), code="reasons_required")
    locked = _lock(privacy_request)
    _check(locked, "refuse")
    locked.decision_reasons = reasons
    locked.decided_at = timezone.now()
    locked.save(update_fields=["decision_reasons", "decided_at"])
    if locked.kind == RequestKind.CORRECTION:
        for item in locked.correction_items.exclude(decision=CorrectionDecision.REFUSED):
            corrections.correction_item_decide(
                item=item, decision=CorrectionDecision.REFUSED, reason=reasons, actor=actor
            )
    _discard_draft_export(locked)
    locked = _transition(locked, "refuse", actor=actor, http_request=http_request)
    _answer_holds(locked, actor=actor, refused=True)
    return locked


@transaction.atomic
def privacy_request_return_to_review(
    *, privacy_request, actor, http_request=None, note: str = ""
) -> PrivacyRequest:
    """Take an approved request back to review: its decisions become editable again."""
    _require_staff(actor)
    locked = _lock(privacy_request)
    _check(locked, "return_to_review")
    _discard_draft_export(locked)
    locked.decided_at = None
    locked.save(update_fields=["decided_at"])
    if note:
        PrivacyRequestNote.objects.create(request=locked, author=actor, body=note)
    return _transition(
        locked, "return_to_review", actor=actor, http_request=http_request, notify=False
    )


@transaction.atomic
def privacy_request_close_with_reasons(
    *, privacy_request, actor, reasons: str, http_request=None
) -> PrivacyRequest:
    """Close an open request without a decision on the merits (withdrawn, a duplicate).

    The reasons are the member's answer: they are kept and sent to them.
    """
    _require_staff(actor)
    reasons = (reasons or "").strip()
    if not reasons:
        raise PrivacyRequestError(
            _("Une demande fermée sans réponse doit l’être avec ses motifs."),
            code="reasons_required",
        )
    locked = _lock(privacy_request)
    _check(locked, "close_with_reasons")
    now = timezone.now()
    locked.decision_reasons = reasons
    locked.decided_at = now
    locked.closed_at = now
    locked.save(update_fields=["decision_reasons", "decided_at", "closed_at"])
    _discard_draft_export(locked)
    locked = _transition(locked, "close_with_reasons", actor=actor, http_request=http_request)
    _answer_holds(locked, actor=actor, refused=False)
    return locked


def _discard_draft_export(locked: PrivacyRequest) -> None:
    """An export prepared for an approval that no longer stands was never given: it goes."""
    if locked.kind == RequestKind.ACCESS:
        ExportArchive.objects.filter(request=locked, released_at__isnull=True).delete()


def _answer_holds(locked: PrivacyRequest, *, actor, refused: bool) -> None:
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
        reason=_recourse_reason(locked),
        source_id=locked.reference,
        ends=(locked.decided_at or timezone.now()) + app_settings.RECOURSE_PERIOD,
    )


def _recourse_reason(locked: PrivacyRequest) -> str:
    """Stored in the site's language; the plan shows each hold in its reader's."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "Délai de recours devant la Commission d’accès à l’information après le refus "
            "de la demande %(reference)s."
        ) % {"reference": locked.reference}


@transaction.atomic
def privacy_request_extend(
    *, privacy_request, actor, days: int, reason: str, http_request=None
) -> PrivacyRequest:
    """One extension of at most 30 days, with reasons, before the deadline passes."""
    _require_staff(actor)
    reason = (reason or "").strip()
    locked = _lock(privacy_request)
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
    _event(locked, from_status=locked.status, actor=actor, kind=EventKind.EXTENSION)
    _audit(locked, "extend", actor=actor, http_request=http_request, days=days)
    member_notify(privacy_request=locked, event=EXTENDED)
    return locked


@transaction.atomic
def privacy_request_export_rebuild(*, privacy_request, actor) -> ExportArchive:
    _require_staff(actor)
    locked = _lock(privacy_request)
    if locked.kind != RequestKind.ACCESS or locked.status != RequestStatus.APPROVED:
        raise PrivacyRequestError(_("L’exportation se prépare une fois la demande acceptée."))
    return exports.export_build(privacy_request=locked, actor=actor)


@transaction.atomic
def privacy_request_export_sever(
    *, privacy_request, actor, paths: list[str], reason: str
) -> ExportArchive:
    """Withhold values about someone else before the export is released."""
    _require_staff(actor)
    locked = _lock(privacy_request)
    if locked.kind != RequestKind.ACCESS or locked.status != RequestStatus.APPROVED:
        raise PrivacyRequestError(_("L’exportation se prépare une fois la demande acceptée."))
    try:
        return exports.export_sever(privacy_request=locked, actor=actor, paths=paths, reason=reason)
    except exports.SeveranceError as error:
        raise PrivacyRequestError(str(error)) from error


class CorrectionNotApplied(PrivacyRequestError):
    """The accepted corrections could not be written: the request is back in review."""


def privacy_request_fulfil(*, privacy_request, actor, http_request=None) -> PrivacyRequest:
    """Do what was accepted: release the export, apply the corrections, or delete.

    A correction that cannot be written (the value is another record's, the
    field changed since) never leaves the request stuck as approved: the
    request goes back to review, committed, with the failing item undecided
    again and named, and then this raises ``CorrectionNotApplied``.
    """
    outcome = _fulfil(privacy_request=privacy_request, actor=actor, http_request=http_request)
    if isinstance(outcome, CorrectionNotApplied):
        raise outcome
    return outcome


@transaction.atomic
def _fulfil(*, privacy_request, actor, http_request=None):
    _require_staff(actor)
    locked = _lock(privacy_request)
    _check(locked, "fulfil")
    recipient = None
    metadata: dict = {}
    if locked.kind == RequestKind.ACCESS:
        archive = ExportArchive.objects.filter(request=locked).first()
        if archive is None or archive.is_expired():
            raise PrivacyRequestError(_("Préparez de nouveau l’exportation : elle a expiré."))
        exports.export_release(archive=archive)
    elif locked.kind == RequestKind.CORRECTION:
        try:
            with transaction.atomic():
                applied = corrections.correction_apply(privacy_request=locked)
        except corrections.CorrectionError as error:
            return _correction_failed(locked, error, actor=actor, http_request=http_request)
        metadata["applied"] = [f"{i.model_label}.{i.field_name}" for i in applied][:20]
        for item in applied:
            integrations.audit(
                action="privacy_request.correction_apply",
                actor=actor,
                subject=locked.member,
                obj=item,
                metadata={
                    "reference": locked.reference,
                    "model": item.model_label,
                    "object_id": item.object_id,
                    "field": item.field_name,
                },
            )
    else:
        recipient = locked.member.email
        try:
            with transaction.atomic():
                plan = deletion.deletion_execute(user=locked.member, privacy_request=locked)
        except (ProtectedError, RestrictedError, IntegrityError) as error:
            raise PrivacyRequestError(
                _(
                    "La suppression n’a pas pu être faite telle que prévue (une fiche est "
                    "encore protégée par un lien) : rien n’a été supprimé."
                )
            ) from error
        locked.deletion_plan = {**(locked.deletion_plan or {}), "executed": plan.snapshot()}
        locked.save(update_fields=["deletion_plan"])
        for action in ("erase", "anonymise", "keep"):
            metadata[action] = [
                f"{g.label}:{g.count}" for g in plan.groups if g.action == action and g.count
            ][:20]
        locked.member.refresh_from_db()
    locked.fulfilled_at = timezone.now()
    # The answer is given now: a partial refusal's recourse runs from here.
    locked.decided_at = locked.fulfilled_at
    locked.save(update_fields=["fulfilled_at", "decided_at"])
    partly_refused = (
        locked.kind == RequestKind.CORRECTION
        and locked.correction_items.filter(decision=CorrectionDecision.REFUSED).exists()
    )
    if partly_refused:
        metadata["partly_refused"] = True
    locked = _transition(
        locked, "fulfil", actor=actor, http_request=http_request, notify=False, **metadata
    )
    _answer_holds(locked, actor=actor, refused=partly_refused)
    member_notify(privacy_request=locked, event=RequestStatus.FULFILLED, recipient=recipient)
    return locked


def _correction_failed(
    locked: PrivacyRequest, error: corrections.CorrectionError, *, actor, http_request
) -> CorrectionNotApplied:
    """Back to review, the failing item undecided again, its reason in an internal note."""
    item = getattr(error, "item", None)
    reason = " ".join(error.messages)
    if item is not None:
        label = corrections.correction_field_label(item.model_label, item.field_name)
        message = _("« %(item)s » n’a pas pu être appliquée : %(reason)s") % {
            "item": label,
            "reason": reason,
        }
        corrections.correction_item_undecide(item=item)
    else:
        message = reason
    message = " ".join(
        [
            message,
            _(
                "Rien n’a été appliqué; la demande est revenue en traitement : décidez de "
                "nouveau cette rectification, puis acceptez ou refusez la demande."
            ),
        ]
    )
    privacy_request_return_to_review(
        privacy_request=locked, actor=actor, http_request=http_request, note=message
    )
    integrations.audit(
        action="privacy_request.correction_failed",
        actor=actor,
        subject=locked.member,
        obj=item or locked,
        metadata={"reference": locked.reference, "code": getattr(error, "code", "") or ""},
    )
    return CorrectionNotApplied(message, code="not_applied")


@transaction.atomic
def privacy_request_close(*, privacy_request, actor, http_request=None) -> PrivacyRequest:
    """Close an answered request; holds ended with the answer (recourse keeps its own end)."""
    _require_staff(actor)
    locked = _lock(privacy_request)
    _check(locked, "close")
    refused = locked.status == RequestStatus.REFUSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at"])
    locked = _transition(locked, "close", actor=actor, http_request=http_request)
    # Requests answered before holds ended with the answer still hold: end it now,
    # and give a refusal answered then the recourse hold it would have had.
    integrations.hold_release(source_id=locked.reference, released_by=actor)
    ends = (locked.decided_at or locked.closed_at) + app_settings.RECOURSE_PERIOD
    if refused and ends > timezone.now():
        integrations.hold_place_until(
            subject=locked.member,
            kind="recourse",
            reason=_recourse_reason(locked),
            source_id=locked.reference,
            ends=ends,
        )
    return locked


@transaction.atomic
def privacy_request_message_send(*, privacy_request, actor, body: str) -> PrivacyRequestMessage:
    """A message to the member: kept for good, and announced by email."""
    _require_staff(actor)
    body = (body or "").strip()
    if not body:
        raise PrivacyRequestError(_("Écrivez le message."))
    locked = _lock(privacy_request)
    if locked.status == RequestStatus.CLOSED:
        # The rule the admin's buttons showed, kept where every caller meets it.
        raise PrivacyRequestError(
            _("Cette demande est fermée : rouvrez-la avant d’écrire au membre.")
        )
    message = PrivacyRequestMessage.objects.create(request=locked, author=actor, body=body)
    _audit(locked, "message", actor=actor)
    member_notify(privacy_request=locked, event=MESSAGE)
    return message


@transaction.atomic
def privacy_request_note_add(*, privacy_request, actor, body: str) -> PrivacyRequestNote:
    """An internal note: staff only, never shown to the member."""
    _require_staff(actor)
    body = (body or "").strip()
    if not body:
        raise PrivacyRequestError(_("Écrivez la note."))
    note = PrivacyRequestNote.objects.create(request=privacy_request, author=actor, body=body)
    _audit(privacy_request, "note", actor=actor)
    return note


# --- Reopening (staff workspace) ---------------------------------------------------


@transaction.atomic
def privacy_request_reopen(
    *, privacy_request, actor, reasons: str, http_request=None
) -> PrivacyRequest:
    """Take a refused or closed request back into review, with reasons.

    An executed request cannot be undone: the member files a new one. The earlier
    decision stays in the internal notes; the intake hold is placed again and the
    recourse hold ends, since the answer no longer stands. The due date is kept.
    """
    _require_staff(actor)
    reasons = (reasons or "").strip()
    if not reasons:
        raise PrivacyRequestError(
            _("Une demande rouverte doit l’être avec ses motifs."), code="reasons_required"
        )
    locked = _lock(privacy_request)
    _check(locked, "reopen")
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
            locked = _transition(locked, "reopen", actor=actor, http_request=http_request)
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
