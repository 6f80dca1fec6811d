"""What members/services.py promises, each checked where a change would hurt a member:
unlinking drops what the wrong account chose, and each action leaves its audit row."""

from datetime import date

import pytest

from members import services
from members.models import ActivityEvent, Dependant, Member, MemberLocation
from privacy.models import AuditEntry
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_unlinking_drops_the_location_the_wrong_account_stored(member_record, staff):
    services.location_remember(member=member_record, area="H3B", consent=True)
    other = MemberFactory(user=UserFactory())
    services.location_remember(member=other, area="G1R", consent=True)
    assert MemberLocation.objects.filter(member=member_record).exists()

    assert services.member_unlink(member=member_record, by=staff)

    assert not MemberLocation.objects.filter(member=member_record).exists()
    assert Member.objects.get(pk=member_record.pk).user_id is None
    # Another member's location is theirs: it stays.
    assert MemberLocation.objects.get(member=other).area == "G1R"


def test_unlinking_clears_the_agreement_and_writes_activity_and_audit_rows(member_record, staff):
    user = member_record.user
    services.member_profile_update(member=member_record, changes={"updates_opt_in": True})
    assert Member.objects.get(pk=member_record.pk).updates_opt_in_at is not None

    assert services.member_unlink(member=member_record, by=staff) is True

    member = Member.objects.get(pk=member_record.pk)
    assert (member.user, member.claimed_at) == (None, None)
    assert (member.updates_opt_in, member.updates_opt_in_at) == (False, None)
    event = ActivityEvent.objects.get(user=user, kind=ActivityEvent.Kind.RECORD_UNLINKED)
    assert event.object_id == member.pk
    entry = AuditEntry.objects.get(action="members.unlink")
    assert (entry.actor_id, entry.subject_id) == (str(staff.pk), str(user.pk))
    assert (entry.object_type, entry.object_id) == ("members.Member", str(member.pk))
    # Nothing to undo the second time: no second row.
    assert services.member_unlink(member=member_record, by=staff) is False
    assert AuditEntry.objects.filter(action="members.unlink").count() == 1


def test_a_profile_update_writes_one_audit_row_naming_the_member_and_who_acted(
    member_record, staff
):
    user = member_record.user
    changed = services.member_profile_update(
        member=member_record, changes={"phone": "514 555-0199", "city": "Laval"}
    )
    assert changed == ["phone", "city"]
    entry = AuditEntry.objects.get(action="members.profile_update")
    assert (entry.actor_id, entry.subject_id) == (str(user.pk), str(user.pk))
    assert (entry.object_type, entry.object_id) == ("members.Member", str(member_record.pk))
    row = str(AuditEntry.objects.filter(pk=entry.pk).values().get())
    assert "514 555-0199" not in row
    assert "Laval" not in row
    event = ActivityEvent.objects.get(kind=ActivityEvent.Kind.PROFILE_UPDATED)
    assert event.changed_fields == "phone,city"

    # Staff helping by phone: the staff member is the actor, the member the subject.
    services.member_profile_update(member=member_record, changes={"city": "Gatineau"}, actor=staff)
    by_staff = AuditEntry.objects.filter(action="members.profile_update").latest("pk")
    assert (by_staff.actor_id, by_staff.subject_id) == (str(staff.pk), str(user.pk))


def test_a_profile_update_that_changes_nothing_writes_no_row(member_record):
    assert services.member_profile_update(member=member_record, changes={"city": "Montréal"}) == []
    assert not AuditEntry.objects.filter(action="members.profile_update").exists()
    assert not ActivityEvent.objects.filter(kind=ActivityEvent.Kind.PROFILE_UPDATED).exists()


def test_preferences_and_contact_changes_are_recorded_as_two_kinds(member_record):
    changed = services.member_profile_update(
        member=member_record,
        changes={"preferred_language": "en", "updates_opt_in": True, "email": "a@example.org"},
    )
    assert changed == ["preferred_language", "updates_opt_in", "email", "updates_opt_in_at"]
    member_record.user.refresh_from_db()
    assert member_record.user.preferred_language == "en"
    kinds = dict(
        ActivityEvent.objects.filter(user=member_record.user).values_list("kind", "changed_fields")
    )
    assert kinds[ActivityEvent.Kind.PROFILE_UPDATED] == "email"
    assert kinds[ActivityEvent.Kind.PREFERENCES_UPDATED] == "preferred_language,updates_opt_in"
    services.member_profile_update(member=member_record, changes={"updates_opt_in": False})
    assert Member.objects.get(pk=member_record.pk).updates_opt_in_at is None


def test_an_insurer_owned_field_is_refused_and_nothing_is_written(member_record):
    with pytest.raises(ValueError, match="last_name"):
        services.member_profile_update(member=member_record, changes={"last_name": "Autre"})
    assert not AuditEntry.objects.filter(action="members.profile_update").exists()


