"""Every mail a member can receive: ours, in their language, from and about the site they used.

Rendered for both brands and both languages: no account id, no stock allauth sentence,
the brand's sender, links to the brand's host, the service centre's phone and hours.
"""

import re
from datetime import date

import pytest
from allauth.core.context import request_context
from django.conf import settings
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from members.adapter import AccountAdapter
from tests.factories import DependantFactory, MemberFactory, UserFactory
from tests.readable import assert_readable

pytestmark = pytest.mark.django_db

BRANDS = [("mobile.aseq.ca", "ASEQ"), ("mobile.studentcare.ca", "Studentcare")]
HOURS = {"fr": "du lundi au vendredi, de 9 h à 17 h", "en": "Monday to Friday, 9 a.m. to 5 p.m."}
STOCK = (
    "Hello from",
    "Thank you for using",
    "Bonjour, c’est",
    "You're receiving this",
    "example.com",
)

LINK = "https://{host}/{language}/compte/confirm-email/abc/"
ACCOUNT_MAILS = {
    "account/email/email_confirmation_signup": {"activate_url": LINK, "key": "abc"},
    "account/email/email_confirmation": {"activate_url": LINK, "key": "abc"},
    "account/email/password_reset_key": {"password_reset_url": LINK},
    "account/email/unknown_account": {"signup_url": LINK},
    "account/email/account_already_exists": {"password_reset_url": LINK},
    "account/email/login_code": {"code": "4Q7-2ZK"},
    "account/email/password_reset_code": {"code": "4Q7-2ZK"},
}
NOTIFICATIONS = {
    "account/email/email_changed": {"from_email": "ancienne@example.org", "to_email": "n@ex.org"},
    "account/email/email_confirm": {},
    "account/email/email_deleted": {"deleted_email": "ancienne@example.org"},
    "account/email/password_changed": {},
    "account/email/password_set": {},
    "mfa/email/totp_activated": {},
    "mfa/email/totp_deactivated": {},
    "mfa/email/recovery_codes_generated": {},
    "mfa/email/webauthn_added": {},
    "mfa/email/webauthn_removed": {},
}
UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"


def check(message, *, host: str, brand: str, language: str) -> None:
    html = message.alternatives[0][0]
    for part in (message.subject, message.body):
        assert_readable(part, language=language, where=message.subject)
        for stock in STOCK:
            assert stock not in part, stock
    assert message.from_email == f"{brand} <no-reply@{host}>"
    assert brand in message.body and brand in html
    other = next(h for h, _b in BRANDS if h != host)
    assert other not in message.body + html
    links = re.findall(r'href="([^"]+)"', html)
    assert links and all(link.startswith(f"https://{host}/") for link in links), links
    assert settings.SERVICE_CENTRE_PHONE in message.body and HOURS[language] in message.body
    assert f'<html lang="{language}">' in html
    assert "<" not in message.body, "the text part is text"


@pytest.fixture
def person():
    user = UserFactory(email="camille@example.org")
    MemberFactory(user=user, first_name="Camille")
    return user


@pytest.mark.parametrize(("host", "brand"), BRANDS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_account_and_two_step_mail_is_ours(person, host, brand, language):
    person.preferred_language = language
    request = RequestFactory().get("/", HTTP_HOST=host, secure=True, HTTP_USER_AGENT=UA)
    request.user = person
    with request_context(request):
        adapter = AccountAdapter()
    for prefix, extra in {**ACCOUNT_MAILS, **NOTIFICATIONS}.items():
        context = {
            "user": person,
            **{k: v.format(host=host, language=language) for k, v in extra.items()},
        }
        if prefix in NOTIFICATIONS:
            context |= {"timestamp": timezone.now(), "ip": "203.0.113.0", "user_agent": UA}
        mail.outbox.clear()
        adapter.send_mail(prefix, person.email, context)
        (message,) = mail.outbox
        check(message, host=host, brand=brand, language=language)
        assert "Camille" in message.body, prefix
        if prefix in NOTIFICATIONS:
            assert "iPhone" in message.body and "Mozilla" not in message.body
            assert "203.0.113.0" in message.body


@pytest.mark.parametrize(("host", "brand"), BRANDS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_privacy_request_notices_come_from_the_site_the_member_uses(
    person, privacy_officer, host, brand, language, django_capture_on_commit_callbacks
):
    from privacy.requests import services
    from privacy.requests.models import RequestKind

    person.preferred_language = language
    person.portal_host = host
    person.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = services.privacy_request_submit(account=person, kind=RequestKind.ACCESS)
        request = services.privacy_request_start_review(
            privacy_request=request, actor=privacy_officer
        )
        services.privacy_request_refuse(
            privacy_request=request, actor=privacy_officer, reasons="Identité non confirmée."
        )
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        check(message, host=host, brand=brand, language=language)


@pytest.mark.parametrize(("host", "brand"), BRANDS)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_enrolment_confirmation_comes_from_the_site_the_member_uses(
    member, coverage_member, host, brand, language, django_capture_on_commit_callbacks
):
    from coverage.services import enrolment_change

    member.preferred_language = language
    member.portal_host = host
    member.save()
    coverage_member.preferred_language = language
    coverage_member.save()
    child = DependantFactory(member=coverage_member, relationship="child", suffix=2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_change(member=coverage_member, person_id=child.id, part="health", covered=True)
    for message in mail.outbox:
        check(message, host=host, brand=brand, language=language)
    assert mail.outbox


def test_sign_up_on_studentcare_sends_studentcares_mail_with_its_links(client):
    client.post(
        "/en/account/signup/",
        {
            "email": "newcomer@example.org",
            "password1": "a-Long-pass-2024",
            "password2": "a-Long-pass-2024",
        },
        HTTP_HOST="mobile.studentcare.ca",
    )
    (message,) = mail.outbox
    assert message.from_email == "Studentcare <no-reply@mobile.studentcare.ca>"
    assert "http://mobile.studentcare.ca/en/account/confirm-email/" in message.body or (
        "mobile.studentcare.ca/en/account/confirm-email/" in message.body
    )
    assert "Hello from" not in message.body and "ASEQ" not in message.body
    from members.models import User

    assert User.objects.get(email="newcomer@example.org").portal_host == "mobile.studentcare.ca"


def test_a_mail_without_a_request_uses_the_members_last_site(person):
    person.portal_host = "mobile.studentcare.ca"
    person.preferred_language = "fr"
    AccountAdapter(None).send_mail("account/email/password_changed", person.email, {"user": person})
    (message,) = mail.outbox
    assert message.from_email == "Studentcare <no-reply@mobile.studentcare.ca>"
    assert "Bonjour Camille" in message.body
    assert date.today().year  # the date line is optional without a timestamp
