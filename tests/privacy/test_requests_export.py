"""The access export: everything declared about the member, nothing about anyone else,
sealed at rest, behind an authenticated link that expires and is then purged."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from privacy.datamap.registry import declarations
from privacy.requests import exports, services
from privacy.requests.exports import plain
from privacy.requests.models import ExportArchive, RequestKind
from privacy.requests.selectors import subject_rows
from privacy.requests.tasks import privacy_export_purge_expired
from tests.factories import fully_populated_member

pytestmark = pytest.mark.django_db


def approved_access(member, officer):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    request = services.privacy_request_start_review(privacy_request=request, actor=officer)
    return services.privacy_request_approve(privacy_request=request, actor=officer)


def released_access(member, officer):
    return services.privacy_request_fulfil(
        privacy_request=approved_access(member, officer), actor=officer
    )


def populate(member):
    return fully_populated_member(member)["holder"]


def expire(request) -> None:
    """Seven days and a second later."""
    now = timezone.now()
    ExportArchive.objects.filter(request=request).update(
        released_at=now - timedelta(days=7, seconds=1), expires_at=now - timedelta(seconds=1)
    )


def export_json(request) -> dict:
    return exports.export_read(archive=ExportArchive.objects.get(request=request))


def test_the_export_holds_every_declared_personal_field_of_a_fully_populated_member(
    member, privacy_officer
):
    populate(member)
    data = export_json(approved_access(member, privacy_officer))
    sections = {section["model"]: section for section in data["sections"]}
    checked = 0
    for declaration in declarations():
        if declaration.subject is None or not declaration.exported:
            assert declaration.label not in sections
            continue
        section = sections[declaration.label]
        assert [f["name"] for f in section["fields"]] == list(declaration.personal_names)
        rows = {row["id"]: row["values"] for row in section["rows"]}
        expected = subject_rows(declaration=declaration, user=member)
        assert set(rows) == {str(pk) for pk in expected.values_list("pk", flat=True)}
        for obj in expected:
            for name in declaration.personal_names:
                field = obj._meta.get_field(name)
                value = getattr(obj, field.attname if field.is_relation else name)
                assert rows[str(obj.pk)][name] == plain(value), (declaration.label, name)
                checked += 1
    # Fully populated: every exported model has rows, and every value of the records is set.
    empty = [label for label, section in sections.items() if not section["rows"]]
    assert empty == ["privacy.StaffDocumentAcceptance"]  # staff only: never about a member
    for label in ("requestsapp.Holder", "members.Member", "members.Dependant"):
        for row in sections[label]["rows"]:
            assert all(value not in (None, "") for value in row["values"].values()), label
    assert checked > 100
    assert data["consent_history"] and data["consent_history"][0]["analytics"] is True
    assert [d["legal_basis"] for d in data["disclosures"]] == ["processor_mandate"]
    assert data["severed"] == []


def test_the_export_holds_nothing_about_another_member(member, other_member, privacy_officer):
    populate(member)
    populated = fully_populated_member(other_member)
    other, record = populated["holder"], populated["record"]
    services.privacy_request_submit(account=other_member, kind=RequestKind.DELETION)
    request = approved_access(member, privacy_officer)
    archive = ExportArchive.objects.get(request=request)
    with zipfile.ZipFile(io.BytesIO(bytes(archive.content))) as zipped:
        text = zipped.read("export.json").decode() + zipped.read("export.html").decode()
    for value in (
        other_member.email,
        str(other_member.pk),
        other.full_name,
        other.student_number,
        str(other.pk),
        *[kin.first_name for kin in other.kin.all()],
        *[visit.description for visit in other.visits.all()],
        record.member_number,
        record.student_number,
        record.first_name,
        record.last_name,
        record.email,
        str(record.pk),
        *[d.first_name for d in record.dependants.all()],
        str(populated["correction"].pk),
        populated["correction"].reference,
    ):
        assert value not in text
    assert member.email in text


def test_the_readable_page_shows_the_same_values(member, privacy_officer):
    holder = populate(member)
    request = approved_access(member, privacy_officer)
    archive = ExportArchive.objects.get(request=request)
    with zipfile.ZipFile(io.BytesIO(bytes(archive.content))) as zipped:
        page = zipped.read("export.html").decode()
    assert holder.full_name in page
    assert holder.student_number in page
    assert "Dossier" in page or "Holder" in page or "holder" in page
    assert '<dl class="row">' in page


def test_the_archive_is_encrypted_at_rest(member, privacy_officer):
    holder = populate(member)
    request = approved_access(member, privacy_officer)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content FROM privacy_exportarchive WHERE request_id = %s",
            [request.pk.hex if connection.vendor == "sqlite" else request.pk],
        )
        (raw,) = cursor.fetchone()
    raw = raw if isinstance(raw, str) else bytes(raw).decode("latin-1")
    assert "PK\x03\x04" not in raw
    assert holder.full_name not in raw
    assert member.email not in raw


def test_the_download_link_works_for_its_member_only_and_counts(
    client, member, other_member, privacy_officer
):
    populate(member)
    request = released_access(member, privacy_officer)
    url = f"/fr/confidentialite/demandes/{request.pk}/exportation/"

    response = client.get(url)  # anonymous
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]

    client.force_login(other_member)
    assert client.get(url).status_code == 404

    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert request.reference in response["Content-Disposition"]
    archive = ExportArchive.objects.get(request=request)
    assert archive.download_count == 1
    assert archive.downloaded_at is not None
    from privacy.audit.models import AuditEntry

    assert AuditEntry.objects.filter(
        action="privacy_request.export_download", subject_id=str(member.pk)
    ).exists()


def test_an_expired_link_is_refused_and_the_archive_then_purged(client, member, privacy_officer):
    request = released_access(member, privacy_officer)
    expire(request)
    client.force_login(member)
    url = f"/fr/confidentialite/demandes/{request.pk}/exportation/"
    response = client.get(url)
    assert response.status_code == 410
    assert "expiré" in response.content.decode()

    assert privacy_export_purge_expired.delay().get() == 1
    assert not ExportArchive.objects.filter(request=request).exists()
    assert client.get(url).status_code == 410


def test_the_link_lasts_seven_days_and_the_purge_leaves_live_archives(
    member, other_member, privacy_officer
):
    live = released_access(member, privacy_officer)
    archive = ExportArchive.objects.get(request=live)
    assert archive.expires_at - archive.released_at == timedelta(days=7)
    stale = released_access(other_member, privacy_officer)
    expire(stale)
    assert exports.export_purge_expired() == 1
    assert ExportArchive.objects.filter(request=live).exists()


def test_a_draft_export_cannot_be_downloaded_before_release(client, member, privacy_officer):
    request = approved_access(member, privacy_officer)
    client.force_login(member)
    assert client.get(f"/fr/confidentialite/demandes/{request.pk}/exportation/").status_code == 410


def test_staff_sever_another_persons_information_before_release(member, privacy_officer):
    holder = populate(member)
    kin = holder.kin.first()
    request = approved_access(member, privacy_officer)
    path = f"requestsapp.Kin/{kin.pk}/first_name"
    services.privacy_request_export_sever(
        privacy_request=request,
        actor=privacy_officer,
        paths=[path],
        reason="Renseignement concernant une autre personne (art. 40).",
    )
    data = export_json(request)
    kin_rows = next(s for s in data["sections"] if s["model"] == "requestsapp.Kin")["rows"]
    assert next(r for r in kin_rows if r["id"] == str(kin.pk))["values"]["first_name"] is None
    assert data["severed"] == [
        {"path": path, "reason": "Renseignement concernant une autre personne (art. 40)."}
    ]
    archive = ExportArchive.objects.get(request=request)
    with zipfile.ZipFile(io.BytesIO(bytes(archive.content))) as zipped:
        text = zipped.read("export.json").decode() + zipped.read("export.html").decode()
    assert kin.first_name not in text
    assert "Retranché" in text

    # Severance needs a reason and a real value; after release it is closed.
    with pytest.raises(services.PrivacyRequestError):
        services.privacy_request_export_sever(
            privacy_request=request, actor=privacy_officer, paths=[path], reason=" "
        )
    with pytest.raises(services.PrivacyRequestError):
        services.privacy_request_export_sever(
            privacy_request=request, actor=privacy_officer, paths=["x/y/z"], reason="Autre."
        )
    services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
    with pytest.raises(services.PrivacyRequestError):
        services.privacy_request_export_sever(
            privacy_request=request, actor=privacy_officer, paths=[path], reason="Trop tard."
        )


def test_the_export_is_written_in_the_members_language(privacy_officer):
    from tests.factories import UserFactory

    member = UserFactory(preferred_language="en")
    request = approved_access(member, privacy_officer)
    data = export_json(request)
    assert data["language"] == "en"
    account = next(s for s in data["sections"] if s["model"] == "members.User")
    assert account["fields"][0]["category_label"] == "Contact details"
    assert json.dumps(data)


def test_the_retention_purge_destroys_an_expired_archive_even_under_a_hold(member, privacy_officer):
    from privacy.retention.api import retention_purge

    request = released_access(member, privacy_officer)  # still open: its hold stands
    now = timezone.now()
    ExportArchive.objects.filter(request=request).update(
        released_at=now - timedelta(days=8), expires_at=now - timedelta(days=1)
    )
    retention_purge(started_by="test", model_label="privacy.ExportArchive")
    assert not ExportArchive.objects.filter(request=request).exists()
    request.refresh_from_db()
    assert request.status == "fulfilled"


def test_beat_runs_the_archive_purge_every_hour(settings):
    from aseq_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["privacy-export-purge-expired"]
    assert entry["schedule"] == timedelta(hours=1)
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
