"""Staff access transparency (P25) and masking: every look is logged, and the member sees it."""

from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from privacy import roles
from privacy.adminkit.masking import mask_value
from privacy.models import AuditEntry
from privacy.staff.selectors import staff_views_of
from tests.factories import UserFactory
from tests.staffapp.models import CaseFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(staff_in_role):
    return staff_in_role(roles.MEMBER_SERVICES)


@pytest.fixture
def case_file(member):
    return CaseFile.objects.create(
        owner=member, student_number="STU20261234", date_of_birth=date(2001, 2, 3)
    )


def grant(user, *codenames):
    from django.contrib.auth.models import Permission

    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


def test_a_staff_view_of_a_member_is_audited_and_the_member_sees_it(client, agent, member):
    client.force_login(agent)
    response = client.get(f"/admin/members/user/{member.pk}/change/")
    assert response.status_code == 200

    entry = AuditEntry.objects.get(action="admin.view")
    assert entry.actor_id == str(agent.pk)
    assert entry.actor_role == roles.MEMBER_SERVICES
    assert (entry.object_type, entry.object_id) == ("members.User", str(member.pk))
    assert entry.subject_id == str(member.pk)
    assert entry.ip_prefix == "127.0.0.0"

    (view,) = staff_views_of(user=member)
    assert view.role == roles.MEMBER_SERVICES
    assert str(view.role_label) == str(roles.ROLE_LABELS[roles.MEMBER_SERVICES])
    assert view.viewed_at == entry.created_at
    assert view.object_type == "members.User"
    assert view.as_dict()["role"] == roles.MEMBER_SERVICES


def test_the_member_sees_roles_never_staff_names_or_emails(client, agent, member):
    client.force_login(agent)
    client.get(f"/admin/members/user/{member.pk}/change/")
    with translation.override("fr"):
        html = render_to_string(
            "privacy/_staff_views.html", {"staff_views": staff_views_of(user=member)}
        )
    assert "Service aux membres" in html
    assert agent.email not in html
    assert str(agent.pk) not in html


def test_another_member_sees_nothing_of_it(client, agent, member, other_member):
    client.force_login(agent)
    client.get(f"/admin/members/user/{member.pk}/change/")
    assert staff_views_of(user=other_member) == []


def test_since_limits_the_views_returned(client, agent, member):
    client.force_login(agent)
    client.get(f"/admin/members/user/{member.pk}/change/")
    assert staff_views_of(user=member, since=timezone.now() - timedelta(minutes=1))
    assert staff_views_of(user=member, since=timezone.now() + timedelta(minutes=1)) == []


def test_the_subject_is_resolved_through_the_data_map_path(client, agent, member, case_file):
    grant(agent, "view_casefile")
    client.force_login(agent)
    assert client.get(f"/admin/staffapp/casefile/{case_file.pk}/change/").status_code == 200
    entry = AuditEntry.objects.get(action="admin.view")
    assert (entry.object_type, entry.object_id) == ("staffapp.CaseFile", str(case_file.pk))
    assert entry.subject_id == str(member.pk)  # CaseFile declares subject="owner"
    assert [v.object_type for v in staff_views_of(user=member)] == ["staffapp.CaseFile"]


def test_a_change_in_admin_is_audited_with_field_names_only(client, case_file, staff_in_role):
    agent = staff_in_role(roles.MEMBER_SERVICES)
    grant(agent, "view_casefile", "change_casefile")
    client.force_login(agent)
    response = client.post(
        f"/admin/staffapp/casefile/{case_file.pk}/change/",
        {
            "owner": str(case_file.owner_id),
            "student_number": "STU20269999",
            "date_of_birth": "2001-02-03",
            "status": "active",
        },
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.change")
    assert entry.metadata == {"fields": ["student_number"]}
    assert entry.subject_id == str(case_file.owner_id)


def test_no_view_is_recorded_when_permission_is_refused(client, staff_in_role, case_file):
    client.force_login(staff_in_role(roles.OPERATOR))
    assert client.get(f"/admin/staffapp/casefile/{case_file.pk}/change/").status_code == 403
    assert not AuditEntry.objects.filter(action="admin.view").exists()


def test_a_member_looking_at_their_own_data_is_not_a_staff_view(member):
    from django.db import transaction

    from privacy.audit.chain import audit_record

    with transaction.atomic():
        audit_record(action="admin.view", actor=member, obj=member)
    assert staff_views_of(user=member) == []


# --- Masking ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "keep", "masked"),
    [
        ("STU20261234", 4, "••••1234"),
        ("abc", 4, "••••"),
        (date(2001, 2, 3), 0, "••••"),
        ("", 4, "—"),
        (None, 4, "—"),
    ],
)
def test_mask_value(value, keep, masked):
    assert mask_value(value, keep_last=keep) == masked


