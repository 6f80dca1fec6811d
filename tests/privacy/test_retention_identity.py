"""Identity records have a retention rule: the record, its dependants and the account end.

A member whose coverage ended past the window leaves nothing behind but what a
declared rule still keeps, the ledger counts each model, and a purged member
cannot sign in to an empty shell.
"""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from coverage.demo import enrolment_seed
from coverage.models import Benefit, Claim, Enrolment
from members.models import ActivityEvent, Dependant, Member, MemberLocation, User
from privacy.audit.chain import audit_verify
from privacy.datamap.registry import datamap_inventory
from privacy.requests import services
from privacy.requests.models import PrivacyRequest, RequestKind
from privacy.retention.api import retention_purge
from tests.factories import PASSWORD, ClaimFactory, DependantFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG_AGO = timedelta(days=8 * 365)


def a_member_whose_coverage_ended_long_ago(plan):
    user = UserFactory()
    record = MemberFactory(association=plan.association, user=user)
    child = DependantFactory(member=record)
    enrolment_seed(member=record, plan=plan, dependants=[child])
    benefit = Benefit.objects.get(plan=plan, key="physiotherapy")
    ClaimFactory(member=record, dependant=child, benefit=benefit, service_date=plan.starts_on)
    MemberLocation.objects.create(member=record, area="H2X")
    ActivityEvent.objects.create(user=user, kind=ActivityEvent.Kind.SIGN_IN)
    then = timezone.now() - LONG_AGO
    Enrolment.objects.filter(member=record).update(policy_year_end=then.date())
    Claim.objects.filter(member=record).update(policy_year_end=then.date())
    Member.objects.filter(pk=record.pk).update(updated_at=then)
    Dependant.objects.filter(pk=child.pk).update(updated_at=then)
    MemberLocation.objects.filter(member=record).update(recorded_at=then)
    ActivityEvent.objects.filter(user=user).update(occurred_at=then)
    User.objects.filter(pk=user.pk).update(date_joined=then, last_login=then)
    return user, record, child


def test_a_member_whose_coverage_ended_past_the_window_leaves_nothing_behind(plan, coverage_member):
    user, record, child = a_member_whose_coverage_ended_long_ago(plan)

    run = retention_purge(started_by="command")

    assert not Member.objects.filter(pk=record.pk).exists()
    assert not Dependant.objects.filter(pk=child.pk).exists()
    assert not Enrolment.objects.filter(member_id=record.pk).exists()
    assert not Claim.objects.filter(member_id=record.pk).exists()
    assert not MemberLocation.objects.filter(member_id=record.pk).exists()
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(user_id=user.pk).exists()
    assert not ActivityEvent.objects.filter(user_id=user.pk).exists()
    # The ledger counts each model the person's data was in (counts, never values).
    counts = {line.model_label: line.count for line in run.lines.all()}
    assert counts["members.Member"] == 1
    assert counts["members.Dependant"] == 1
    assert counts["members.User"] == 1
    assert counts["coverage.Claim"] == 1
    assert counts["coverage.Enrolment"] == 4  # two parts, member and child
    # A current member is untouched; the chain of the audit log still verifies.
    assert Member.objects.filter(pk=coverage_member.pk).exists()
    assert User.objects.filter(pk=coverage_member.user_id).exists()
    assert audit_verify().ok


def test_a_record_still_needed_by_a_claim_is_kept_until_the_claim_goes(plan):
    user, record, child = a_member_whose_coverage_ended_long_ago(plan)
    Claim.objects.filter(member=record).update(policy_year_end=timezone.localdate())

    run = retention_purge(started_by="command")

    assert Member.objects.filter(pk=record.pk).exists()
    assert Dependant.objects.filter(pk=child.pk).exists()
    assert User.objects.get(pk=user.pk).is_active
    lines = {line.model_label: line for line in run.lines.all()}
    assert (lines["members.Member"].count, lines["members.Member"].blocked) == (0, 1)


def test_a_purged_member_cannot_sign_in_to_an_empty_shell(plan, client, privacy_officer):
    user, record, _child = a_member_whose_coverage_ended_long_ago(plan)
    # A request answered recently is proof kept three years: the account it points to stays.
    request = services.privacy_request_submit(account=user, kind=RequestKind.ACCESS)
    services.privacy_request_close_with_reasons(
        privacy_request=request, actor=privacy_officer, reasons="Demande retirée."
    )
    assert client.login(email=user.email, password=PASSWORD)
    client.logout()

    retention_purge(started_by="command")

    assert not Member.objects.filter(pk=record.pk).exists()
    assert PrivacyRequest.objects.filter(pk=request.pk).exists()  # its own rule keeps it
    account = User.objects.get(pk=user.pk)
    assert not account.is_active and not account.has_usable_password()
    assert not client.login(email=user.email, password=PASSWORD)


def test_an_unused_account_with_no_record_goes_after_its_window(db):
    unused = UserFactory()
    used = UserFactory()
    staff = UserFactory(is_staff=True)
    then = timezone.now() - timedelta(days=181)
    User.objects.filter(pk__in=[unused.pk, staff.pk]).update(date_joined=then, last_login=None)
    User.objects.filter(pk=used.pk).update(date_joined=then, last_login=timezone.now())

    retention_purge(started_by="command", model_label="members.User")

    assert set(User.objects.values_list("pk", flat=True)) >= {used.pk, staff.pk}
    assert not User.objects.filter(pk=unused.pk).exists()


def test_the_inventory_states_the_rules_for_records_dependants_and_accounts(db):
    entries = {entry.label: entry for entry in datamap_inventory()}
    for label in ("members.Member", "members.Dependant", "members.User"):
        assert entries[label].retention is not None, label
        assert str(entries[label].retention.reason), label
    assert "Loi 25" in str(entries["members.User"].retention.reason)


def test_the_deletion_plan_states_the_records_rule_and_its_legal_reason(coverage_member, plan):
    from members.personal_data import RECORD_REASON
    from privacy.requests.deletion import PlanAction, deletion_plan

    benefit = Benefit.objects.get(plan=plan, key="physiotherapy")
    ClaimFactory(member=coverage_member, benefit=benefit, service_date=plan.starts_on)
    groups = deletion_plan(user=coverage_member.user).groups
    (record,) = [g for g in groups if g.label == "members.Member" and g.count]
    # Claims kept by law point to the record: emptied now, and the rule that ends it is stated.
    assert record.action == PlanAction.ANONYMISE
    assert str(RECORD_REASON) in record.reason
