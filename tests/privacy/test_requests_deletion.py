"""Deletion: the member sees the plan first; execution does exactly what it said."""

from datetime import timedelta
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from members.models import Dependant, Member
from privacy.datamap.registry import declaration_for
from privacy.requests import services
from privacy.requests.deletion import PlanAction, deletion_plan
from privacy.requests.models import PrivacyRequest, RequestKind
from privacy.requests.selectors import subject_declarations, subject_rows
from tests.factories import (
    PASSWORD,
    DependantFactory,
    MemberFactory,
    fully_populated_member,
    holder_with_records,
)
from tests.requestsapp.models import Holder, Kin, Trace, Visit

pytestmark = pytest.mark.django_db


def groups_by(plan, label):
    return {g.action: g for g in plan.groups if g.label == label and g.count}


def with_an_old_visit(member):
    holder = holder_with_records(member)
    old = Visit.objects.create(
        holder=holder,
        service_on=timezone.localdate() - timedelta(days=7 * 365),
        amount=Decimal("12.00"),
        description="Très ancienne visite",
    )
    return holder, old


def test_the_plan_says_what_is_erased_what_is_kept_why_and_until_when(member):
    holder, old = with_an_old_visit(member)
    plan = deletion_plan(user=member)

    visits = groups_by(plan, "requestsapp.Visit")
    assert visits[PlanAction.ERASE].pks == {old.pk}
    kept = visits[PlanAction.KEEP]
    assert kept.count == 3
    assert kept.reason == "Obligation légale de l’assureur : six ans."
    newest = max(v.service_on for v in holder.visits.exclude(pk=old.pk))
    assert kept.until == newest + timedelta(days=6 * 365)

    assert groups_by(plan, "requestsapp.Kin")[PlanAction.ERASE].count == 2
    assert groups_by(plan, "requestsapp.Trace")[PlanAction.ERASE].count == 2
    assert groups_by(plan, "account.EmailAddress")[PlanAction.ERASE].count == 1
    # Kept visits point to the holder record: it is emptied, not deleted (no cascade).
    holder_groups = groups_by(plan, "requestsapp.Holder")
    assert set(holder_groups) == {PlanAction.ANONYMISE}
    assert set(holder_groups[PlanAction.ANONYMISE].blanked) >= {"full_name", "student_number"}
    assert holder_groups[PlanAction.ANONYMISE].remaining == ("birth_date",)
    assert set(groups_by(plan, "members.User")) == {PlanAction.CLOSE_ACCOUNT}


def test_the_plan_keeps_data_for_the_window_the_purge_applies(member, settings):
    """A retention override in the settings moves the plan's dates, as it moves the purge."""
    holder, _old = with_an_old_visit(member)
    settings.PRIVACY_RETENTION = {"requestsapp.Visit": {"keep_for_days": 10 * 365}}
    kept = groups_by(deletion_plan(user=member), "requestsapp.Visit")[PlanAction.KEEP]
    assert kept.count == 4
    assert kept.until == max(v.service_on for v in holder.visits.all()) + timedelta(days=3650)


def test_the_members_own_requests_are_kept_as_proof_until_three_years_after_closing(
    member, privacy_officer
):
    request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    # Open, the request holds the member's data (and itself) until it closes...
    kept = groups_by(deletion_plan(user=member), "privacy.PrivacyRequest")[PlanAction.KEEP]
    assert kept.reason.startswith("Sous blocage légal")
    assert kept.until is None and kept.until_text == "jusqu’à la levée du blocage"
    # ...closed, it is kept three years as proof of the answer.
    for step in (
        services.privacy_request_start_review,
        services.privacy_request_approve,
        services.privacy_request_fulfil,
        services.privacy_request_close,
    ):
        request = step(privacy_request=request, actor=privacy_officer)
    kept = groups_by(deletion_plan(user=member), "privacy.PrivacyRequest")[PlanAction.KEEP]
    assert kept.count == 1
    assert kept.until == timezone.localdate(request.closed_at) + timedelta(days=3 * 365)
    assert "Commission d’accès à l’information" in kept.reason


def answered(request, officer):
    """Carry a correction request through (its hold is then released)."""
    request = services.privacy_request_start_review(privacy_request=request, actor=officer)
    item = request.correction_items.get()
    services.privacy_request_correction_decide(
        privacy_request=request, actor=officer, decisions={str(item.pk): ("approved", "")}
    )
    for step in (
        services.privacy_request_approve,
        services.privacy_request_fulfil,
        services.privacy_request_close,
    ):
        request = step(privacy_request=request, actor=officer)
    return request