def test_sensitive_values_are_masked_in_admin_lists(client, agent, case_file):
    grant(agent, "view_casefile")
    client.force_login(agent)
    html = client.get("/admin/staffapp/casefile/").content.decode()
    assert "STU20261234" not in html
    assert "••••234" in html
    result_list = html.split('id="result_list"')[1]
    assert "2001" not in result_list  # the date of birth is masked entirely
    assert "••••</span>" in result_list
    assert f"/admin/staffapp/casefile/{case_file.pk}/reveal/student_number/" in html


def test_member_emails_are_masked_in_the_account_list(client, agent, member):
    client.force_login(agent)
    html = client.get("/admin/members/user/").content.decode()
    assert member.email not in html
    assert "••••" + member.email[-4:] in html


def test_revealing_is_a_deliberate_post_that_is_logged(client, agent, case_file):
    grant(agent, "view_casefile")
    client.force_login(agent)
    url = f"/admin/staffapp/casefile/{case_file.pk}/reveal/student_number/"

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "STU20261234" not in confirm.content.decode()
    assert not AuditEntry.objects.filter(action="admin.reveal").exists()

    revealed = client.post(url)
    assert revealed.status_code == 200
    assert "STU20261234" in revealed.content.decode()
    assert "no-store" in revealed["Cache-Control"]
    entry = AuditEntry.objects.get(action="admin.reveal")
    assert entry.metadata == {"field": "student_number"}
    assert entry.subject_id == str(case_file.owner_id)
    assert [v.action for v in staff_views_of(user=case_file.owner)] == ["admin.reveal"]


def test_reveal_needs_view_permission_and_a_masked_field(client, staff_in_role, case_file):
    operator = staff_in_role(roles.OPERATOR)
    client.force_login(operator)
    url = f"/admin/staffapp/casefile/{case_file.pk}/reveal/student_number/"
    assert client.post(url).status_code == 403
    agent = staff_in_role(roles.MEMBER_SERVICES)
    grant(agent, "view_casefile")
    client.force_login(agent)
    assert client.post(f"/admin/staffapp/casefile/{case_file.pk}/reveal/status/").status_code == 404
    assert not AuditEntry.objects.filter(action="admin.reveal").exists()


# --- No personal value in any audit entry --------------------------------------


def personal_values(obj) -> list[str]:
    """The values of every field the data map declares personal for this object."""
    from privacy.datamap.registry import declaration_for

    declaration = declaration_for(type(obj))
    values = []
    for name in declaration.personal_names:
        value = getattr(obj, name)
        if value in (None, "", [], {}):
            continue
        if hasattr(value, "pk"):
            continue  # a related row: its id, not a value
        values.append(str(value))
        if hasattr(value, "isoformat"):
            values.append(value.isoformat())
    return values


def test_no_audit_entry_contains_a_personal_value(client, staff_in_role, member, case_file):
    from privacy.models import Processor
    from privacy.registers.services import disclosure_record

    agent = staff_in_role(roles.MEMBER_SERVICES, email="agent.privee@example.org")
    grant(agent, "view_casefile", "change_casefile")
    client.force_login(agent)
    client.get(f"/admin/members/user/{member.pk}/change/")
    client.get(f"/admin/staffapp/casefile/{case_file.pk}/change/")
    client.post(f"/admin/staffapp/casefile/{case_file.pk}/reveal/student_number/")
    client.post(f"/admin/staffapp/casefile/{case_file.pk}/reveal/date_of_birth/")
    client.post(
        f"/admin/staffapp/casefile/{case_file.pk}/change/",
        {
            "owner": str(member.pk),
            "student_number": "STU20265678",
            "date_of_birth": "1999-12-31",
            "status": "active",
        },
    )
    processor = Processor.objects.create(
        name="Courriel inc.",
        purpose="Courriel",
        categories=["contact"],
        contract_on_file=True,
        contract_date=date(2026, 1, 1),
    )
    disclosure = disclosure_record(
        recipient=processor, subject=member, categories=["contact"], legal_basis="processor_mandate"
    )
    member.refresh_from_db()
    agent.refresh_from_db()
    case_file.refresh_from_db()
    objects = [member, agent, case_file, disclosure, UserFactory(email="someone@example.org")]
    old_case_values = ["STU20261234", "2001-02-03"]

    entries = list(AuditEntry.objects.all())
    assert len(entries) >= 6
    forbidden = [v for obj in objects for v in personal_values(obj)] + old_case_values
    assert "STU20265678" in forbidden and member.email in forbidden
    for entry in entries:
        for field in AuditEntry._meta.concrete_fields:
            column = str(getattr(entry, field.attname))
            for value in forbidden:
                if len(value) >= 4:
                    assert value not in column, (entry.action, field.name)
                else:  # short codes ("fr") only as a whole value
                    assert value != column, (entry.action, field.name)
                    assert value not in entry.metadata.values(), (entry.action, field.name)
