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
