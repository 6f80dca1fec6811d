"""Correction: named fields, per-field decisions, approved values applied together or not at all."""

import datetime

import pytest

from privacy.requests import corrections, services
from privacy.requests.models import CorrectionDecision, RequestKind, SupportingDocument
from privacy.requests.services import PrivacyRequestError
from tests.factories import holder_with_records
from tests.requestsapp.models import Holder, Kin

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


def token(obj, field):
    return f"{obj._meta.label}|{obj.pk}|{field}"


def submit(member, asked, **kwargs):
    return services.privacy_request_submit(
        account=member, kind=RequestKind.CORRECTION, corrections_asked=asked, **kwargs
    )


def decide(request, officer, decisions):
    items = {(i.model_label, i.object_id, i.field_name): i for i in request.correction_items.all()}
    return services.privacy_request_correction_decide(
        privacy_request=request,
        actor=officer,
        decisions={
            str(items[key].pk): (decision, reason) for key, (decision, reason) in decisions.items()
        },
    )


def test_the_member_may_name_their_own_identity_and_contact_fields_only(member, other_member):
    holder = holder_with_records(member)
    holder_with_records(other_member)
    fields = corrections.correctable_fields(user=member)
    tokens = {f.token for f in fields}
    assert token(holder, "full_name") in tokens
    assert token(holder, "birth_date") in tokens
    own = {str(holder.pk)} | {str(pk) for pk in holder.kin.values_list("pk", flat=True)}
    own |= {str(pk) for pk in holder.visits.values_list("pk", flat=True)}
    assert {t.split("|")[1] for t in tokens} == own
    # Activity traces and the account itself (managed in the account settings) are not offered.
    assert not any(t.startswith("requestsapp.Trace") for t in tokens)
    assert not any(t.startswith("members.User") for t in tokens)
    current = {f.token: f.current for f in fields}
    assert current[token(holder, "birth_date")] == "2001-04-09"
    # Another member's record cannot be named, even by a crafted token.
    other = Holder.objects.exclude(user=member).get()
    with pytest.raises(corrections.CorrectionError):
        submit(member, [(token(other, "full_name"), "Pirate")])


def test_only_approved_fields_are_applied(member, privacy_officer):
    holder = holder_with_records(member)
    kin = holder.kin.order_by("pk").first()
    request = submit(
        member,
        [
            (token(holder, "full_name"), "Camille Roy"),
            (token(holder, "birth_date"), "2001-04-10"),
            (token(kin, "first_name"), "Léa"),
        ],
    )
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    decide(
        request,
        privacy_officer,
        {
            ("requestsapp.Holder", str(holder.pk), "full_name"): (CorrectionDecision.APPROVED, ""),
            ("requestsapp.Holder", str(holder.pk), "birth_date"): (
                CorrectionDecision.REFUSED,
                "Date confirmée par le certificat de naissance.",
            ),
            ("requestsapp.Kin", str(kin.pk), "first_name"): (CorrectionDecision.APPROVED, ""),
        },
    )
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
    holder.refresh_from_db()
    kin.refresh_from_db()
    assert holder.full_name == "Camille Roy"
    assert holder.birth_date == datetime.date(2001, 4, 9)
    assert kin.first_name == "Léa"
    applied = {i.field_name: i.applied_at for i in request.correction_items.all()}
    assert applied["full_name"] and applied["first_name"] and applied["birth_date"] is None


