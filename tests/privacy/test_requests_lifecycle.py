"""Privacy requests end to end, through the services: submit -> triage -> fulfil.

Each kind goes the whole way with its audit rows, the member's notices (in
their language) and the timeline they see.

Why one module past 400 lines: each kind of request is one journey; split, the
journeys would repeat their setup.
"""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation

from privacy.requests import selectors, services
from privacy.requests.models import (
    CorrectionDecision,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
)
from privacy.requests.services import PrivacyRequestError
from tests.factories import StaffFactory, UserFactory, holder_with_records

pytestmark = pytest.mark.django_db


def audit_actions(privacy_request) -> list[str]:
    from privacy.audit.models import AuditEntry

    return list(
        AuditEntry.objects.filter(object_id=str(privacy_request.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def timeline_statuses(privacy_request) -> list[str]:
    return [
        e.status
        for e in selectors.privacy_request_timeline(privacy_request=privacy_request)
        if e.kind == "status"
    ]


def test_access_request_is_submitted_triaged_and_released_with_audit_mail_and_timeline(
    member, privacy_officer, client, django_capture_on_commit_callbacks
):
    holder_with_records(member)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
        request = services.privacy_request_start_review(
            privacy_request=request, actor=privacy_officer
        )
        request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
        request = services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
        request = services.privacy_request_close(privacy_request=request, actor=privacy_officer)

    assert request.status == RequestStatus.CLOSED
    assert audit_actions(request) == [
        "privacy_request.submit",
        "privacy_request.start_review",
        "privacy_request.approve",
        "privacy_request.export_build",
        "privacy_request.fulfil",
        "privacy_request.close",
    ]
    assert timeline_statuses(request) == [
        RequestStatus.SUBMITTED,
        RequestStatus.IN_REVIEW,
        RequestStatus.APPROVED,
        RequestStatus.FULFILLED,
        RequestStatus.CLOSED,
    ]
    subjects = [m.subject for m in mail.outbox]
    assert subjects == [
        f"Accusé de réception de votre demande {request.reference}",
        f"Votre demande {request.reference} : En traitement",
        f"Votre demande {request.reference} : Acceptée",
        f"Votre demande {request.reference} : Exécutée",
        f"Votre demande {request.reference} : Fermée",
    ]
    assert all(m.to == [member.email] for m in mail.outbox)
    with translation.override("fr"):
        assert formats.date_format(request.due_on, "DATE_FORMAT") in mail.outbox[0].body

    client.force_login(member)
    page = client.get(f"/fr/confidentialite/demandes/{request.pk}/").content.decode()
    for label in ("Reçue", "En traitement", "Acceptée", "Exécutée", "Fermée"):
        assert label in page
    response = client.get(f"/fr/confidentialite/demandes/{request.pk}/exportation/")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert set(archive.namelist()) == {"export.json", "export.html", "export.schema.json"}
    assert json.loads(archive.read("export.json"))["account"] == str(member.pk)


def test_correction_request_is_decided_per_field_and_applied_with_english_notices(
    privacy_officer, django_capture_on_commit_callbacks
):
    member = UserFactory(preferred_language="en")
    holder = holder_with_records(member)
    name = f"requestsapp.Holder|{holder.pk}|full_name"
    city = f"requestsapp.Holder|{holder.pk}|city"
    with django_capture_on_commit_callbacks(execute=True):
        request = services.privacy_request_submit(
            account=member,
            kind=RequestKind.CORRECTION,
            corrections_asked=[(name, "Camille Tremblay-Roy"), (city, "Laval")],
        )
        request = services.privacy_request_start_review(
            privacy_request=request, actor=privacy_officer
        )
        items = {i.field_name: i for i in request.correction_items.all()}
        services.privacy_request_correction_decide(
            privacy_request=request,
            actor=privacy_officer,
            decisions={
                str(items["full_name"].pk): (CorrectionDecision.APPROVED, ""),
                str(items["city"].pk): (CorrectionDecision.REFUSED, "Adresse déjà à jour."),
            },
        )
        request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
        request = services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)

    holder.refresh_from_db()
    assert holder.full_name == "Camille Tremblay-Roy"
    assert holder.city == "Montréal"
    assert audit_actions(request) == [
        "privacy_request.submit",
        "privacy_request.start_review",
        "privacy_request.correction_decide",
        "privacy_request.approve",
        "privacy_request.fulfil",
    ]
    from privacy.audit.models import AuditEntry

    applied = AuditEntry.objects.get(action="privacy_request.correction_apply")
    assert applied.metadata["field"] == "full_name"
    assert applied.subject_id == str(member.pk)
    assert [m.subject for m in mail.outbox] == [
        f"Acknowledgement of your request {request.reference}",
        f"Your request {request.reference}: In review",
        f"Your request {request.reference}: Accepted",
        f"Your request {request.reference}: Carried out",
    ]
    assert "Hello," in mail.outbox[0].body
    assert "/en/privacy/requests/" in mail.outbox[0].body


def test_deletion_request_is_carried_out_and_the_last_notice_reaches_the_old_address(
    member, privacy_officer, django_capture_on_commit_callbacks
):
    holder_with_records(member)
    address = member.email
    with django_capture_on_commit_callbacks(execute=True):
        request = services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
        request = services.privacy_request_start_review(
            privacy_request=request, actor=privacy_officer
        )
        request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
        request = services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
        request = services.privacy_request_close(privacy_request=request, actor=privacy_officer)

    member.refresh_from_db()
    assert not member.is_active
    assert member.email != address
    assert not member.has_usable_password()
    assert audit_actions(request) == [
        "privacy_request.submit",
        "privacy_request.start_review",
        "privacy_request.approve",
        "privacy_request.fulfil",
        "privacy_request.close",
    ]
    # The notice of execution went to the address the member had; nothing after it.
    assert mail.outbox[-1].to == [address]
    assert "Exécutée" in mail.outbox[-1].subject
    assert len(mail.outbox) == 4
    assert timeline_statuses(request)[-1] == RequestStatus.CLOSED
    assert request.deletion_plan["shown"]["groups"]
    assert request.deletion_plan["executed"]["groups"]


def test_references_follow_each_other_and_the_answer_is_due_in_30_days(member, other_member):
    first = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    second = services.privacy_request_submit(account=other_member, kind=RequestKind.ACCESS)
    year = timezone.localdate().year
    assert re.fullmatch(rf"DPR-{year}-\d{{6}}", first.reference)
    assert int(second.reference[-6:]) == int(first.reference[-6:]) + 1
    assert first.due_on == timezone.localdate() + timedelta(days=30)


def test_only_one_open_request_of_a_kind_at_a_time(member, privacy_officer):
    first = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    # The database itself refuses a second open one.
    with pytest.raises(IntegrityError), transaction.atomic():
        PrivacyRequest.objects.create(
            member=member,
            kind=RequestKind.ACCESS,
            reference="DPR-1999-000001",
            due_on=timezone.localdate(),
        )
    # Another kind is fine, and once answered the export can be asked for again, free.
    services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
    first = services.privacy_request_start_review(privacy_request=first, actor=privacy_officer)
    first = services.privacy_request_approve(privacy_request=first, actor=privacy_officer)
    services.privacy_request_fulfil(privacy_request=first, actor=privacy_officer)
    again = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    assert again.status == RequestStatus.SUBMITTED


@pytest.mark.parametrize("reasons", ["", "   \n "])
def test_a_refusal_without_reasons_is_rejected(member, privacy_officer, reasons):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    with pytest.raises(PrivacyRequestError) as error:
        services.privacy_request_refuse(
            privacy_request=request, actor=privacy_officer, reasons=reasons
        )
    assert error.value.code == "reasons_required"
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_REVIEW
    assert request.decision_reasons == ""


@pytest.mark.parametrize(
    ("language", "recourse"),
    [
        ("fr", "Commission d’accès à l’information"),
        ("en", "Commission d’accès à l’information"),
    ],
)
def test_a_refusal_tells_the_member_the_reasons_and_their_recourse(
    privacy_officer, django_capture_on_commit_callbacks, language, recourse
):
    member = UserFactory(preferred_language=language)
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.privacy_request_refuse(
            privacy_request=request,
            actor=privacy_officer,
            reasons="Renseignements visés par une enquête en cours (art. 39).",
        )
    notice = mail.outbox[-1]
    assert request.status == RequestStatus.REFUSED
    assert "Renseignements visés par une enquête en cours (art. 39)." in notice.body
    assert recourse in notice.body
    assert "30" in notice.body
    assert ("refusée" in notice.subject.lower()) == (language == "fr")
    assert ("refused" in notice.subject.lower()) == (language == "en")


def test_the_deadline_can_be_extended_once_with_reasons_and_notice(
    member, privacy_officer, django_capture_on_commit_callbacks
):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_extend(
            privacy_request=request, actor=privacy_officer, days=10, reason=" "
        )
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_extend(
            privacy_request=request, actor=privacy_officer, days=31, reason="Volume."
        )
    with django_capture_on_commit_callbacks(execute=True):
        request = services.privacy_request_extend(
            privacy_request=request,
            actor=privacy_officer,
            days=20,
            reason="Volume exceptionnel de documents à réunir.",
        )
    assert request.extended_due_on == request.due_on + timedelta(days=20)
    assert request.effective_due_on == request.extended_due_on
    notice = mail.outbox[-1]
    assert "Prolongation" in notice.subject
    assert "Volume exceptionnel de documents à réunir." in notice.body
    with translation.override("fr"):
        assert formats.date_format(request.extended_due_on, "DATE_FORMAT") in notice.body
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_extend(
            privacy_request=request, actor=privacy_officer, days=5, reason="Encore."
        )
    assert "privacy_request.extend" in audit_actions(request)
    kinds = [e.kind for e in selectors.privacy_request_timeline(privacy_request=request)]
    assert "extension" in kinds


def test_an_extension_must_be_announced_before_the_deadline_passes(member, privacy_officer):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    PrivacyRequest.objects.filter(pk=request.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_extend(
            privacy_request=request, actor=privacy_officer, days=10, reason="Trop tard."
        )


def test_overdue_requests_are_flagged_and_answered_ones_are_not(member, other_member):
    today = timezone.localdate()
    late = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    on_time = services.privacy_request_submit(account=other_member, kind=RequestKind.ACCESS)
    answered = services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
    PrivacyRequest.objects.filter(pk__in=[late.pk, answered.pk]).update(
        due_on=today - timedelta(days=2)
    )
    PrivacyRequest.objects.filter(pk=answered.pk).update(status=RequestStatus.REFUSED)
    overdue = set(selectors.privacy_requests_overdue())
    assert overdue == {late}
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.is_overdue() and selectors.due_band(late) == "overdue"
    assert not on_time.is_overdue() and selectors.due_band(on_time) == "ok"
    PrivacyRequest.objects.filter(pk=on_time.pk).update(due_on=today + timedelta(days=3))
    on_time.refresh_from_db()
    assert selectors.due_band(on_time) == "soon"


def test_an_extended_request_is_overdue_only_after_its_new_date(member, privacy_officer):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    request = services.privacy_request_extend(
        privacy_request=request, actor=privacy_officer, days=30, reason="Volume."
    )
    PrivacyRequest.objects.filter(pk=request.pk).update(
        due_on=timezone.localdate() - timedelta(days=5),
        extended_due_on=timezone.localdate() + timedelta(days=25),
    )
    assert not selectors.privacy_requests_overdue().exists()


def test_steps_out_of_order_are_refused(member, privacy_officer):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    for step in (
        services.privacy_request_approve,
        services.privacy_request_fulfil,
        services.privacy_request_close,
    ):
        with pytest.raises(PrivacyRequestError):
            step(privacy_request=request, actor=privacy_officer)
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_staff_without_the_privacy_officer_role_cannot_move_a_request(member):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_start_review(privacy_request=request, actor=StaffFactory())
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_start_review(privacy_request=request, actor=member)


def test_a_question_waits_for_the_member_whose_answer_resumes_the_review(
    member, privacy_officer, django_capture_on_commit_callbacks
):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.privacy_request_ask_member(
            privacy_request=request, actor=privacy_officer, message="Quelle période visez-vous?"
        )
    assert request.status == RequestStatus.WAITING_MEMBER
    assert "précision" in mail.outbox[-1].body
    assert "Quelle période" not in mail.outbox[-1].body  # read in the portal, after sign-in
    request = services.privacy_request_member_reply(
        privacy_request=request, account=member, body="Depuis septembre."
    )
    assert request.status == RequestStatus.IN_REVIEW
    bodies = [
        e.body
        for e in selectors.privacy_request_timeline(privacy_request=request)
        if e.kind == "message"
    ]
    assert bodies == ["Quelle période visez-vous?", "Depuis septembre."]


def test_internal_notes_never_reach_the_member(member, privacy_officer, client):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    services.privacy_request_note_add(
        privacy_request=request, actor=privacy_officer, body="Vérifier le dossier papier."
    )
    services.privacy_request_message_send(
        privacy_request=request, actor=privacy_officer, body="Nous avons commencé."
    )
    client.force_login(member)
    page = client.get(f"/fr/confidentialite/demandes/{request.pk}/").content.decode()
    assert "Nous avons commencé." in page
    assert "Vérifier le dossier papier." not in page


def test_messages_to_the_member_cannot_be_deleted_in_the_admin(member, privacy_officer):
    from django.contrib import admin

    from privacy.requests.models import PrivacyRequestMessage

    assert PrivacyRequestMessage not in admin.site._registry
    request_admin = admin.site._registry[PrivacyRequest]
    assert not request_admin.has_delete_permission(type("R", (), {"user": privacy_officer})())


def test_a_request_holds_the_members_data_while_open_and_a_refusal_for_the_recourse_period(
    member, privacy_officer
):
    from privacy.retention.api import legal_holds_active

    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    (hold,) = legal_holds_active(subject=member)
    assert (hold.kind, hold.source_id, hold.ends) == ("privacy_request", request.reference, None)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    request = services.privacy_request_refuse(
        privacy_request=request, actor=privacy_officer, reasons="Motifs."
    )
    # The answer ends the intake hold: the recourse period runs from the refusal.
    (hold,) = legal_holds_active(subject=member)
    assert hold.kind == "recourse"
    assert hold.ends == request.decided_at + timedelta(days=30)
    request = services.privacy_request_close(privacy_request=request, actor=privacy_officer)
    (hold,) = legal_holds_active(subject=member)
    assert hold.kind == "recourse"

    answered = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    for step in (
        services.privacy_request_start_review,
        services.privacy_request_approve,
        services.privacy_request_fulfil,
        services.privacy_request_close,
    ):
        answered = step(privacy_request=answered, actor=privacy_officer)
    # Only the recourse hold of the refused request remains.
    assert [h.kind for h in legal_holds_active(subject=member)] == ["recourse"]


def test_no_message_is_sent_on_a_closed_request_whoever_calls(member, privacy_officer):
    """The rule lived in the admin's buttons only; the service now keeps it for every caller."""
    from privacy.requests.models import PrivacyRequestMessage

    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    services.privacy_request_close_with_reasons(
        privacy_request=request, actor=privacy_officer, reasons="Demande en double."
    )
    with pytest.raises(services.PrivacyRequestError, match="fermée"):
        services.privacy_request_message_send(
            privacy_request=request, actor=privacy_officer, body="Encore une chose."
        )
    assert not PrivacyRequestMessage.objects.filter(request=request).exists()
