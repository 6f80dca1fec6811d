"""Notices to the member, in their language, queued once the transaction commits.

The worker sends them (privacy.sealed_mail): a relay that is down delays a notice,
it never fails the staff action that caused it.

Mail may land in spam: every notice also shows in the portal (the timeline).
A notice names the request and its new status; messages themselves are read
in the portal, after signing in.
"""

from __future__ import annotations

from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from privacy.mail import mail_site, member_mail
from privacy.requests.corrections import correction_field_label
from privacy.requests.models import PrivacyRequest
from privacy.sealed_mail import mail_queue

# What happened, for the notice's wording: a status, or one of these.
EXTENDED = "extended"
MESSAGE = "message"


def member_notify(
    *, privacy_request: PrivacyRequest, event: str, recipient: str | None = None
) -> None:
    """Email the member about ``event`` after commit; closed accounts get none.

    ``recipient`` is given when the address is about to be erased (deletion).
    """
    account = privacy_request.member
    address = recipient or (account.email if account.is_active else "")
    if not address:
        return
    language = account.preferred_language or settings.LANGUAGE_CODE
    # From and about the site the member uses (its brand, its host), in their language.
    site = mail_site(host=getattr(account, "portal_host", ""), language=language)
    with translation.override(language):
        path = reverse("privacy_request_detail", kwargs={"request_id": privacy_request.pk})
        context = {
            "privacy_request": privacy_request,
            "event": event,
            "status_label": privacy_request.get_status_display(),
            "kind_label": privacy_request.get_kind_display(),
            "url": site.url(path),
            "closed_account": recipient is not None,
            "refused_items": [
                (correction_field_label(i.model_label, i.field_name), i.decision_reason)
                for i in privacy_request.refused_items
            ],
        }
    message = member_mail(
        template_prefix="privacy/requests/email/notice",
        to=[address],
        context=context,
        language=language,
        site=site,
    )
    transaction.on_commit(partial(mail_queue, message=message))
