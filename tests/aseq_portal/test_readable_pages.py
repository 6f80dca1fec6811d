"""Every page a member can reach, every mail they can receive, their attestation and their
readable export, for the demo member, in both languages: words, never internals.

The pages come from the URLconf: a URL name that is neither listed in PAGES (how to
reach it) nor in NOT_PAGES (why it is no page a member reads) fails the test, so a new
page is read as soon as it exists. Each page, mail and document fails on an account or
row id outside a URL, a Python literal, cents, an ISO timestamp, a raw choice code, or
a sentence of the other language (compared against the compiled catalogues).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import translation

from coverage.models import Claim
from members.models import Member, User
from privacy.requests.correction_topics import correction_topics
from privacy.requests.models import PrivacyRequest, RequestKind
from tests.coverage.test_attestation_text import pdf_lines
from tests.factories import UserFactory, totp_authenticator_add
from tests.hostile.crawl import url_names
from tests.privacy.test_requests_views import sign_in
from tests.readable import amounts_in_cents, problems, raw_codes, text_of, wrong_language

pytestmark = pytest.mark.django_db

LANGUAGES = ["fr", "en"]
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# URL names that are no page a member reads, and why. Everything else is in PAGES.
NOT_PAGES = {
    # Machines: the load balancer's probes and the bare host's redirect to a language.
    "root": "redirects to /fr/ or /en/",
    "healthz": "probe",
    "readyz": "probe",
    # Files, read below or by another program.
    "coverage_attestation": "the PDF, read by test_the_attestation_reads_as_words",
    "privacy_request_export_download": "the archive, read by test_the_export_reads_as_words",
    "coverage_deadline_ics": "a calendar file for the member's calendar application",
    "mfa_download_recovery_codes": "the recovery codes as a text file",
    # Form targets only (POST): the page that carries the form is read.
    "account_logout": "POST from the header's sign-out button",
    "consent_update": "POST from the banner and the privacy centre",
    "policy_acknowledge": "POST from the policy notice",
    "members_location_forget": "POST from the providers page",
    "privacy_request_correction_remove": "POST from the correction review",
    "privacy_request_reply": "POST from the request page",
    "mfa_login_webauthn": "POST from the sign-in page's passkey button",
    "mfa_reauthenticate_webauthn": "POST from the re-authentication page's passkey button",
    # Sign-in by code and re-authentication by code are not turned on (settings).
    "account_confirm_login_code": "ACCOUNT_LOGIN_BY_CODE_ENABLED is off",
    "account_request_reauthentication_code": "ACCOUNT_REAUTHENTICATION_BY_CODE is off",
    "account_confirm_reauthentication_code": "ACCOUNT_REAUTHENTICATION_BY_CODE is off",
}


@pytest.fixture(autouse=True)
def _language_restored():
    """The test client's requests leave their page's language active in this thread:
    give the next test the default one back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class Demo:
    camille: Member
    claim: Claim
    people: list
    request_ids: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)


@pytest.fixture
def demo(privacy_officer):
    call_command("seed_demo", stdout=io.StringIO())
    camille = Member.objects.select_related("user").get(user__email="etudiante@demo.aseq.ca")
    user = camille.user
    from privacy.requests import services

    # A request of each kind, at different stages: what their pages show.
    access = services.privacy_request_submit(account=user, kind=RequestKind.ACCESS)
    access = services.privacy_request_start_review(privacy_request=access, actor=privacy_officer)
    access = services.privacy_request_approve(privacy_request=access, actor=privacy_officer)
    services.privacy_request_fulfil(privacy_request=access, actor=privacy_officer)
    deletion = services.privacy_request_submit(account=user, kind=RequestKind.DELETION)
    services.privacy_request_refuse(
        privacy_request=services.privacy_request_start_review(
            privacy_request=deletion, actor=privacy_officer
        ),
        actor=privacy_officer,
        reasons="Des demandes de remboursement sont en cours.",
    )
    claim = Claim.objects.filter(member=camille).select_related("benefit").first()
    CENTS.clear()
    for row in Claim.objects.filter(member=camille):
        CENTS.update(v for v in (row.amount_claimed_cents, row.amount_paid_cents) if v)
    from coverage.models import Benefit

    for benefit in Benefit.objects.filter(plan__association=camille.association):
        CENTS.update(
            v
            for v in (
                benefit.per_visit_max_cents,
                benefit.yearly_max_cents,
                benefit.frequency_max_cents,
            )
            if v
        )
    people = [camille.pk, *camille.dependants.values_list("pk", flat=True)]
    return Demo(
        camille=camille,
        claim=claim,
        people=people,
        request_ids=list(PrivacyRequest.objects.filter(member=user).values_list("pk", flat=True)),
    )