def test_a_failing_correction_rolls_every_approved_one_back(member, privacy_officer):
    holder = holder_with_records(member)
    request = submit(
        member,
        [(token(holder, "full_name"), "Camille Roy"), (token(holder, "phone"), "514-555-0100")],
    )
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    decide(
        request,
        privacy_officer,
        {
            ("requestsapp.Holder", str(holder.pk), "full_name"): (CorrectionDecision.APPROVED, ""),
            ("requestsapp.Holder", str(holder.pk), "phone"): (CorrectionDecision.APPROVED, ""),
        },
    )
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    # The phone changed after the request: applying it blindly would overwrite the member's edit.
    fresh = Holder.objects.get(pk=holder.pk)
    fresh.phone = "438-555-0123"
    fresh.save()
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
    holder.refresh_from_db()
    assert holder.full_name.startswith("Camille Tremblay")  # not applied either
    assert holder.phone == "438-555-0123"
    request.refresh_from_db()
    # Never stuck as approved: back in review, the stale item to decide again.
    assert request.status == "in_review"
    assert not request.correction_items.filter(applied_at__isnull=False).exists()
    assert request.correction_items.get(field_name="phone").decision == CorrectionDecision.PENDING


def test_approval_needs_every_field_decided_and_one_accepted(member, privacy_officer):
    holder = holder_with_records(member)
    request = submit(member, [(token(holder, "full_name"), "Camille Roy")])
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    with pytest.raises(corrections.CorrectionError):
        decide(
            request,
            privacy_officer,
            {("requestsapp.Holder", str(holder.pk), "full_name"): (CorrectionDecision.REFUSED, "")},
        )
    decide(
        request,
        privacy_officer,
        {("requestsapp.Holder", str(holder.pk), "full_name"): (CorrectionDecision.REFUSED, "Non.")},
    )
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_approve(privacy_request=request, actor=privacy_officer)


def test_a_proposed_value_must_fit_the_field(member):
    holder = holder_with_records(member)
    with pytest.raises(corrections.CorrectionError):
        submit(member, [(token(holder, "birth_date"), "le 9 avril")])
    assert not holder.user.privacy_requests.exists()


def test_a_supporting_document_is_sniffed_size_limited_and_stored_encrypted(member, settings):
    from django.db import connection

    holder = holder_with_records(member)
    request = submit(
        member, [(token(holder, "full_name"), "Camille Roy")], document=("acte.pdf", PDF)
    )
    document = SupportingDocument.objects.get(request=request)
    assert document.content_type == "application/pdf"
    assert bytes(document.content) == PDF
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, filename FROM privacy_supportingdocument")
        raw_content, raw_name = cursor.fetchone()
    assert b"%PDF" not in (
        raw_content.encode() if isinstance(raw_content, str) else bytes(raw_content)
    )
    assert "acte.pdf" not in raw_name

    assert corrections.document_check(PNG) == "image/png"
    with pytest.raises(corrections.CorrectionError):
        corrections.document_check(b"<html><script>alert(1)</script>")
    settings.PRIVACY_CORRECTION_DOCUMENT_MAX_BYTES = 32
    with pytest.raises(corrections.CorrectionError):
        corrections.document_check(PNG)


def test_a_refused_correction_request_refuses_its_undecided_fields_with_the_reasons(
    member, privacy_officer
):
    holder = holder_with_records(member)
    request = submit(member, [(token(holder, "full_name"), "X")])
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    services.privacy_request_refuse(
        privacy_request=request, actor=privacy_officer, reasons="Pièce justificative manquante."
    )
    item = request.correction_items.get()
    assert item.decision == CorrectionDecision.REFUSED
    assert item.decision_reason == "Pièce justificative manquante."
    assert Kin.objects.filter(holder=holder).count() == 2


def test_a_value_that_clashes_with_another_record_applies_nothing(
    member, other_member, privacy_officer
):
    holder = holder_with_records(member)
    other = holder_with_records(other_member)
    request = submit(
        member,
        [
            (token(holder, "full_name"), "Camille Roy"),
            (token(holder, "student_number"), other.student_number),
        ],
    )
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    decide(
        request,
        privacy_officer,
        {
            ("requestsapp.Holder", str(holder.pk), "full_name"): (CorrectionDecision.APPROVED, ""),
            ("requestsapp.Holder", str(holder.pk), "student_number"): (
                CorrectionDecision.APPROVED,
                "",
            ),
        },
    )
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
    holder.refresh_from_db()
    assert holder.full_name.startswith("Camille Tremblay")
    assert holder.student_number != other.student_number
