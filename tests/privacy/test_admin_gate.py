"""The admin gate: MFA, then the current agreement and procedures (P22, P26, P27)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from privacy.models import AuditEntry, StaffDocument, StaffDocumentAcceptance
from privacy.staff.selectors import staff_document_current, staff_documents_pending
from privacy.staff.services import staff_document_publish
from tests.factories import StaffFactory, staff_admin_ready, totp_authenticator_add

pytestmark = pytest.mark.django_db

AGREEMENT_URL = "/admin/privacy/staffdocument/read/agreement/"
PROCEDURES_URL = "/admin/privacy/staffdocument/read/procedures/"


def accept(client, url, next_url="/admin/"):
    return client.post(url, {"confirm": "on", "next": next_url})


def test_the_first_agreement_and_procedures_exist_in_french_and_english():
    for kind in StaffDocument.Kind.values:
        document = staff_document_current(kind=kind)
        assert document.version == 1
        assert document.text_fr and document.text_en
        assert document.text_fr != document.text_en


def test_staff_without_mfa_are_sent_to_turn_it_on(client, staff):
    client.force_login(staff)
    response = client.get("/admin/members/user/")
    assert response.status_code == 302
    assert response["Location"].endswith("/2fa/")


def test_staff_with_mfa_but_without_the_agreement_are_refused_the_admin(client, staff):
    totp_authenticator_add(staff)
    client.force_login(staff)
    for url in ("/admin/", "/admin/members/user/", "/admin/privacy/auditentry/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(AGREEMENT_URL)


def test_accepting_the_agreement_is_recorded_with_its_time_then_procedures_are_asked(client, staff):
    totp_authenticator_add(staff)
    client.force_login(staff)
    page = client.get(f"{AGREEMENT_URL}?next=/admin/members/user/")
    assert page.status_code == 200
    agreement = staff_document_current(kind="agreement")
    assert agreement.text_fr.splitlines()[0] in page.content.decode()

    before = timezone.now()
    response = accept(client, AGREEMENT_URL, "/admin/members/user/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/members/user/"
    acceptance = StaffDocumentAcceptance.objects.get(user=staff, document=agreement)
    assert acceptance.accepted_at >= before
    entry = AuditEntry.objects.get(action="staff_document.accept")
    assert (entry.actor_id, entry.subject_id) == (str(staff.pk), str(staff.pk))

    # The procedures come next (P27), then the admin opens.
    response = client.get("/admin/")
    assert response["Location"].startswith(PROCEDURES_URL)
    accept(client, PROCEDURES_URL)
    assert client.get("/admin/").status_code == 200


def test_the_agreement_page_shows_the_english_text_in_english(client, staff):
    totp_authenticator_add(staff)
    client.force_login(staff)
    agreement = staff_document_current(kind="agreement")
    page = client.get(AGREEMENT_URL, headers={"accept-language": "en"})
    assert agreement.text_en.splitlines()[0] in page.content.decode()


def test_posting_without_ticking_the_box_records_nothing_and_shows_an_error(client, staff):
    totp_authenticator_add(staff)
    client.force_login(staff)
    response = client.post(AGREEMENT_URL, {"next": "/admin/"})
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert not StaffDocumentAcceptance.objects.filter(user=staff).exists()


def test_a_new_version_asks_again(client, staff):
    staff_admin_ready(staff)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200

    staff_document_publish(kind="agreement", text_fr="Version 2", text_en="Version 2 (en)")
    response = client.get("/admin/")
    assert response["Location"].startswith(AGREEMENT_URL)
    assert "Version 2" in client.get(AGREEMENT_URL).content.decode()
    accept(client, AGREEMENT_URL)
    assert client.get("/admin/").status_code == 200

    staff_document_publish(kind="procedures", text_fr="Procédures 2", text_en="Procedures 2")
    assert client.get("/admin/")["Location"].startswith(PROCEDURES_URL)


def test_a_version_effective_in_the_future_is_not_asked_yet(staff):
    staff_admin_ready(staff)
    staff_document_publish(
        kind="agreement",
        text_fr="Plus tard",
        text_en="Later",
        effective_at=timezone.now() + timedelta(days=7),
    )
    assert staff_documents_pending(user=staff) == []


def test_superusers_are_break_glass_but_still_need_mfa_and_the_agreement(client):
    superuser = StaffFactory(is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/")["Location"].endswith("/2fa/")
    totp_authenticator_add(superuser)
    assert client.get("/admin/")["Location"].startswith(AGREEMENT_URL)
    accept(client, AGREEMENT_URL)
    accept(client, PROCEDURES_URL)
    assert client.get("/admin/").status_code == 200


def test_gated_staff_can_still_sign_out(client, staff):
    totp_authenticator_add(staff)
    client.force_login(staff)
    client.post("/admin/logout/")
    assert "_auth_user_id" not in client.session


def test_published_versions_are_never_edited_in_admin(client, staff_in_role):
    from privacy import roles

    client.force_login(staff_in_role(roles.PRIVACY_OFFICER))
    document = staff_document_current(kind="agreement")
    response = client.post(
        f"/admin/privacy/staffdocument/{document.pk}/change/",
        {"kind": "agreement", "text_fr": "Changé", "text_en": "Changed"},
    )
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.text_fr != "Changé"


def test_the_privacy_officer_publishes_a_new_version_in_admin(client, staff_in_role):
    from privacy import roles

    officer = staff_in_role(roles.PRIVACY_OFFICER)
    client.force_login(officer)
    response = client.post(
        "/admin/privacy/staffdocument/add/",
        {
            "kind": "procedures",
            "text_fr": "Nouvelles procédures",
            "text_en": "New procedures",
            "effective_at_0": "2020-01-01",
            "effective_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    current = staff_document_current(kind="procedures")
    assert (current.version, current.text_fr) == (2, "Nouvelles procédures")
    # The officer too is asked to acknowledge the new version.
    assert client.get("/admin/")["Location"].startswith(PROCEDURES_URL)


def test_the_admin_links_to_the_current_procedures(client, staff_in_role):
    client.force_login(staff_in_role())
    assert PROCEDURES_URL in client.get("/admin/").content.decode()


def test_members_get_no_agreement_page(client, member):
    totp_authenticator_add(member)
    client.force_login(member)
    response = client.get(AGREEMENT_URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