def _webauthn(user) -> Authenticator:
    """A passkey as allauth stores one: a registration response it can parse."""
    import hashlib

    from cryptography.hazmat.primitives.asymmetric import ec
    from fido2.cose import ES256
    from fido2.utils import websafe_encode
    from fido2.webauthn import (
        Aaguid,
        AttestationObject,
        AttestedCredentialData,
        AuthenticatorData,
        CollectedClientData,
    )

    public_key = ES256.from_cryptography_key(ec.generate_private_key(ec.SECP256R1()).public_key())
    data = AuthenticatorData.create(
        hashlib.sha256(b"testserver").digest(),
        AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT,
        0,
        AttestedCredentialData.create(Aaguid.NONE, b"credid01", public_key),
    )
    client_data = CollectedClientData.create(
        type="webauthn.create", challenge=b"x" * 16, origin="https://testserver"
    )
    credential = {
        "id": websafe_encode(b"credid01"),
        "rawId": websafe_encode(b"credid01"),
        "type": "public-key",
        "response": {
            "clientDataJSON": websafe_encode(client_data),
            "attestationObject": websafe_encode(bytes(AttestationObject.create("none", data, {}))),
        },
        "clientExtensionResults": {"credProps": {"rk": True}},
    }
    return Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Téléphone", "credential": credential},
    )


def _two_step_user():
    user = UserFactory(email="deux-etapes@example.org")
    totp_authenticator_add(user)
    RecoveryCodes.activate(user)
    _webauthn(user)
    return user


def _proof_token(person_id) -> str:
    from coverage.proof import proof_token_issue

    return proof_token_issue(person_id=person_id)


def _unlock_token(user) -> str:
    from members.signin import signin_unlock_token

    return signin_unlock_token(user=user)


def _confirm_key() -> str:
    newcomer = User.objects.filter(email="nouvelle@example.org").first()
    newcomer = newcomer or UserFactory(email="nouvelle@example.org")
    address, _ = EmailAddress.objects.update_or_create(
        user=newcomer, email=newcomer.email, defaults={"verified": False}
    )
    return EmailConfirmationHMAC(address).key


def _reset_args(user) -> list:
    return [user_pk_to_url_str(user), default_token_generator.make_token(user)]


def _policy_args() -> list:
    from privacy.consent.policy_models import PolicyVersion

    version = PolicyVersion.objects.order_by("kind", "-version").first()
    return [version.kind, version.version]


def _association_slug(demo) -> list:
    return [demo.camille.association.slug]


