"""Notices to the member, in their language, sent once the transaction commits.

Mail may land in spam: every notice also shows in the portal (the timeline).
A notice names the request and its new status; messages themselves are read
in the portal, after signing in.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from privacy.requests.corrections import correction_field_label
from privacy.requests.models import PrivacyRequest

# What happened, for the notice's wording: a status, or one of these.
EXTENDED = "extended"
MESSAGE = "message"


def portal_url(path_name: str, *, language: str, **kwargs) -> str:
    """An absolute link on the host whose brand speaks the member's language."""
    host = next(
        (h for h, site in settings.PORTAL_SITES.items() if site["language"] == language),
        next(iter(settings.PORTAL_SITES), "localhost"),
    )
    with translation.override(language):
        path = reverse(path_name, kwargs=kwargs)
    return f"https://{host}{path}"


def member_notify(
    *, privacy_request: PrivacyRequest, event: str, recipient: str | None = None
) -> None:
    """Email the member about ``event`` after commit; closed accounts get none.

    ``recipient`` is given when the address is about to be erased (deletion).
    """
    member = privacy_request.member
    address = recipient or (member.email if member.is_active else "")
    if not address:
        return
    language = member.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "privacy_request": privacy_request,
            "event": event,
            "status_label": privacy_request.get_status_display(),
            "kind_label": privacy_request.get_kind_display(),
            "url": portal_url(
                "privacy_request_detail", language=language, request_id=privacy_request.pk
            ),
            "closed_account": recipient is not None,
            "refused_items": [
                (correction_field_label(i.model_label, i.field_name), i.decision_reason)
                for i in privacy_request.refused_items
            ],
        }
        subject = " ".join(
            render_to_string("privacy/requests/email/notice_subject.txt", context).split()
        )
        body = render_to_string("privacy/requests/email/notice_body.txt", context)
    transaction.on_commit(partial(send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [address]))
