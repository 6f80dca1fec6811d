"""Each members action writes its audit row with it; the member sees staff views of their file."""

from datetime import date

import pytest
from django.db import transaction

from members import services
from members.models import ActivityEvent, Dependant
from privacy import roles
from privacy.models import AuditEntry

pytestmark = pytest.mark.django_db

ACTIVITY_URL = "/fr/mon-compte/activite/"


def test_adding_a_dependant_writes_activity_and_audit_rows_about_the_member(member_record):
    dependant = services.dependant_add(
        member=member_record,
        relationship="child",
        first_name="Léa",
        last_name="Tremblay",
        date_of_birth=date(2018, 5, 9),
    )
    entry = AuditEntry.objects.get(action="members.dependant_add")
    assert entry.subject_id == str(member_record.user.pk)
    assert entry.object_id == str(dependant.pk)
    assert "Léa" not in str(AuditEntry.objects.filter(pk=entry.pk).values().get())
    assert ActivityEvent.objects.filter(user=member_record.user, object_id=dependant.pk).exists()


def test_an_action_and_its_audit_row_roll_back_together(member_record):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.dependant_add(
            member=member_record,
            relationship="child",
            first_name="Léa",
            last_name="Tremblay",
            date_of_birth=date(2018, 5, 9),
        )
        raise RuntimeError("the caller fails after the service")
    assert not Dependant.objects.exists()
    assert not AuditEntry.objects.filter(action="members.dependant_add").exists()
    assert not ActivityEvent.objects.filter(kind="dependant_added").exists()


def test_every_claim_attempt_is_audited(member, other_member_record):
    services.member_claim(
        user=member,
        association=other_member_record.association,
        student_number=other_member_record.student_number,
        date_of_birth=other_member_record.date_of_birth,
    )
    entry = AuditEntry.objects.get(action="members.claim")
    assert entry.subject_id == str(member.pk)
    assert entry.object_type == "members.ClaimAttempt"


def test_the_member_sees_which_staff_role_opened_their_record(
    client, staff_in_role, member_record, other_member_record
):
    agent = staff_in_role(roles.MEMBER_SERVICES)
    client.force_login(agent)
    assert client.get(f"/admin/members/member/{member_record.pk}/change/").status_code == 200

    client.force_login(member_record.user)
    page = client.get(ACTIVITY_URL).content.decode()
    assert "Service aux membres" in page
    assert agent.email not in page

    client.force_login(other_member_record.user)
    page = client.get(ACTIVITY_URL).content.decode()
    assert "Aucun membre du personnel n’a consulté votre dossier." in page