# How each page is reached: (who, arguments, query). who: "member" (the demo member,
# signed in), "anonymous", "newcomer" (signed in, no member record yet), "two_step"
# (two-step verification and a passkey turned on), "mid_sign_in" (password given, the
# second step asked).
PAGES = {
    # Public pages.
    "home": [("anonymous", None, ""), ("member", None, "")],
    "contact": [("anonymous", None, "")],
    "privacy_policy": [("anonymous", None, "")],
    "cookie_policy": [("anonymous", None, "")],
    "policy_history": [("anonymous", None, "")],
    "policy_version": [("anonymous", lambda d: _policy_args(), "")],
    "coverage_plans": [("anonymous", None, "")],
    "coverage_plan": [("anonymous", _association_slug, "")],
    "coverage_verify": [("anonymous", lambda d: [_proof_token(d.camille.pk)], "")],
    "members_signin_unlock_request": [("anonymous", None, "")],
    "members_signin_unlock": [("anonymous", lambda d: [_unlock_token(d.camille.user)], "")],
    # Account pages (allauth).
    "account_login": [("anonymous", None, "")],
    "account_signup": [("anonymous", None, "")],
    "account_inactive": [("anonymous", None, "")],
    "account_reset_password": [("anonymous", None, "")],
    "account_reset_password_done": [("anonymous", None, "")],
    "account_reset_password_from_key": [("anonymous", lambda d: _reset_args(d.camille.user), "")],
    "account_reset_password_from_key_done": [("anonymous", None, "")],
    "account_email_verification_sent": [("anonymous", None, "")],
    "account_confirm_email": [("anonymous", lambda d: [_confirm_key()], "")],
    "account_reauthenticate": [("member", None, "")],
    "account_email": [("member", None, "")],
    "account_change_password": [("member", None, "")],
    "account_set_password": [("member", None, "")],
    "usersessions_list": [("member", None, "")],
    "mfa_index": [("member", None, ""), ("two_step", None, "")],
    "mfa_activate_totp": [("member", None, "")],
    "mfa_deactivate_totp": [("two_step", None, "")],
    "mfa_view_recovery_codes": [("two_step", None, "")],
    "mfa_generate_recovery_codes": [("two_step", None, "")],
    "mfa_list_webauthn": [("two_step", None, "")],
    "mfa_add_webauthn": [("two_step", None, "")],
    "mfa_edit_webauthn": [("two_step", lambda d: [d.extra["passkey"]], "")],
    "mfa_remove_webauthn": [("two_step", lambda d: [d.extra["passkey"]], "")],
    "mfa_reauthenticate": [("two_step", None, "")],
    "mfa_authenticate": [("mid_sign_in", None, "")],
    # The member's own pages.
    "account_overview": [("member", None, "")],
    "members_claim": [("newcomer", None, "")],
    "members_profile": [("member", None, "")],
    "members_dependants": [("member", None, "")],
    "members_dependant_add": [("member", None, "")],
    "members_dependant_edit": [("member", lambda d: [d.people[1]], "")],
    "members_dependant_remove": [("member", lambda d: [d.people[1]], "")],
    "members_activity": [("member", None, "")],
    "members_providers": [("member", None, ""), ("member", None, "?code_postal=H2X+1Y4")],
    "coverage_summary": [("member", None, "")],
    "coverage_estimate": [("member", None, "")],
    "coverage_enrolment": [("member", None, "")],
    "coverage_claims": [("member", None, "")],
    "coverage_claim_detail": [("member", lambda d: [d.claim.pk], "")],
    "coverage_card": [("member", None, "")] * 3,  # the member and each dependant
    "privacy_centre": [("member", None, ""), ("anonymous", None, "")],
    "privacy_request_list": [("member", None, "")],
    "privacy_request_access": [("member", None, "")],
    "privacy_request_deletion": [("member", None, "")],
    "privacy_request_detail": [("member", lambda d: [d.request_ids[0]], "")],
    "privacy_request_correction": [("member", None, "?restart=1")],
    "privacy_request_correction_topic": [("member", None, "?person=me")],
    "privacy_request_correction_field": [("member", None, "?topic={claim_topic}")],
    "privacy_request_correction_value": [
        ("member", None, "?topic={claim_topic}&field=amount_claimed_cents")
    ],
    "privacy_request_correction_review": [("member", None, "")],
}


def test_every_url_is_read_or_said_why_not():
    names = {name for name in url_names() if not name.startswith("admin:")}
    # The admin (admin:*) is staff-only: its screens have their own plain-words test.
    missing = names - set(PAGES) - set(NOT_PAGES)
    assert not missing, f"add these pages to PAGES or NOT_PAGES: {sorted(missing)}"
    assert not (set(PAGES) | set(NOT_PAGES)) - names, "entries for URLs that no longer exist"


def _clients(demo) -> dict[str, Client]:
    member = Client()
    sign_in(member, demo.camille.user)
    newcomer = Client()
    sign_in(newcomer, UserFactory(email="sans-dossier@example.org"))
    two_step_user = _two_step_user()
    demo.extra["passkey"] = Authenticator.objects.get(
        user=two_step_user, type=Authenticator.Type.WEBAUTHN
    ).pk
    two_step = Client()
    sign_in(two_step, two_step_user, mfa_ago=0)
    mid_sign_in = Client()
    two_step_user.set_password("un-mot-de-passe-2026")
    two_step_user.save()
    mid_sign_in.post(
        reverse("account_login"),
        {"login": two_step_user.email, "password": "un-mot-de-passe-2026"},
    )
    return {
        "member": member,
        "anonymous": Client(),
        "newcomer": newcomer,
        "two_step": two_step,
        "mid_sign_in": mid_sign_in,
    }


