"""Reopening a refused or closed request, and giving several requests to a colleague at once:
services with audit rows, reachable from the admin."""

import pytest
from django.utils import timezone

from privacy.audit.models import AuditEntry
from privacy.requests import services
from privacy.requests.models import PrivacyRequest, RequestKind, RequestStatus
from privacy.requests.services import PrivacyRequestError
from privacy.retention.models import LegalHold
from privacy.roles import PRIVACY_OFFICER

pytestmark = pytest.mark.django_db

QUEUE = "/admin/privacy/privacyrequest/"


def refused(member, officer):
    privacy_request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    services.privacy_request_start_review(privacy_request=privacy_request, actor=officer)
    return services.privacy_request_refuse(
        privacy_request=privacy_request, actor=officer, reasons="Identité non vérifiée"
    )


def test_a_refused_request_is_reopened_with_reasons_and_an_audit_row(member, privacy_officer):
    privacy_request = refused(member, privacy_officer)
    assert LegalHold.objects.active().filter(kind="recourse", released__isnull=True).exists()

    reopened = services.privacy_request_reopen(
        privacy_request=privacy_request, actor=privacy_officer, reasons="Pièce reçue par la poste"
    )

    assert reopened.status == RequestStatus.IN_REVIEW
    assert (reopened.decided_at, reopened.closed_at, reopened.decision_reasons) == (None, None, "")
    entry = AuditEntry.objects.filter(action="privacy_request.reopen").get()
    assert entry.metadata["from"] == RequestStatus.REFUSED
    note = reopened.notes.get()
    assert "Pièce reçue par la poste" in note.body and "Identité non vérifiée" in note.body
    holds = LegalHold.objects.filter(source_id=reopened.reference, released__isnull=True)
    assert {hold.kind for hold in holds} == {"privacy_request"}


def test_a_closed_request_is_reopened_but_an_executed_one_is_not(member, privacy_officer):
    closed = services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
    services.privacy_request_close_with_reasons(
        privacy_request=closed, actor=privacy_officer, reasons="Doublon"
    )
    services.privacy_request_reopen(
        privacy_request=closed, actor=privacy_officer, reasons="Pas un doublon"
    )
    assert PrivacyRequest.objects.get(pk=closed.pk).status == RequestStatus.IN_REVIEW

    executed = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    PrivacyRequest.objects.filter(pk=executed.pk).update(
        status=RequestStatus.CLOSED, fulfilled_at=timezone.now(), closed_at=timezone.now()
    )
    with pytest.raises(PrivacyRequestError) as refusal:
        services.privacy_request_reopen(
            privacy_request=executed, actor=privacy_officer, reasons="Erreur"
        )
    assert refusal.value.code == "executed"


def test_reopening_needs_reasons_and_no_other_open_request_of_the_kind(member, privacy_officer):
    privacy_request = refused(member, privacy_officer)
    with pytest.raises(PrivacyRequestError):
        services.privacy_request_reopen(
            privacy_request=privacy_request, actor=privacy_officer, reasons=" "
        )
    services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    with pytest.raises(PrivacyRequestError) as refusal:
        services.privacy_request_reopen(
            privacy_request=privacy_request, actor=privacy_officer, reasons="Erreur"
        )
    assert refusal.value.code == "already_open"
    assert PrivacyRequest.objects.get(pk=privacy_request.pk).status == RequestStatus.REFUSED


def test_the_officer_reopens_from_the_request_page(client, member, privacy_officer):
    privacy_request = refused(member, privacy_officer)
    client.force_login(privacy_officer)
    page = client.get(f"{QUEUE}{privacy_request.pk}/change/").content.decode()
    assert "Rouvrir la demande" in page
    response = client.post(
        f"{QUEUE}{privacy_request.pk}/act/reopen/", {"reasons": "Décision infirmée"}
    )
    assert response.status_code == 302
    assert PrivacyRequest.objects.get(pk=privacy_request.pk).status == RequestStatus.IN_REVIEW


def test_several_requests_are_given_to_a_colleague_at_once(
    client, member, other_member, privacy_officer, staff_in_role
):
    colleague = staff_in_role(PRIVACY_OFFICER)
    first = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    second = services.privacy_request_submit(account=other_member, kind=RequestKind.ACCESS)
    client.force_login(privacy_officer)
    selected = {"action": "action_assign", "_selected_action": [first.pk, second.pk]}

    page = client.post(QUEUE, selected)
    assert page.status_code == 200
    assert first.reference in page.content.decode()

    done = client.post(QUEUE, {**selected, "confirmed": "yes", "assignee": colleague.pk})
    assert done.status_code == 302
    assert set(
        PrivacyRequest.objects.filter(pk__in=[first.pk, second.pk]).values_list(
            "assignee", flat=True
        )
    ) == {colleague.pk}
    assert AuditEntry.objects.filter(action="privacy_request.assign").count() == 2
