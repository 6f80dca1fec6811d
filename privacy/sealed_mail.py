"""Mail leaves through Celery, sealed: no page waits for the relay, no broker reads a message.

Every mail of the portal (allauth's, privacy notices, coverage confirmations) is
rendered where it is asked for, in the reader's language, then sealed with the
field-encryption key (AES-256-GCM, bound to this purpose) and queued. The worker
opens it and hands it to the relay; a relay that is down is retried with growing
delays, and a message that still fails is dropped with a log line that names no
one. A page therefore answers the same whether the relay is up or not.

Why the rendered message and not ids to render from in the worker: allauth's
mails carry one-time links (password reset, address confirmation) built from
the request, a deletion notice goes to an address that is erased by the time the
worker runs, and ids would still need a reader's address in the task. Sealed,
the broker (Redis) holds ciphertext only: no address, no link, no name.
"""

from __future__ import annotations

import json
import logging
from typing import cast

from celery import shared_task
from django.core.mail import EmailMessage, EmailMultiAlternatives

from privacy.crypto import DecryptionError, seal, unseal

logger = logging.getLogger(__name__)

_AAD = b"privacy.sealed_mail"
# Nine attempts over about three hours: 1, 2, 4, ... minutes, at most an hour apart.
MAIL_MAX_RETRIES = 8
MAIL_FIRST_RETRY_SECONDS = 60
MAIL_LONGEST_RETRY_SECONDS = 3600


def mail_retry_countdown(retries: int) -> int:
    """Seconds before the next attempt, after ``retries`` failed retries (doubling, capped)."""
    return min(MAIL_FIRST_RETRY_SECONDS * 2**retries, MAIL_LONGEST_RETRY_SECONDS)


def _pack(message: EmailMessage) -> bytes:
    if message.attachments:
        raise ValueError("Mail with attachments is not queued: link to the portal instead.")
    return json.dumps(
        {
            "subject": message.subject,
            "body": message.body,
            "from_email": message.from_email,
            "to": list(message.to),
            "cc": list(message.cc),
            "bcc": list(message.bcc),
            "reply_to": list(message.reply_to),
            "headers": dict(message.extra_headers),
            "alternatives": [list(item) for item in getattr(message, "alternatives", [])],
            "content_subtype": message.content_subtype,
        }
    ).encode()


def _unpack(data: bytes) -> EmailMultiAlternatives:
    fields = json.loads(data)
    message = EmailMultiAlternatives(
        subject=fields["subject"],
        body=fields["body"],
        from_email=fields["from_email"],
        to=fields["to"],
        cc=fields["cc"],
        bcc=fields["bcc"],
        reply_to=fields["reply_to"],
        headers=fields["headers"],
    )
    for content, mimetype in fields["alternatives"]:
        message.attach_alternative(content, mimetype)
    message.content_subtype = fields["content_subtype"]
    return message


def mail_queue(*, message: EmailMessage) -> None:
    """Seal ``message`` and hand it to the worker."""
    _hand_over(seal(_pack(message), aad=_AAD))


def _hand_over(sealed: str) -> None:
    """Through the broker to the worker. Where tasks are eager (the embedded default), here:
    every attempt at once, and a failure stays here, never reaching the page."""
    if not mail_deliver.app.conf.task_always_eager:
        mail_deliver.apply_async(args=[sealed])
        return
    attempts = MAIL_MAX_RETRIES + 1
    for _ in range(attempts):
        error = _deliver(sealed)
        if error is None:
            return
    _log_dropped(attempts, cast(OSError, error))  # every attempt failed


def _deliver(sealed: str) -> OSError | None:
    """One attempt: None when sent (or unreadable, hence dropped), the relay's error otherwise."""
    try:
        message = _unpack(unseal(sealed, aad=_AAD))
    except (DecryptionError, ValueError, KeyError):
        logger.error("A queued mail could not be opened (a retired key?): dropped.")
        return None
    try:
        message.send()
    except OSError as error:  # smtplib's errors, refused or reset connections, TLS
        return error
    return None


def _log_dropped(attempts: int, error: OSError) -> None:
    logger.error(
        "Mail not delivered after %d attempts (%s): dropped.", attempts, type(error).__name__
    )


@shared_task(
    bind=True, name="privacy.mail_deliver", acks_late=True, ignore_result=True,
    max_retries=MAIL_MAX_RETRIES,
)  # fmt: skip
def mail_deliver(self, sealed: str) -> None:
    """Open a queued message and send it; while the relay fails, try again later."""
    error = _deliver(sealed)
    if error is None:
        return
    attempt = self.request.retries + 1
    if self.request.retries >= self.max_retries:
        _log_dropped(attempt, error)
        return
    countdown = mail_retry_countdown(self.request.retries)
    logger.warning(
        "Mail relay failed (%s) on attempt %d: next attempt in %d s.",
        type(error).__name__,
        attempt,
        countdown,
    )
    raise self.retry(countdown=countdown, exc=error)