CENTS: set[int] = set()  # the demo member's stored amounts, filled by the demo fixture


def read(markup: str, *, language: str, where: str) -> list[str]:
    text = text_of(markup)
    found = problems(text, language=language)
    found += amounts_in_cents(text, CENTS)
    found += [f"choice code: {code!r}" for code in raw_codes(text, language=language)]
    found += [f"other language: {phrase!r}" for phrase in wrong_language(markup, language=language)]
    return [f"{where}: {item} in …{_around(text, item)}…" for item in found]


def typography(page: str, *, language: str, where: str) -> list[str]:
    """French: the typographic apostrophe, in the text and in what a screen reader or a
    form says (placeholder, aria-label, title, alt); a non-breaking space before ":",
    ";", "?", "!". English: no space before them."""
    from tests.aseq_portal.test_typography import visible_text

    text = visible_text(page)
    said = " ".join(re.findall(r'(?:placeholder|aria-label|title|alt)="([^"]*)"', page))
    if language == "fr":
        found = re.findall(r".{0,30}[^\W\d_]'[^\W\d_].{0,10}", text + "\n" + said)
        found += re.findall(r".{0,30}[ \n\t][:;?!](?=\s|$).{0,10}", text)
    else:
        found = re.findall(r".{0,30}\s[:;?!](?=\s|$).{0,10}", text)
    return [f"{where}: typography: {item!r}" for item in found]


def _around(text: str, item: str) -> str:
    needle = item.split(": ", 1)[-1].strip("'\"")
    index = text.find(needle)
    return " ".join(text[max(0, index - 50) : index + len(needle) + 30].split())


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_member_page_reads_as_words(demo, language):
    clients = _clients(demo)
    claim_topic = ""
    with translation.override(language):
        topics = correction_topics(user=demo.camille.user)
        claim_topic = next(t for t in topics if t.object_id == str(demo.claim.pk)).key
    found: list[str] = []
    seen = 0
    for name, ways in PAGES.items():
        for index, (who, arguments, query) in enumerate(ways):
            args = arguments(demo) if arguments else None
            if name == "coverage_card":
                if index >= len(demo.people):
                    continue
                args = [demo.people[index]]
            with translation.override(language):
                url = reverse(name, args=args) + query.format(claim_topic=claim_topic)
            response = clients[who].get(url, follow=True)
            assert response.status_code == 200, (url, response.status_code)
            page = response.content.decode()
            found += read(page, language=language, where=url)
            found += typography(page, language=language, where=url)
            seen += 1
    assert found == [], "\n".join(found)
    assert seen >= 65


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_error_page_reads_as_words(client, member, language):
    from django.test import RequestFactory

    found: list[str] = []
    response = client.get(f"/{language}/pas-une-page/")
    assert response.status_code == 404
    found += read(response.content.decode(), language=language, where="404")
    resolver = get_resolver()
    request = RequestFactory().get(f"/{language}/")
    request.user = member
    request.LANGUAGE_CODE = language
    from django.contrib.messages.storage import default_storage
    from django.core.exceptions import PermissionDenied, SuspiciousOperation

    request.session = client.session
    request._messages = default_storage(request)
    with translation.override(language):
        for status, exception in ((400, SuspiciousOperation()), (403, PermissionDenied())):
            response = resolver.resolve_error_handler(status)(request, exception)
            assert response.status_code == status
            found += read(response.content.decode(), language=language, where=str(status))
        response = resolver.resolve_error_handler(500)(request)
        assert response.status_code == 500
        found += read(response.content.decode(), language=language, where="500")
        from aseq_portal.views import too_many_requests

        found += read(too_many_requests(request).content.decode(), language=language, where="429")
    # A CSRF refusal (a form opened too long ago) is a 403 page of ours.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        f"/{language}/" + ("compte/login/" if language == "fr" else "account/login/")
    )
    assert response.status_code == 403
    found += read(response.content.decode(), language=language, where="CSRF 403")
    assert found == [], "\n".join(found)


