"""Request services: a refused step says why in words, and each step is recorded as the
officer who took it, from where (mutation testing found both unchecked)."""

import pytest
from django.test import RequestFactory

from privacy.audit.models import AuditEntry
from privacy.requests import services
from privacy.requests.models import PrivacyRequestEvent, RequestKind, RequestStatus
from privacy.requests.services import PrivacyRequestError

pytestmark = pytest.mark.django_db


def test_a_step_out_of_order_is_refused_with_the_reference_and_status_in_words(
    member, privacy_officer
):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    with pytest.raises(PrivacyRequestError) as caught:
        services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
    assert caught.value.code == "invalid_transition"
    assert caught.value.messages == [
        f"Impossible : la demande {request.reference} est « {request.get_status_display()} »."
    ]
    assert request.reference in caught.value.messages[0]


@pytest.mark.parametrize("step", ["start_review", "ask_member"])
def test_each_step_is_recorded_as_the_officer_who_took_it_and_from_where(
    step, member, privacy_officer
):
    http_request = RequestFactory().post("/admin/", REMOTE_ADDR="203.0.113.77")
    http_request.user = privacy_officer
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    if step == "ask_member":
        request = services.privacy_request_start_review(
            privacy_request=request, actor=privacy_officer
        )
        request = services.privacy_request_ask_member(
            privacy_request=request,
            actor=privacy_officer,
            message="Quelle période visez-vous?",
            http_request=http_request,
        )
        status = RequestStatus.WAITING_MEMBER
    else:
        request = services.privacy_request_start_review(
            privacy_request=request, actor=privacy_officer, http_request=http_request
        )
        status = RequestStatus.IN_REVIEW

    assert request.status == status
    event = PrivacyRequestEvent.objects.get(request=request, to_status=status)
    assert event.actor == privacy_officer
    entry = AuditEntry.objects.get(action=f"privacy_request.{step}")
    assert entry.actor_id == str(privacy_officer.pk)
    assert entry.subject_id == str(member.pk)
    assert entry.ip_prefix.startswith("203.0.113.")


# --- What mutation testing found unchecked in the answer's side effects -------------


def _from_the_office(officer):
    http_request = RequestFactory().post("/admin/", REMOTE_ADDR="203.0.113.77")
    http_request.user = officer
    return http_request


def _approved_correction(member, officer, field, proposed):
    from tests.factories import holder_with_records

    holder = holder_with_records(member)
    request = services.privacy_request_submit(
        account=member,
        kind=RequestKind.CORRECTION,
        corrections_asked=[(f"{holder._meta.label}|{holder.pk}|{field}", proposed)],
    )
    request = services.privacy_request_start_review(privacy_request=request, actor=officer)
    services.privacy_request_correction_decide(
        privacy_request=request,
        actor=officer,
        decisions={str(i.pk): ("approved", "") for i in request.correction_items.all()},
    )
    request = services.privacy_request_approve(privacy_request=request, actor=officer)
    return holder, request


def test_a_correction_that_cannot_be_written_is_audited_as_failed_naming_the_item(
    member, other_member, privacy_officer
):
    from tests.factories import holder_with_records

    taken = holder_with_records(other_member).student_number
    _holder, request = _approved_correction(member, privacy_officer, "student_number", taken)
    (item,) = request.correction_items.all()

    with pytest.raises(services.CorrectionNotApplied) as failure:
        services.privacy_request_fulfil(
            privacy_request=request,
            actor=privacy_officer,
            http_request=_from_the_office(privacy_officer),
        )

    assert failure.value.code == "not_applied"
    failed = AuditEntry.objects.get(action="privacy_request.correction_failed")
    assert (failed.actor_id, failed.subject_id) == (str(privacy_officer.pk), str(member.pk))
    assert (failed.object_type, failed.object_id) == ("privacy.CorrectionItem", str(item.pk))
    assert failed.metadata == {"reference": request.reference, "code": "conflict"}
    # The step back to review is recorded as the officer's, from where they acted.
    back = AuditEntry.objects.get(action="privacy_request.return_to_review")
    assert back.actor_id == str(privacy_officer.pk)
    assert back.ip_prefix.startswith("203.0.113.")


