"""What is said about a request: the member's replies, staff messages, internal notes.

Messages are kept for good and announced by email; notes are staff only. A closed
request takes no message (reopen it first): the rule is here, not in the buttons.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from privacy.requests import lifecycle
from privacy.requests.emails import MESSAGE, member_notify
from privacy.requests.lifecycle import PrivacyRequestError
from privacy.requests.models import (
    PrivacyRequest,
    PrivacyRequestMessage,
    PrivacyRequestNote,
    RequestStatus,
)


@transaction.atomic
def privacy_request_member_reply(
    *, privacy_request: PrivacyRequest, account: AbstractBaseUser, body: str, http_request=None
) -> PrivacyRequest:
    """The member answers; a request waiting for them goes back to review."""
    body = body.strip()
    if not body:
        raise PrivacyRequestError(_("Écrivez votre message."))
    locked = lifecycle.lock(privacy_request)
    if locked.member_id != account.pk or locked.status == RequestStatus.CLOSED:
        raise PrivacyRequestError(_("Cette demande n’accepte plus de message."))
    PrivacyRequestMessage.objects.create(
        request=locked, author=account, from_member=True, body=body
    )
    lifecycle.record_audit(locked, "member_reply", actor=account, http_request=http_request)
    if locked.status == RequestStatus.WAITING_MEMBER:
        return lifecycle.transition(
            locked, "start_review", actor=account, http_request=http_request
        )
    return locked


@transaction.atomic
def privacy_request_message_send(*, privacy_request, actor, body: str) -> PrivacyRequestMessage:
    """A message to the member: kept for good, and announced by email."""
    lifecycle.require_staff(actor)
    body = (body or "").strip()
    if not body:
        raise PrivacyRequestError(_("Écrivez le message."))
    locked = lifecycle.lock(privacy_request)
    if locked.status == RequestStatus.CLOSED:
        # The rule the admin's buttons showed, kept where every caller meets it.
        raise PrivacyRequestError(
            _("Cette demande est fermée : rouvrez-la avant d’écrire au membre.")
        )
    message = PrivacyRequestMessage.objects.create(request=locked, author=actor, body=body)
    lifecycle.record_audit(locked, "message", actor=actor)
    member_notify(privacy_request=locked, event=MESSAGE)
    return message


@transaction.atomic
def privacy_request_note_add(*, privacy_request, actor, body: str) -> PrivacyRequestNote:
    """An internal note: staff only, never shown to the member."""
    lifecycle.require_staff(actor)
    body = (body or "").strip()
    if not body:
        raise PrivacyRequestError(_("Écrivez la note."))
    note = PrivacyRequestNote.objects.create(request=privacy_request, author=actor, body=body)
    lifecycle.record_audit(privacy_request, "note", actor=actor)
    return note
