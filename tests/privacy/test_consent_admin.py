"""Staff publish policies through the service; proof of consent cannot be edited."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from privacy.models import ConsentRecord, PolicyKind, PolicyVersion
from tests.factories import StaffFactory, staff_admin_ready

from .consent_support import post_consent

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    superuser = StaffFactory(is_superuser=True)
    staff_admin_ready(superuser)  # MFA and the current staff documents accepted
    client.force_login(superuser)
    return client


def test_admin_publishes_a_new_version_through_the_service(admin_client):
    response = admin_client.post(
        reverse("admin:privacy_policyversion_add"),
        {
            "kind": PolicyKind.COOKIES,
            "text_fr": "# Témoins\n\nNouveau texte.",
            "text_en": "# Cookies\n\nNew text.",
            "changes_fr": "Durées mises à jour.",
            "changes_en": "Lifetimes updated.",
        },
    )
    assert response.status_code == 302
    version = PolicyVersion.objects.get(kind=PolicyKind.COOKIES, version=2)
    assert version.changes_en == "Lifetimes updated."


def test_admin_refuses_a_new_version_without_a_summary_of_changes(admin_client):
    response = admin_client.post(
        reverse("admin:privacy_policyversion_add"),
        {"kind": PolicyKind.PRIVACY, "text_fr": "x", "text_en": "y"},
    )
    assert response.status_code == 200
    assert not PolicyVersion.objects.filter(version=2).exists()


def test_published_versions_cannot_be_edited_or_deleted_in_admin(admin_client):
    version = PolicyVersion.objects.get(kind=PolicyKind.PRIVACY, version=1)
    change = reverse("admin:privacy_policyversion_change", args=[version.pk])
    assert admin_client.get(change).status_code == 200
    admin_client.post(change, {"kind": PolicyKind.PRIVACY, "text_fr": "tampered", "text_en": "x"})
    version.refresh_from_db()
    assert version.text_fr != "tampered"
    delete = reverse("admin:privacy_policyversion_delete", args=[version.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403


def test_consent_records_are_read_only_in_admin(admin_client, client):
    post_consent(client, "accept_all")
    record = ConsentRecord.objects.get()
    assert admin_client.get(reverse("admin:privacy_consentrecord_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:privacy_consentrecord_add")).status_code == 403
    change = reverse("admin:privacy_consentrecord_change", args=[record.pk])
    admin_client.post(change, {"analytics": ""})
    record.refresh_from_db()
    assert record.analytics is True


def test_publish_policy_command(tmp_path):
    (tmp_path / "fr.txt").write_text("# Politique\n\nTexte.", encoding="utf-8")
    (tmp_path / "en.txt").write_text("# Policy\n\nText.", encoding="utf-8")
    call_command(
        "publish_policy",
        "privacy-policy",
        "--fr",
        str(tmp_path / "fr.txt"),
        "--en",
        str(tmp_path / "en.txt"),
        "--changes-fr",
        "Reformulation.",
        "--changes-en",
        "Rewording.",
    )
    assert (
        PolicyVersion.objects.get(kind=PolicyKind.PRIVACY, version=2).text_en == "# Policy\n\nText."
    )
    with pytest.raises(CommandError):
        call_command(
            "publish_policy",
            "privacy-policy",
            "--fr",
            str(tmp_path / "missing.txt"),
            "--en",
            str(tmp_path / "en.txt"),
            "--changes-fr",
            "x",
            "--changes-en",
            "y",
        )
