"""Every request reaches an answer; holds end with it; nothing destroys data in one click.

Issue 16, items 1 to 6 on the requests side: a correction that cannot be
applied returns to review naming the item; an approved request can still be
refused or closed with reasons; the intake hold ends with the answer and a
refusal (whole or partial) holds for the recourse period and says so in the
member's language; bulk "carry out" confirms what happens to whom; the queue
sorts on the date it shows and opens on open requests; a deletion erases the
member's export archives.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from privacy.requests import services
from privacy.requests.deletion import PlanAction, deletion_plan
from privacy.requests.models import (
    CorrectionDecision,
    ExportArchive,
    PrivacyRequest,
    RequestKind,
    RequestStatus,
)
from privacy.retention.api import legal_holds_active
from tests.factories import UserFactory, holder_with_records
from tests.requestsapp.models import Holder

pytestmark = pytest.mark.django_db

QUEUE = "/admin/privacy/privacyrequest/"
RECOURSE = {
    "fr": "demander à la Commission d’accès à l’information du Québec",
    "en": "ask Quebec’s Commission d’accès à l’information",
}


def token(obj, field):
    return f"{obj._meta.label}|{obj.pk}|{field}"


def decide_all(request, officer, decision, reason=""):
    return services.privacy_request_correction_decide(
        privacy_request=request,
        actor=officer,
        decisions={str(i.pk): (decision, reason) for i in request.correction_items.all()},
    )


def access_fulfilled(member, officer):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    for step in (
        services.privacy_request_start_review,
        services.privacy_request_approve,
        services.privacy_request_fulfil,
    ):
        request = step(privacy_request=request, actor=officer)
    return request


# --- 1. A correction that can never be answered ------------------------------


def test_a_correction_to_another_records_student_number_returns_to_review_and_is_answered(
    member, other_member, privacy_officer
):
    holder = holder_with_records(member)
    other = holder_with_records(other_member)
    request = services.privacy_request_submit(
        account=member,
        kind=RequestKind.CORRECTION,
        corrections_asked=[(token(holder, "student_number"), other.student_number)],
    )
    # Items start undecided: nobody accepted anything yet.
    assert [i.decision for i in request.correction_items.all()] == [CorrectionDecision.PENDING]
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    decide_all(request, privacy_officer, CorrectionDecision.APPROVED)
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)

    with pytest.raises(services.CorrectionNotApplied) as failure:
        services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
    message = " ".join(failure.value.messages)
    assert "numéro d’étudiant" in message  # the item, by its label
    assert "autre fiche" in message  # and the reason
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_REVIEW  # committed, not rolled back
    (item,) = request.correction_items.all()
    assert item.decision == CorrectionDecision.PENDING  # editable again
    assert request.notes.get().body == message  # the officer finds why on the request
    assert Holder.objects.get(pk=holder.pk).student_number == holder.student_number

    # The officer decides again and answers: refused, with reasons, and the member knows.
    decide_all(request, privacy_officer, CorrectionDecision.REFUSED, "Numéro déjà attribué.")
    request = services.privacy_request_refuse(
        privacy_request=request, actor=privacy_officer, reasons="Numéro déjà attribué."
    )
    assert request.status == RequestStatus.REFUSED
    assert not request.is_overdue(timezone.localdate() + timedelta(days=400))


def test_the_officers_decision_form_starts_undecided(client, privacy_officer, member):
    holder = holder_with_records(member)
    request = services.privacy_request_submit(
        account=member,
        kind=RequestKind.CORRECTION,
        corrections_asked=[(token(holder, "city"), "Laval")],
    )
    services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    client.force_login(privacy_officer)
    page = client.get(f"{QUEUE}{request.pk}/corrections/").content.decode()
    assert '<option value="pending" selected>' in page
    assert '<option value="approved" selected>' not in page


@pytest.mark.parametrize("ending", ["refuse", "close_with_reasons", "return_to_review"])
def test_an_approved_request_can_still_be_answered(member, privacy_officer, ending):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    assert ExportArchive.objects.filter(request=request).exists()  # the draft
    service = getattr(services, f"privacy_request_{ending}")
    kwargs = {} if ending == "return_to_review" else {"reasons": "Motifs précis."}
    request = service(privacy_request=request, actor=privacy_officer, **kwargs)
    expected = {
        "refuse": RequestStatus.REFUSED,
        "close_with_reasons": RequestStatus.CLOSED,
        "return_to_review": RequestStatus.IN_REVIEW,
    }[ending]
    assert request.status == expected
    # A draft made for an approval that no longer stands was never given: it is gone.
    assert not ExportArchive.objects.filter(request=request).exists()


def test_closing_without_a_decision_needs_reasons_and_sends_them(
    member, privacy_officer, django_capture_on_commit_callbacks
):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    with pytest.raises(services.PrivacyRequestError):
        services.privacy_request_close_with_reasons(
            privacy_request=request, actor=privacy_officer, reasons="  "
        )
    with django_capture_on_commit_callbacks(execute=True):
        request = services.privacy_request_close_with_reasons(
            privacy_request=request, actor=privacy_officer, reasons="Retirée par le membre."
        )
    assert request.status == RequestStatus.CLOSED
    assert "Retirée par le membre." in mail.outbox[-1].body
    assert not legal_holds_active(subject=member)


# --- 2. A finished request keeps holding everything --------------------------


def test_an_answered_access_request_holds_nothing_and_the_plan_says_so(member, privacy_officer):
    holder_with_records(member)
    access_fulfilled(member, privacy_officer)
    assert not legal_holds_active(subject=member)
    plan = deletion_plan(user=member)
    assert not [g for g in plan.kept if "blocage" in g.reason]


def test_the_plan_states_each_hold_in_the_readers_language(member, privacy_officer):
    holder_with_records(member)
    open_request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    with translation.override("en"):
        plan = deletion_plan(user=member)
        reasons = {g.reason for g in plan.kept if g.label == "requestsapp.Holder"}
    (reason,) = reasons
    assert f"request {open_request.reference.lower()}" in reason.lower()
    assert "en cours" not in reason and "blocage" not in reason


def test_a_deletion_erases_the_members_export_archives(member, privacy_officer):
    holder_with_records(member)
    access = access_fulfilled(member, privacy_officer)
    archive = ExportArchive.objects.get(request=access)
    assert not archive.is_expired()
    services.privacy_request_close(privacy_request=access, actor=privacy_officer)

    deletion = services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
    plan = deletion_plan(user=member, privacy_request=deletion)
    archives = [g for g in plan.groups if g.label == "privacy.ExportArchive" and g.count]
    # The plan says the archive goes now, not that a valid link "has expired".
    assert [g.action for g in archives] == [PlanAction.ERASE]
    for step in (
        services.privacy_request_start_review,
        services.privacy_request_approve,
        services.privacy_request_fulfil,
    ):
        deletion = step(privacy_request=deletion, actor=privacy_officer)
    assert not ExportArchive.objects.filter(pk=archive.pk).exists()


# --- 3. Partial refusal without recourse --------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_partial_refusal_gives_the_recourse_in_the_members_language(
    privacy_officer, django_capture_on_commit_callbacks, client, language
):
    member = UserFactory(preferred_language=language)
    holder = holder_with_records(member)
    request = services.privacy_request_submit(
        account=member,
        kind=RequestKind.CORRECTION,
        corrections_asked=[
            (token(holder, "full_name"), "Camille Roy"),
            (token(holder, "city"), "Laval"),
            (token(holder, "phone"), "514-555-0100"),
        ],
    )
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    items = {i.field_name: i for i in request.correction_items.all()}
    services.privacy_request_correction_decide(
        privacy_request=request,
        actor=privacy_officer,
        decisions={
            str(items["full_name"].pk): (CorrectionDecision.APPROVED, ""),
            str(items["phone"].pk): (CorrectionDecision.APPROVED, ""),
            str(items["city"].pk): (CorrectionDecision.REFUSED, "Adresse déjà à jour."),
        },
    )
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
    notice = mail.outbox[-1].body
    assert "Adresse déjà à jour." in notice
    assert RECOURSE[language] in notice
    # The partial refusal holds for the recourse period, from the answer.
    (hold,) = legal_holds_active(subject=member)
    assert hold.kind == "recourse"
    assert hold.ends == request.fulfilled_at + timedelta(days=30)
    client.force_login(member)
    with translation.override(language):
        page = client.get(reverse("privacy_request_detail", args=[request.pk]))
    assert RECOURSE[language] in page.content.decode()


# --- 4. One click deletes a member --------------------------------------------


def test_carrying_out_from_the_list_shows_what_happens_to_whom_before_anything(
    client, privacy_officer, member
):
    holder_with_records(member)
    request = services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    client.force_login(privacy_officer)

    page = client.post(QUEUE, {"action": "action_fulfil", "_selected_action": [str(request.pk)]})
    assert page.status_code == 200
    html = page.content.decode()
    assert request.reference in html
    assert "effacée" in html and "Le compte est fermé" in html
    request.refresh_from_db()
    member.refresh_from_db()
    assert request.status == RequestStatus.APPROVED and member.is_active  # nothing yet

    done = client.post(
        QUEUE,
        {
            "action": "action_fulfil",
            "_selected_action": [str(request.pk)],
            "confirmed": "yes",
        },
    )
    assert done.status_code == 302
    request.refresh_from_db()
    member.refresh_from_db()
    assert request.status == RequestStatus.FULFILLED and not member.is_active


# --- 5. The deadline column lies -----------------------------------------------


def test_the_queue_sorts_on_the_effective_date_and_opens_on_open_requests(client, privacy_officer):
    today = timezone.localdate()
    extended, plain, closed = (
        services.privacy_request_submit(account=UserFactory(), kind=RequestKind.ACCESS)
        for _ in range(3)
    )
    # Originally due first, but extended: now due last.
    PrivacyRequest.objects.filter(pk=extended.pk).update(
        due_on=today + timedelta(days=5),
        extended_due_on=today + timedelta(days=40),
        extended_at=timezone.now(),
    )
    PrivacyRequest.objects.filter(pk=plain.pk).update(due_on=today + timedelta(days=10))
    services.privacy_request_close_with_reasons(
        privacy_request=closed, actor=privacy_officer, reasons="En double."
    )
    client.force_login(privacy_officer)
    html = client.get(QUEUE).content.decode()
    assert closed.reference not in html
    assert html.index(plain.reference) < html.index(extended.reference)
    everything = client.get(QUEUE, {"state": "all"}).content.decode()
    assert closed.reference in everything
