"""Staff side: the privacy officer's queue and transitions; member services see status only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.requests import services
from privacy.requests.models import PrivacyRequest, RequestKind, RequestStatus
from tests.factories import MemberFactory, fully_populated_member

pytestmark = pytest.mark.django_db

QUEUE = "/admin/privacy/privacyrequest/"
STATUS_LIST = "/admin/privacy/privacyrequeststatus/"


def change_url(request):
    return f"{QUEUE}{request.pk}/change/"


def act_url(request, action):
    return f"{QUEUE}{request.pk}/act/{action}/"


@pytest.fixture
def officer_client(client, privacy_officer):
    client.force_login(privacy_officer)
    return client


def test_the_queue_shows_days_left_in_colour_bands(officer_client, member, other_member):
    from tests.factories import UserFactory

    late = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    soon = services.privacy_request_submit(account=other_member, kind=RequestKind.ACCESS)
    later = services.privacy_request_submit(account=UserFactory(), kind=RequestKind.DELETION)
    today = timezone.localdate()
    PrivacyRequest.objects.filter(pk=late.pk).update(due_on=today - timedelta(days=3))
    PrivacyRequest.objects.filter(pk=soon.pk).update(due_on=today + timedelta(days=2))
    page = officer_client.get(QUEUE).content.decode()
    assert '<span class="due-band due-overdue">3 jours de retard</span>' in page
    assert '<span class="due-band due-soon">2 jours</span>' in page
    assert '<span class="due-band due-ok">30 jours</span>' in page
    assert later.reference in page

    overdue = officer_client.get(QUEUE, {"due": "overdue"}).content.decode()
    assert late.reference in overdue and soon.reference not in overdue
    deletions = officer_client.get(QUEUE, {"kind": "deletion"}).content.decode()
    assert later.reference in deletions and late.reference not in deletions


def test_the_queue_filters_by_status_and_assignee(
    officer_client, privacy_officer, member, other_member
):
    mine = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    theirs = services.privacy_request_submit(account=other_member, kind=RequestKind.ACCESS)
    services.privacy_request_start_review(privacy_request=mine, actor=privacy_officer)
    page = officer_client.get(QUEUE, {"assignee": "me"}).content.decode()
    assert mine.reference in page and theirs.reference not in page
    page = officer_client.get(QUEUE, {"assignee": "none"}).content.decode()
    assert theirs.reference in page and mine.reference not in page
    page = officer_client.get(QUEUE, {"status__exact": RequestStatus.IN_REVIEW}).content.decode()
    assert mine.reference in page and theirs.reference not in page


def test_the_queue_is_searched_by_reference_or_exact_student_number(
    officer_client, member, other_member
):
    record = MemberFactory(user=member, student_number="20249999")
    wanted = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    other = services.privacy_request_submit(account=other_member, kind=RequestKind.ACCESS)
    page = officer_client.get(QUEUE, {"q": wanted.reference}).content.decode()
    assert wanted.reference in page and other.reference not in page
    page = officer_client.get(QUEUE, {"q": record.student_number}).content.decode()
    assert wanted.reference in page and other.reference not in page
    page = officer_client.get(QUEUE, {"q": "2024999"}).content.decode()  # not exact: nothing
    assert wanted.reference not in page


def test_transitions_run_from_the_list_and_call_the_services(officer_client, member):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    response = officer_client.post(
        QUEUE, {"action": "action_start_review", "_selected_action": [str(request.pk)]}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_REVIEW
    from privacy.audit.models import AuditEntry

    assert AuditEntry.objects.filter(
        action="privacy_request.start_review", object_id=str(request.pk)
    ).exists()


def test_a_refusal_from_the_admin_requires_reasons(officer_client, privacy_officer, member):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    response = officer_client.post(
        QUEUE, {"action": "action_refuse", "_selected_action": [str(request.pk)]}
    )
    assert response["Location"] == act_url(request, "refuse")
    response = officer_client.post(act_url(request, "refuse"), {"reasons": "  "})
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_REVIEW
    response = officer_client.post(act_url(request, "refuse"), {"reasons": "Motifs précis."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.decision_reasons) == (RequestStatus.REFUSED, "Motifs précis.")


def test_extension_message_note_and_assignment_pages(officer_client, privacy_officer, member):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    officer_client.post(act_url(request, "extend"), {"days": "45", "reason": "Volume."})
    request.refresh_from_db()
    assert request.extended_due_on is None  # more than 30 days: refused
    officer_client.post(act_url(request, "extend"), {"days": "15", "reason": "Volume."})
    officer_client.post(act_url(request, "message"), {"body": "Nous progressons."})
    officer_client.post(act_url(request, "note"), {"body": "Appeler l’assureur."})
    officer_client.post(act_url(request, "assign"), {"assignee": str(privacy_officer.pk)})
    request.refresh_from_db()
    assert request.extended_due_on == request.due_on + timedelta(days=15)
    assert request.messages.get().body == "Nous progressons."
    assert request.notes.get().body == "Appeler l’assureur."
    assert request.assignee == privacy_officer
    page = officer_client.get(change_url(request)).content.decode()
    assert "Nous progressons." in page and "Appeler l’assureur." in page


def test_corrections_are_decided_and_the_export_previewed_and_severed_in_the_admin(
    officer_client, privacy_officer, member
):
    populated = fully_populated_member(member)
    correction = populated["correction"]
    services.privacy_request_start_review(privacy_request=correction, actor=privacy_officer)
    item = correction.correction_items.get()
    page = officer_client.get(f"{QUEUE}{correction.pk}/corrections/").content.decode()
    assert "Camille Roy" in page
    officer_client.post(
        f"{QUEUE}{correction.pk}/corrections/",
        {f"{item.pk}-decision": "approved", f"{item.pk}-reason": ""},
    )
    item.refresh_from_db()
    assert item.decision == "approved"
    document = officer_client.get(f"{QUEUE}{correction.pk}/document/")
    assert document.content.startswith(b"%PDF")

    access = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    services.privacy_request_start_review(privacy_request=access, actor=privacy_officer)
    services.privacy_request_approve(privacy_request=access, actor=privacy_officer)
    dependant = populated["record"].dependants.first()
    path = f"members.Dependant/{dependant.pk}/first_name"
    page = officer_client.get(f"{QUEUE}{access.pk}/export/").content.decode()
    assert dependant.first_name in page
    officer_client.post(
        f"{QUEUE}{access.pk}/export/", {"paths": [path], "reason": "Autre personne."}
    )
    access.export.refresh_from_db()
    assert access.export.severed == [{"path": path, "reason": "Autre personne."}]


def test_a_request_page_offers_the_steps_its_status_allows(officer_client, member):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    page = officer_client.get(change_url(request)).content.decode()
    start = reverse("admin:privacy_privacyrequest_act", args=[request.pk, "start_review"])
    close = reverse("admin:privacy_privacyrequest_act", args=[request.pk, "close"])
    assert f'href="{start}"' in page
    assert f'href="{close}"' not in page


def test_opening_a_request_in_the_admin_is_audited(officer_client, privacy_officer, member):
    from privacy.audit.models import AuditEntry

    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    assert officer_client.get(change_url(request)).status_code == 200
    entry = AuditEntry.objects.get(action="admin.view", object_id=str(request.pk))
    assert entry.subject_id == str(member.pk)
    assert entry.actor_id == str(privacy_officer.pk)
    # ...and the member's access export tells them: by role, not by name.
    from privacy.requests.exports import export_data

    views = export_data(user=member)["staff_views"]
    assert [(v["role"], v["object_type"]) for v in views] == [
        ("privacy_officer", "privacy.PrivacyRequest")
    ]
    assert privacy_officer.email not in str(views)


def test_member_services_see_that_a_request_exists_and_its_status_only(
    client, member_services_agent, member, privacy_officer
):
    request = services.privacy_request_submit(
        account=member, kind=RequestKind.ACCESS, details="Détail confidentiel."
    )
    client.force_login(member_services_agent)
    assert client.get(QUEUE).status_code == 403
    assert client.get(change_url(request)).status_code == 403
    assert client.get(act_url(request, "start_review")).status_code == 403
    assert client.get(f"{QUEUE}{request.pk}/export/").status_code == 403
    page = client.get(STATUS_LIST).content.decode()
    assert request.reference in page and "Reçue" in page
    detail = client.get(f"{STATUS_LIST}{request.pk}/change/").content.decode()
    assert request.reference in detail
    assert "Détail confidentiel." not in detail
    client.post(
        STATUS_LIST, {"action": "action_start_review", "_selected_action": [str(request.pk)]}
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