# --- Every mail a member can receive -------------------------------------------------

BRANDS = [("mobile.aseq.ca", "ASEQ"), ("mobile.studentcare.ca", "Studentcare")]
LINK = "https://{host}/{language}/compte/x/abc/"
# What allauth hands each of its mails (a link, a code, or a notification's details).
ACCOUNT_MAILS = {
    "account/email/email_confirmation_signup": {"activate_url": LINK, "key": "abc"},
    "account/email/email_confirmation": {"activate_url": LINK, "key": "abc"},
    "account/email/password_reset_key": {"password_reset_url": LINK},
    "account/email/unknown_account": {"signup_url": LINK},
    "account/email/account_already_exists": {"password_reset_url": LINK},
    "account/email/login_code": {"code": "4Q7-2ZK"},
    "account/email/password_reset_code": {"code": "4Q7-2ZK"},
    "members/email/signin_unlock": {"unlock_url": LINK, "link_minutes": 60},
}
NOTIFICATIONS = {
    "account/email/email_changed": {"from_email": "ancienne@example.org", "to_email": "n@ex.org"},
    "account/email/email_confirm": {},
    "account/email/email_deleted": {"deleted_email": "ancienne@example.org"},
    "account/email/password_changed": {},
    "account/email/password_reset": {},
    "account/email/password_set": {},
    "mfa/email/totp_activated": {},
    "mfa/email/totp_deactivated": {},
    "mfa/email/recovery_codes_generated": {},
    "mfa/email/webauthn_added": {},
    "mfa/email/webauthn_removed": {},
}
# The privacy notice, once per event it words (privacy.requests.emails).
NOTICE_EVENTS = [
    ("access", "submitted"),
    ("access", "in_review"),
    ("access", "waiting_member"),
    ("access", "approved"),
    ("access", "refused"),
    ("access", "fulfilled"),
    ("correction", "fulfilled"),
    ("deletion", "fulfilled"),
    ("access", "closed"),
    ("access", "extended"),
    ("access", "message"),
]
UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"


def mail_templates() -> set[str]:
    """Every mail template of ours: templates/**/email/<name>_subject.txt."""
    return {
        str(path.relative_to(TEMPLATES)).removesuffix("_subject.txt")
        for path in TEMPLATES.glob("**/email/*_subject.txt")
    }


def _demo_mails(demo, *, host: str, language: str) -> list:
    from allauth.core.context import request_context
    from django.test import RequestFactory
    from django.utils import timezone

    from coverage.models import Enrolment
    from coverage.services import _send_confirmation
    from members.adapter import AccountAdapter
    from privacy.requests.emails import member_notify

    user = demo.camille.user
    user.preferred_language = language
    user.portal_host = host
    user.save()
    demo.camille.preferred_language = language
    mail.outbox.clear()
    request = RequestFactory().get("/", HTTP_HOST=host, secure=True, HTTP_USER_AGENT=UA)
    request.user = user
    with request_context(request):
        adapter = AccountAdapter(request)
    for prefix, extra in {**ACCOUNT_MAILS, **NOTIFICATIONS}.items():
        context = {
            "user": user,
            **{
                k: v.format(host=host, language=language) if isinstance(v, str) else v
                for k, v in extra.items()
            },
        }
        if prefix in NOTIFICATIONS:
            context |= {"timestamp": timezone.now(), "ip": "203.0.113.0", "user_agent": UA}
        adapter.send_mail(prefix, user.email, context)
    _send_confirmation(
        member=demo.camille,
        enrolment_ids=list(
            Enrolment.objects.filter(member=demo.camille).values_list("id", flat=True)
        ),
    )
    for kind, event in NOTICE_EVENTS:
        # The wording depends on the kind: the demo's access request, read as each kind.
        request = PrivacyRequest.objects.filter(member=user, kind=RequestKind.ACCESS).first()
        request.kind = kind
        request.decision_reasons = "Des demandes de remboursement sont en cours."
        request.extension_reason = "Plusieurs systèmes à consulter."
        request.extended_due_on = request.due_on
        member_notify(privacy_request=request, event=event)
    return list(mail.outbox)