def test_removing_a_dependant_writes_activity_and_audit_rows_naming_the_dependant(
    member_record,
):
    user = member_record.user
    dependant = services.dependant_add(
        member=member_record,
        relationship=Dependant.Relationship.CHILD,
        first_name="Léa",
        last_name="Tremblay",
        date_of_birth=date(2018, 5, 9),
    )
    dependant_pk = dependant.pk

    services.dependant_remove(dependant=dependant)

    assert not Dependant.objects.filter(pk=dependant_pk).exists()
    entry = AuditEntry.objects.get(action="members.dependant_remove")
    assert (entry.actor_id, entry.subject_id) == (str(user.pk), str(user.pk))
    assert (entry.object_type, entry.object_id) == ("members.Dependant", str(dependant_pk))
    assert "Léa" not in str(AuditEntry.objects.filter(pk=entry.pk).values().get())
    event = ActivityEvent.objects.get(kind=ActivityEvent.Kind.DEPENDANT_REMOVED)
    assert (event.user, event.object_type, event.object_id) == (user, "dependant", dependant_pk)


def test_a_dependant_of_an_unclaimed_record_is_removed_with_an_audit_row_and_no_activity():
    record = MemberFactory()
    dependant = services.dependant_add(
        member=record,
        relationship=Dependant.Relationship.SPOUSE,
        first_name="Alex",
        last_name="Roy",
        date_of_birth=date(1999, 3, 1),
    )
    assert dependant.suffix == Dependant.SPOUSE_SUFFIX
    services.dependant_remove(dependant=dependant)
    entry = AuditEntry.objects.get(action="members.dependant_remove")
    assert (entry.actor_id, entry.subject_id) == ("", "")
    assert not ActivityEvent.objects.exists()


def test_a_claim_is_recorded_with_its_coarse_origin_and_returns_the_record(member, staff):
    from members.origin import Origin

    record = MemberFactory()
    origin = Origin(ip_network="203.0.113.0", device_family="phone")
    result = services.member_claim(
        user=member,
        association=record.association,
        student_number=record.student_number,
        date_of_birth=record.date_of_birth,
        origin=origin,
    )
    assert result.succeeded
    assert result.member == record
    event = ActivityEvent.objects.get(user=member, kind=ActivityEvent.Kind.CLAIM_SUCCEEDED)
    assert (event.ip_network, event.device_family) == ("203.0.113.0", "phone")
    assert (event.object_type, event.object_id) == ("member", record.pk)
    entry = AuditEntry.objects.get(action="members.claim")
    assert (entry.actor_id, entry.subject_id) == (str(member.pk), str(member.pk))

    again = services.member_claim(
        user=UserFactory(),
        association=record.association,
        student_number=record.student_number,
        date_of_birth=record.date_of_birth,
    )
    assert not again.succeeded
    assert again.member is None
    failed = ActivityEvent.objects.get(kind=ActivityEvent.Kind.CLAIM_FAILED)
    assert (failed.object_type, failed.object_id) == ("", None)


def test_a_sign_in_is_recorded_with_its_coarse_origin(member):
    from members.origin import Origin

    origin = Origin(ip_network="198.51.100.0", device_family="desktop")
    event = services.activity_record_sign_in(user=member, origin=origin)
    event.refresh_from_db()
    assert (event.kind, event.ip_network, event.device_family) == (
        ActivityEvent.Kind.SIGN_IN,
        "198.51.100.0",
        "desktop",
    )


# --- Claim: the rate limits and the race, as members and staff meet them ---------


def _claim(user, record, origin=None, **overrides):
    from members.origin import NO_ORIGIN

    values = {
        "association": record.association,
        "student_number": record.student_number,
        "date_of_birth": record.date_of_birth,
        **overrides,
    }
    return services.member_claim(user=user, origin=origin or NO_ORIGIN, **values)


def test_one_accounts_failed_claims_do_not_lock_out_another_account(settings):
    from members.models import ClaimAttempt
    from members.origin import Origin

    settings.MEMBERS_CLAIM_RATE_LIMIT = "2/h"
    settings.MEMBERS_CLAIM_RATE_LIMIT_PER_NETWORK = "100/h"
    record = MemberFactory()
    origin = Origin(ip_network="198.51.100.0")
    guesser = UserFactory()
    for _ in range(3):
        _claim(guesser, record, origin, date_of_birth=date(1990, 1, 1))
    assert _claim(guesser, record, origin).rate_limited

    # Another student on the same network, with their own two attempts: not refused.
    result = _claim(UserFactory(), record, origin)
    assert result.succeeded
    assert ClaimAttempt.objects.filter(outcome=ClaimAttempt.Outcome.RATE_LIMITED).count() == 2


