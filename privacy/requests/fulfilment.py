"""Carry out an accepted request, per kind, then close it.

Access: the export prepared at approval (severed where it names someone else) is
released. Correction: the accepted items are written; one that cannot be, sends the
request back to review with the item named (``CorrectionNotApplied``). Deletion: the
plan shown at intake is executed. The answer ends the intake hold; a partial refusal
holds for the recourse period.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.requests import corrections, deletion, exports, integrations, lifecycle
from privacy.requests.app_settings import app_settings
from privacy.requests.emails import member_notify
from privacy.requests.lifecycle import PrivacyRequestError
from privacy.requests.models import (
    CorrectionDecision,
    ExportArchive,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
)
from privacy.requests.triage import privacy_request_return_to_review


@transaction.atomic
def privacy_request_export_rebuild(*, privacy_request, actor) -> ExportArchive:
    lifecycle.require_staff(actor)
    locked = lifecycle.lock(privacy_request)
    if locked.kind != RequestKind.ACCESS or locked.status != RequestStatus.APPROVED:
        raise PrivacyRequestError(_("L’exportation se prépare une fois la demande acceptée."))
    return exports.export_build(privacy_request=locked, actor=actor)


@transaction.atomic
def privacy_request_export_sever(
    *, privacy_request, actor, paths: list[str], reason: str
) -> ExportArchive:
    """Withhold values about someone else before the export is released."""
    lifecycle.require_staff(actor)
    locked = lifecycle.lock(privacy_request)
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
    lifecycle.require_staff(actor)
    locked = lifecycle.lock(privacy_request)
    lifecycle.check(locked, "fulfil")
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
    locked = lifecycle.transition(
        locked, "fulfil", actor=actor, http_request=http_request, notify=False, **metadata
    )
    lifecycle.answer_holds(locked, actor=actor, refused=partly_refused)
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
    lifecycle.require_staff(actor)
    locked = lifecycle.lock(privacy_request)
    lifecycle.check(locked, "close")
    refused = locked.status == RequestStatus.REFUSED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at"])
    locked = lifecycle.transition(locked, "close", actor=actor, http_request=http_request)
    # Requests answered before holds ended with the answer still hold: end it now,
    # and give a refusal answered then the recourse hold it would have had.
    integrations.hold_release(source_id=locked.reference, released_by=actor)
    ends = (locked.decided_at or locked.closed_at) + app_settings.RECOURSE_PERIOD
    if refused and ends > timezone.now():
        integrations.hold_place_until(
            subject=locked.member,
            kind="recourse",
            reason=lifecycle.recourse_reason(locked),
            source_id=locked.reference,
            ends=ends,
        )
    return locked