def test_execution_keeps_exactly_what_the_plan_said_and_nothing_else(
    member, other_member, privacy_officer
):
    populated = fully_populated_member(member)
    answered(populated["correction"], privacy_officer)
    Visit.objects.create(
        holder=populated["holder"],
        service_on=timezone.localdate() - timedelta(days=7 * 365),
        amount=Decimal("12.00"),
    )
    others = holder_with_records(other_member)
    other_record = MemberFactory(user=other_member)
    DependantFactory(member=other_record)
    request = services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    plan = deletion_plan(user=member, privacy_request=request)
    surviving = plan.surviving()
    before = {
        d.label: set(subject_rows(declaration=d, user=member).values_list("pk", flat=True))
        for d in subject_declarations()
    }

    services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)

    for declaration in subject_declarations():
        after = set(subject_rows(declaration=declaration, user=member).values_list("pk", flat=True))
        # Rows created by the execution itself (its own timeline) are not the plan's business.
        after &= before[declaration.label]
        assert after == surviving.get(declaration.label, set()), declaration.label
    # The snapshot recorded matches what was done.
    request.refresh_from_db()
    executed = {
        (g["model"], g["action"]): g["count"] for g in request.deletion_plan["executed"]["groups"]
    }
    assert executed[("requestsapp.Visit", "keep")] == 3
    assert executed[("requestsapp.Visit", "erase")] == 1
    assert executed[("requestsapp.Kin", "erase")] == 2
    # Another member is untouched.
    assert Kin.objects.filter(holder=others).count() == 2
    assert Visit.objects.filter(holder=others).count() == 3
    assert Trace.objects.filter(user=other_member).count() == 2
    assert Dependant.objects.filter(member=other_record).count() == 1
    # Claims and enrolments are kept by law and point to the plan record and the covered
    # child: those are emptied of what identifies, not deleted; the other dependant goes.
    record = Member.objects.get(user=member)
    assert (record.first_name, record.last_name, record.student_number) == ("", "", "")
    assert record.claimed_at is not None  # "claimed iff linked to an account" still holds
    assert executed[("members.Dependant", "anonymise")] == 1
    assert executed[("members.Dependant", "erase")] == 1
    assert executed[("coverage.Claim", "keep")] > 0


def test_anonymised_records_lose_their_identifying_values(member, privacy_officer):
    holder, _old = with_an_old_visit(member)
    request = services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
    holder = Holder.objects.get(pk=holder.pk)
    assert holder.full_name == ""
    assert holder.student_number == ""
    assert holder.phone == ""
    assert holder.city == ""
    assert holder.student_number_index is None


def test_the_closed_account_cannot_sign_in_and_its_sign_in_addresses_are_gone(
    client, member, privacy_officer
):
    address = member.email
    request = services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
    request = services.privacy_request_start_review(privacy_request=request, actor=privacy_officer)
    request = services.privacy_request_approve(privacy_request=request, actor=privacy_officer)
    services.privacy_request_fulfil(privacy_request=request, actor=privacy_officer)
    member.refresh_from_db()
    assert not member.is_active
    assert member.email.endswith("@deleted.invalid")
    assert member.last_login is None
    assert not EmailAddress.objects.filter(user=member).exists()
    client.post("/fr/compte/login/", {"login": address, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    # The request itself stays, as proof of the answer.
    assert PrivacyRequest.objects.filter(pk=request.pk).exists()


def test_the_plan_shown_to_the_member_is_recorded_with_the_request(member):
    holder_with_records(member)
    request = services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
    shown = {(g["model"], g["action"]) for g in request.deletion_plan["shown"]["groups"]}
    assert ("requestsapp.Kin", "erase") in shown
    assert ("requestsapp.Visit", "keep") in shown
    assert ("members.User", "close_account") in shown
    # Counts and dates only: no value of the member's in the snapshot.
    text = str(request.deletion_plan)
    assert member.email not in text
    assert Holder.objects.get(user=member).full_name not in text


def test_rows_under_a_legal_hold_are_kept_while_it_lasts(member, privacy_officer):
    from privacy.retention import api as retention

    holder_with_records(member)
    ends = timezone.now() + timedelta(days=40)
    retention.legal_hold_place(
        subject=member, kind="explicit", reason="Litige en cours.", ends=ends
    )
    plan = deletion_plan(user=member)
    kin = groups_by(plan, "requestsapp.Kin")
    assert set(kin) == {PlanAction.KEEP}
    assert "Litige en cours." in kin[PlanAction.KEEP].reason
    assert kin[PlanAction.KEEP].until == timezone.localdate(ends)
    # Sessions are not holdable: they go anyway.
    assert declaration_for("usersessions.UserSession").holdable is False


def test_the_deletion_requests_own_hold_does_not_keep_anything(member, privacy_officer):
    holder_with_records(member)
    request = services.privacy_request_submit(account=member, kind=RequestKind.DELETION)
    plan = deletion_plan(user=member, privacy_request=request)
    assert set(groups_by(plan, "requestsapp.Kin")) == {PlanAction.ERASE}
    # ...whereas another open request's hold does.
    services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    plan = deletion_plan(user=member, privacy_request=request)
    assert set(groups_by(plan, "requestsapp.Kin")) == {PlanAction.KEEP}
