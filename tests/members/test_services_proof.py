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