@pytest.mark.parametrize(("host", "brand"), BRANDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_mail_reads_as_words(demo, host, brand, language, django_capture_on_commit_callbacks):
    from django.test.signals import template_rendered

    used: set[str] = set()

    def record(sender, template, **kwargs):
        if template.name and template.name.endswith("_message.html"):
            used.add(template.name.removesuffix("_message.html"))

    template_rendered.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _demo_mails(demo, host=host, language=language)
    finally:
        template_rendered.disconnect(record)
    messages = list(mail.outbox)
    used.discard("email/base")  # the layout every mail extends
    assert used == mail_templates(), "a mail template no member can be sent, or one not read here"
    found: list[str] = []
    for message in messages:
        where = f"{host} {language} {message.subject!r}"
        assert message.from_email == f"{brand} <no-reply@{host}>", where
        html = message.alternatives[0][0]
        found += read(f"<p>{message.subject}</p>{html}", language=language, where=where)
        text_problems = problems(message.body, language=language)
        found += [f"{where} (text part): {item}" for item in text_problems]
        # Dates as the language writes them: "1er" in French, never a bare "1 octobre".
        if language == "fr":
            found += [
                f"{where}: {m.group(0)!r}"
                for m in re.finditer(
                    r"(?<![\d,])1 (janvier|février|mars|avril|mai|juin|"
                    r"juillet|août|septembre|octobre|novembre|décembre)",
                    message.body,
                )
            ]
    assert len(messages) >= len(ACCOUNT_MAILS) + len(NOTIFICATIONS) + len(NOTICE_EVENTS)
    assert found == [], "\n".join(found)


# --- The attestation and the export --------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_attestation_reads_as_words(client, demo, language):
    sign_in(client, demo.camille.user)
    found: list[str] = []
    letters = 0
    for person in demo.people:
        with translation.override(language):
            url = reverse("coverage_attestation", args=[person])
        response = client.get(url, {"langue": language})
        if response.status_code == 404:  # no covered part: no proof offered
            continue
        assert response["Content-Type"] == "application/pdf"
        text = "\n".join(pdf_lines(response.content))
        found += read(f"<p>{text}</p>", language=language, where=f"PDF {person}")
        letters += 1
    assert letters >= 1
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_export_reads_as_words(client, demo, language):
    """export.html for the demo member; export.json is for programs (its schema test)."""
    user = demo.camille.user
    user.preferred_language = language
    user.save()
    access = PrivacyRequest.objects.get(member=user, kind=RequestKind.ACCESS)
    from privacy.requests.models import ExportArchive

    archive = ExportArchive.objects.get(request=access)
    with zipfile.ZipFile(io.BytesIO(bytes(archive.content))) as zipped:
        assert {"export.html", "export.json"} <= set(zipped.namelist())
        page = zipped.read("export.html").decode()
    from tests.privacy.test_readable_export import without_test_apps

    found = read(without_test_apps(page), language=language, where="export.html")
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    ("text", "caught"),
    [
        ("Montant réclamé 8500", True),
        ("Amount 8,500", True),
        ("Montant réclamé 85,00\u00a0$", False),
        ("Montant 8\u00a0500,00\u00a0$", False),
        ("$8,500.00", False),
        ("Claim of March 8, 2026", False),
    ],
)
def test_an_amount_in_cents_is_caught_and_dollars_are_not(text, caught):
    assert bool(amounts_in_cents(text, {8500})) is caught


@pytest.mark.parametrize(
    ("markup", "language", "caught"),
    [
        ("<p>Sign In</p>", "fr", True),
        ("<p>Connexion</p>", "fr", False),
        ("<p>Demander une correction</p>", "en", True),
        ("<p>Request a correction</p>", "en", False),
        ('<a lang="fr" hreflang="fr">Français</a>', "en", False),
    ],
)
def test_a_sentence_of_the_other_language_is_caught(markup, language, caught):
    assert bool(wrong_language(markup, language=language)) is caught
