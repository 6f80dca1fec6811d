"""Mail goes through Celery, sealed, and a relay that is down never fails a page.

The relay is a real email backend that fails like an unreachable SMTP relay.
Tasks run eagerly here (the embedded default), so every retry runs in place.
"""

import base64
import itertools
from smtplib import SMTPServerDisconnected

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from privacy import sealed_mail
from privacy.requests.models import RequestKind
from privacy.requests.services import privacy_request_submit
from privacy.sealed_mail import MAIL_MAX_RETRIES, mail_retry_countdown

pytestmark = pytest.mark.django_db


class RelayDownBackend(BaseEmailBackend):
    """An SMTP relay that drops every connection."""

    attempts = 0

    def send_messages(self, email_messages):
        type(self).attempts += 1
        raise SMTPServerDisconnected("Connection unexpectedly closed")


relay_down = override_settings(EMAIL_BACKEND=f"{__name__}.RelayDownBackend")


@pytest.fixture(autouse=True)
def _count_from_zero():
    RelayDownBackend.attempts = 0


@pytest.fixture
def queued(monkeypatch):
    """What each mail task is given: what the broker (Redis) would hold."""
    arguments = []
    hand_over = sealed_mail._hand_over

    def spy(sealed):
        arguments.append(sealed)
        return hand_over(sealed)

    monkeypatch.setattr(sealed_mail, "_hand_over", spy)
    return arguments


def reset_url() -> str:
    with translation.override("fr"):
        return reverse("account_reset_password")


def test_password_reset_answers_the_same_with_the_relay_down(client, member):
    answered = client.post(reset_url(), {"email": member.email})
    assert answered.status_code == 302
    assert len(mail.outbox) == 1
    with relay_down:
        down = client.post(reset_url(), {"email": member.email})
    assert down.status_code == answered.status_code
    assert down["Location"] == answered["Location"]
    assert len(mail.outbox) == 1  # nothing more was sent...
    # ...but the task tried, then retried until it gave up.
    assert RelayDownBackend.attempts == MAIL_MAX_RETRIES + 1


def test_sign_up_answers_with_the_relay_down(client):
    with translation.override("fr"):
        url = reverse("account_signup")
    with relay_down:
        response = client.post(
            url,
            {
                "email": "relais@example.org",
                "password1": "Xq7!long-pass",
                "password2": "Xq7!long-pass",
            },
        )
    assert response.status_code == 302
    assert RelayDownBackend.attempts == MAIL_MAX_RETRIES + 1


def test_the_broker_holds_neither_the_address_nor_the_link(client, member, queued):
    client.post(reset_url(), {"email": member.email})
    assert len(queued) == 1
    sealed = queued[0]
    assert sealed.startswith("v1:")
    link = mail.outbox[0].body.split("http", 1)[1].split()[0]
    for clear in (member.email, member.email.split("@")[0], link, mail.outbox[0].subject):
        assert clear not in sealed


def test_a_privacy_notice_is_queued_sealed_after_commit(
    member, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        privacy_request_submit(account=member, kind=RequestKind.ACCESS)
        assert queued == []  # nothing leaves before the commit
    assert len(queued) == 1
    assert member.email not in queued[0]
    assert mail.outbox[-1].to == [member.email]


def test_a_staff_action_succeeds_with_the_relay_down(member, django_capture_on_commit_callbacks):
    with relay_down, django_capture_on_commit_callbacks(execute=True):
        privacy_request = privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    assert privacy_request.pk is not None
    assert RelayDownBackend.attempts == MAIL_MAX_RETRIES + 1


def test_retries_wait_longer_each_time_up_to_an_hour():
    waits = [mail_retry_countdown(n) for n in range(MAIL_MAX_RETRIES)]
    assert waits[0] == 60
    assert all(later >= earlier for earlier, later in itertools.pairwise(waits))
    assert max(waits) == 3600
    assert sum(waits) >= 2 * 3600  # a relay down for two hours still gets the mail out


def test_the_worker_retries_later_with_growing_waits_then_gives_up(monkeypatch, caplog):
    """The worker's path: each failure re-queues the message with a longer countdown."""
    waits = []

    def retry(*, countdown, exc):
        waits.append(countdown)
        return Retry(exc=exc, when=countdown)

    monkeypatch.setattr(sealed_mail.mail_deliver, "retry", retry)
    sealed = sealed_mail.seal(
        sealed_mail._pack(EmailMessage("s", "b", None, ["a@example.org"])),
        aad=b"privacy.sealed_mail",
    )
    with relay_down:
        for retries in range(MAIL_MAX_RETRIES + 1):
            sealed_mail.mail_deliver.push_request(retries=retries)
            try:
                sealed_mail.mail_deliver.run(sealed)
            except Retry:
                pass
            finally:
                sealed_mail.mail_deliver.pop_request()
    assert waits == [mail_retry_countdown(n) for n in range(MAIL_MAX_RETRIES)]
    assert RelayDownBackend.attempts == MAIL_MAX_RETRIES + 1
    assert "Mail not delivered after 9 attempts (SMTPServerDisconnected)" in caplog.text
    assert "a@example.org" not in caplog.text


def test_a_message_sealed_under_a_retired_key_is_dropped_not_raised(settings):
    token = sealed_mail.seal(b"{}", aad=b"privacy.sealed_mail")
    settings.PRIVACY_ENCRYPTION_KEYS = "other:" + base64.b64encode(b"k" * 32).decode()
    assert sealed_mail._deliver(token) is None
    assert mail.outbox == []