def test_a_claim_limit_lifts_once_its_window_has_passed(settings):
    """Per account and per network: a window of one second, then the right answers link."""
    import time

    from members.origin import Origin

    settings.MEMBERS_CLAIM_RATE_LIMIT = "1/s"
    settings.MEMBERS_CLAIM_RATE_LIMIT_PER_NETWORK = "1/s"
    record = MemberFactory()
    origin = Origin(ip_network="203.0.113.0")
    user = UserFactory()
    assert not _claim(user, record, origin, date_of_birth=date(1990, 1, 1)).succeeded
    assert _claim(user, record, origin).rate_limited
    time.sleep(1.1)
    result = _claim(user, record, origin)
    assert result.succeeded
    assert result.member == record


def test_a_student_number_of_only_spaces_matches_no_record_and_is_recorded(member):
    from members.models import ClaimAttempt

    record = MemberFactory()
    result = _claim(member, record, student_number="   ")
    assert not result.succeeded
    assert ClaimAttempt.objects.get(user=member).outcome == ClaimAttempt.Outcome.NO_MATCH
    record.refresh_from_db()
    assert record.user is None


def test_claiming_one_record_leaves_the_other_unclaimed_records_alone(member):
    record = MemberFactory()
    others = [MemberFactory(association=record.association) for _ in range(2)]
    assert _claim(member, record).succeeded
    assert Member.objects.get(pk=record.pk).user == member
    assert [Member.objects.get(pk=o.pk).user_id for o in others] == [None, None]


def test_a_record_linked_by_someone_else_during_the_claim_stays_theirs(member):
    """The race: another account links the record between the lookup and the write.

    The real lookup runs; right after it, a real claim by the other account commits
    (what a concurrent request would do). The record is not taken from the winner.
    """
    from unittest import mock

    from members.models import ClaimAttempt

    record = MemberFactory()
    winner = UserFactory()
    real_lookup, raced = services._claim_lookup, []

    def lookup_then_someone_else_claims(**kwargs):
        found = real_lookup(**kwargs)
        if not raced:  # once: the other claim runs its own lookup unchanged
            raced.append(True)
            assert _claim(winner, record).succeeded
        return found

    with mock.patch.object(services, "_claim_lookup", side_effect=lookup_then_someone_else_claims):
        result = _claim(member, record)

    assert not result.succeeded
    assert result.member is None
    assert Member.objects.get(pk=record.pk).user == winner
    attempt = ClaimAttempt.objects.get(user=member)
    assert attempt.outcome == ClaimAttempt.Outcome.ALREADY_CLAIMED
    assert ActivityEvent.objects.filter(user=member, kind=ActivityEvent.Kind.CLAIM_FAILED).exists()


def test_an_account_that_linked_another_record_during_the_claim_keeps_only_that_one(member):
    """The race the other way: this account links a second record in another request."""
    from unittest import mock

    from members.models import ClaimAttempt

    record = MemberFactory()
    first = MemberFactory()
    real_lookup, raced = services._claim_lookup, []

    def lookup_then_this_account_claims_another(**kwargs):
        found = real_lookup(**kwargs)
        if not raced:  # once: the other claim runs its own lookup unchanged
            raced.append(True)
            assert _claim(member, first).succeeded
        return found

    with mock.patch.object(
        services, "_claim_lookup", side_effect=lookup_then_this_account_claims_another
    ):
        result = _claim(member, record)

    assert not result.succeeded
    assert Member.objects.get(pk=record.pk).user_id is None
    assert Member.objects.get(pk=first.pk).user == member
    outcomes = set(ClaimAttempt.objects.filter(user=member).values_list("outcome", flat=True))
    assert outcomes == {ClaimAttempt.Outcome.CLAIMED, ClaimAttempt.Outcome.ALREADY_LINKED}


def test_saving_a_location_is_recorded_with_its_coarse_origin(member_record):
    from members.origin import Origin

    origin = Origin(ip_network="192.0.2.0", device_family="tablet")
    services.location_remember(member=member_record, area="H2X", consent=True, origin=origin)
    event = ActivityEvent.objects.get(kind=ActivityEvent.Kind.LOCATION_SAVED)
    assert (event.user, event.ip_network, event.device_family) == (
        member_record.user,
        "192.0.2.0",
        "tablet",
    )


def test_the_site_a_member_uses_is_remembered_as_a_host_name_and_kept_without_one(member):
    """Later mails carry the brand of this site: a sign-in without a host keeps it."""
    from members.models import User

    services.user_portal_host_remember(user=member, host=" Mobile.StudentCare.ca ")
    assert User.objects.get(pk=member.pk).portal_host == "mobile.studentcare.ca"
    assert member.portal_host == "mobile.studentcare.ca"

    services.user_portal_host_remember(user=member, host="")  # a script, a test client
    assert User.objects.get(pk=member.pk).portal_host == "mobile.studentcare.ca"

    services.user_portal_host_remember(user=member, host="aseq.ca")
    assert User.objects.get(pk=member.pk).portal_host == "aseq.ca"

    # Never longer than a DNS name (253), which the column holds.
    services.user_portal_host_remember(user=member, host="a" * 300)
    assert User.objects.get(pk=member.pk).portal_host == "a" * 253