def test_a_correction_to_a_record_gone_since_returns_to_review_saying_so(member, privacy_officer):
    holder, request = _approved_correction(member, privacy_officer, "city", "Laval")
    holder.visits.all().delete()  # they protect the record
    holder.delete()

    with pytest.raises(services.CorrectionNotApplied) as failure:
        services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)

    assert failure.value.messages == [
        "« Holder — ville » n’a pas pu être appliquée : Cette fiche n’existe plus. Rien n’a "
        "été appliqué; la demande est revenue en traitement : décidez de nouveau cette "
        "rectification, puis acceptez ou refusez la demande."
    ]
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_REVIEW
    failed = AuditEntry.objects.get(action="privacy_request.correction_failed")
    assert failed.metadata == {"reference": request.reference, "code": ""}


def test_a_fulfilled_request_is_recorded_from_where_the_officer_acted(member, privacy_officer):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    services.privacy_request_fulfil(
        privacy_request=request,
        actor=privacy_officer,
        http_request=_from_the_office(privacy_officer),
    )
    entry = AuditEntry.objects.get(action="privacy_request.fulfil")
    assert entry.ip_prefix.startswith("203.0.113.")


def test_refusing_an_approved_request_drops_its_draft_export_only(
    member, other_member, privacy_officer
):
    from privacy.requests.models import ExportArchive
    from privacy.retention.models import LegalHold

    mine, theirs = (
        services.privacy_request_approve(
            privacy_request=services.privacy_request_start_review(
                privacy_request=services.privacy_request_submit(
                    account=someone, kind=RequestKind.ACCESS
                ),
                actor=privacy_officer,
            ),
            actor=privacy_officer,
        )
        for someone in (member, other_member)
    )
    services.privacy_request_refuse(
        privacy_request=mine, actor=privacy_officer, reasons="Identité non confirmée."
    )
    assert not ExportArchive.objects.filter(request=mine).exists()
    # The refusal is recorded as the officer's (no page request to take it from), with the
    # step it took.
    entry = AuditEntry.objects.get(action="privacy_request.refuse")
    assert (entry.actor_id, entry.object_id) == (str(privacy_officer.pk), str(mine.pk))
    assert entry.metadata == {
        "reference": mine.reference,
        "kind": RequestKind.ACCESS,
        "from": RequestStatus.APPROVED,
        "to": RequestStatus.REFUSED,
    }
    # And on the request's timeline, from where to where, by whom.
    event = PrivacyRequestEvent.objects.get(request=mine, to_status=RequestStatus.REFUSED)
    assert (event.from_status, event.actor) == (RequestStatus.APPROVED, privacy_officer)
    # Another member's export, prepared for an approval that stands, is untouched.
    assert ExportArchive.objects.filter(request=theirs, released_at__isnull=True).count() == 1
    # The intake hold ended with the answer, released by the officer who gave it.
    intake = LegalHold.objects.get(source_id=mine.reference, kind="privacy_request")
    assert intake.released is not None
    assert intake.released_by == privacy_officer


@pytest.mark.parametrize(
    ("site_language", "reason"),
    [
        (
            "fr",
            "Délai de recours devant la Commission d’accès à l’information après le refus "
            "de la demande {reference}.",
        ),
        (
            "en",
            "Period for a recourse before the Commission d’accès à l’information after "
            "request {reference} was refused.",
        ),
    ],
)
def test_the_recourse_hold_says_why_in_the_sites_language(
    member, privacy_officer, settings, site_language, reason
):
    """Whatever language the officer's page is in: the hold is read in the site's."""
    from django.utils import translation

    from privacy.retention.models import LegalHold

    settings.LANGUAGE_CODE = site_language
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    page_language = "en" if site_language == "fr" else "fr"
    with translation.override(page_language):
        services.privacy_request_refuse(
            privacy_request=request, actor=privacy_officer, reasons="Demande trop vague."
        )
    hold = LegalHold.objects.get(source_id=request.reference, kind="recourse")
    assert hold.reason == reason.format(reference=request.reference)


def test_someone_without_the_triage_permission_is_told_who_may_act(member, staff):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    for actor in (member, staff, None):
        with pytest.raises(PrivacyRequestError) as caught:
            services.privacy_request_start_review(privacy_request=request, actor=actor)
        assert caught.value.messages == ["Seule la personne responsable peut traiter les demandes."]
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
