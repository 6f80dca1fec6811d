"""Roles: least-privilege groups; each reaches what it needs and gets 403 elsewhere."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission

from privacy import roles
from privacy.roles import role_permissions, roles_sync
from privacy.rotation.services import key_census_take

pytestmark = pytest.mark.django_db

# The models that exist today; models other apps add later are covered by the
# invariants below and by the changelist walk.
PINNED_MODELS = {
    "members": {
        "user",
        "association",
        "member",
        "dependant",
        "activityevent",
        "claimattempt",
        "provider",
        "memberlocation",
    },
    "coverage": {"plan", "benefitcategory", "combinedmaximum", "benefit", "enrolment", "claim"},
    "privacy": {
        "auditentry",
        "auditchainhead",
        "auditcheckpoint",
        "staffdocument",
        "staffdocumentacceptance",
        "processor",
        "disclosure",
        "confidentialityincident",
        "personincharge",
        "datamapinventory",
        "keyrotationstatus",
        "consentrecord",
        "policyacknowledgement",
        "pagecount",
        "policyversion",
        "retentionrun",
        "retentionrunline",
        "anonymisationrecord",
        "legalhold",
    },
}

EXPECTED = {
    roles.MEMBER_SERVICES: {
        "members.view_user",
        "members.view_member",
        "members.change_member",
        "members.view_dependant",
        "members.add_dependant",
        "members.change_dependant",
        "members.view_association",
        "members.view_provider",
        "members.view_claimattempt",
        "coverage.view_plan",
        "coverage.view_benefitcategory",
        "coverage.view_combinedmaximum",
        "coverage.view_benefit",
        "coverage.view_enrolment",
        "coverage.view_claim",
    },
    roles.PRIVACY_OFFICER: {
        "privacy.view_auditentry",
        "privacy.view_auditcheckpoint",
        "privacy.view_processor",
        "privacy.add_processor",
        "privacy.change_processor",
        "privacy.view_disclosure",
        "privacy.add_disclosure",
        "privacy.view_confidentialityincident",
        "privacy.add_confidentialityincident",
        "privacy.change_confidentialityincident",
        "privacy.view_personincharge",
        "privacy.add_personincharge",
        "privacy.change_personincharge",
        "privacy.view_staffdocument",
        "privacy.add_staffdocument",
        "privacy.view_staffdocumentacceptance",
        "privacy.view_datamapinventory",
        "privacy.view_consentrecord",
        "privacy.view_policyacknowledgement",
        "privacy.view_pagecount",
        "privacy.view_policyversion",
        "privacy.add_policyversion",
        "privacy.view_retentionrun",
        "privacy.view_anonymisationrecord",
        "privacy.view_legalhold",
        "privacy.add_legalhold",
        "privacy.change_legalhold",
    },
    roles.OPERATOR: {"privacy.view_retentionrun", "privacy.view_keyrotationstatus"},
}


def pinned_permissions(role: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=role).permissions.select_related("content_type")
        if p.content_type.model in PINNED_MODELS.get(p.content_type.app_label, set())
    }


def test_the_migration_creates_the_three_role_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


@pytest.mark.parametrize("role", roles.ROLES)
def test_each_roles_permissions_on_existing_models_are_pinned(role):
    assert pinned_permissions(role) == EXPECTED[role]


def test_no_role_may_delete_or_edit_the_audit_log_or_the_registers_history():
    granted = set(
        Permission.objects.filter(group__name__in=roles.ROLES).values_list("codename", flat=True)
    )
    for forbidden in (
        "change_auditentry",
        "delete_auditentry",
        "add_auditentry",
        "delete_auditcheckpoint",
        "change_staffdocument",
        "delete_staffdocument",
        "delete_disclosure",
        "change_disclosure",
        "delete_confidentialityincident",
    ):
        assert forbidden not in granted


def test_operator_holds_no_permission_on_member_data():
    perms = Group.objects.get(name=roles.OPERATOR).permissions.select_related("content_type")
    assert not [p for p in perms if p.content_type.app_label in ("members", "coverage")]
    assert all(p.codename.startswith("view_") for p in perms)


def test_member_services_hold_no_privacy_register_or_request_permission():
    perms = Group.objects.get(name=roles.MEMBER_SERVICES).permissions.select_related("content_type")
    privacy = [p.codename for p in perms if p.content_type.app_label == "privacy"]
    # Only that a privacy request exists and its status, never its content.
    assert privacy == ["view_privacyrequeststatus"]


def test_privacy_officer_holds_no_permission_on_member_records():
    perms = Group.objects.get(name=roles.PRIVACY_OFFICER).permissions.select_related("content_type")
    assert not [p for p in perms if p.content_type.app_label in ("members", "coverage")]


def test_permissions_of_models_not_yet_present_are_skipped_and_listed():
    # A model name no branch adds: the check holds whichever features are merged.
    services_role = (*role_permissions()[roles.MEMBER_SERVICES], "members.view_notamodelyet")
    result = roles_sync(mapping={**role_permissions(), roles.MEMBER_SERVICES: services_role})
    assert "member_services: members.view_notamodelyet" in result.missing
    assert "members.view_user" in result.assigned[roles.MEMBER_SERVICES]
    roles_sync()


def test_a_model_added_later_gets_its_role_permissions_at_the_next_sync():
    result = roles_sync(
        mapping={**role_permissions(), roles.MEMBER_SERVICES: ("staffapp.view_*", "nowhere.view_x")}
    )
    assert set(result.assigned[roles.MEMBER_SERVICES]) == {"staffapp.view_casefile"}
    assert "member_services: nowhere.view_x" in result.missing
    assert pinned_permissions(roles.MEMBER_SERVICES) == set()  # members.view_user dropped
    # The next sync with the real mapping restores exactly the mapping.
    roles_sync()
    assert pinned_permissions(roles.MEMBER_SERVICES) == EXPECTED[roles.MEMBER_SERVICES]


def test_sync_reverts_permissions_added_by_hand():
    group = Group.objects.get(name=roles.OPERATOR)
    group.permissions.add(Permission.objects.get(codename="view_user"))
    roles_sync()
    assert pinned_permissions(roles.OPERATOR) == EXPECTED[roles.OPERATOR]


def registered_models() -> list[tuple[str, str]]:
    return [(model._meta.app_label, model._meta.model_name) for model in admin.site._registry]


@pytest.mark.parametrize("role", roles.ROLES)
def test_each_role_opens_exactly_the_changelists_its_permissions_allow(client, staff_in_role, role):
    user = staff_in_role(role)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    for app_label, model_name in registered_models():
        allowed = user.has_perm(f"{app_label}.view_{model_name}") or user.has_perm(
            f"{app_label}.change_{model_name}"
        )
        status = client.get(f"/admin/{app_label}/{model_name}/").status_code
        assert status == (200 if allowed else 403), (role, app_label, model_name, status)


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (roles.MEMBER_SERVICES, "/admin/members/user/", 200),
        (roles.MEMBER_SERVICES, "/admin/privacy/auditentry/", 403),
        (roles.MEMBER_SERVICES, "/admin/privacy/confidentialityincident/", 403),
        (roles.MEMBER_SERVICES, "/admin/privacy/processor/", 403),
        (roles.MEMBER_SERVICES, "/admin/privacy/disclosure/", 403),
        (roles.PRIVACY_OFFICER, "/admin/privacy/auditentry/", 200),
        (roles.PRIVACY_OFFICER, "/admin/privacy/datamapinventory/", 200),
        (roles.PRIVACY_OFFICER, "/admin/privacy/consentrecord/", 200),
        (roles.MEMBER_SERVICES, "/admin/privacy/datamapinventory/", 403),
        (roles.OPERATOR, "/admin/privacy/datamapinventory/", 403),
        (roles.PRIVACY_OFFICER, "/admin/privacy/confidentialityincident/", 200),
        (roles.PRIVACY_OFFICER, "/admin/privacy/confidentialityincident/add/", 200),
        (roles.PRIVACY_OFFICER, "/admin/privacy/processor/", 200),
        (roles.PRIVACY_OFFICER, "/admin/privacy/disclosure/", 200),
        (roles.PRIVACY_OFFICER, "/admin/privacy/personincharge/", 200),
        (roles.PRIVACY_OFFICER, "/admin/privacy/staffdocument/add/", 200),
        (roles.PRIVACY_OFFICER, "/admin/members/user/", 403),
        (roles.PRIVACY_OFFICER, "/admin/staffapp/casefile/", 403),
        (roles.OPERATOR, "/admin/members/user/", 403),
        (roles.OPERATOR, "/admin/privacy/auditentry/", 403),
        (roles.OPERATOR, "/admin/privacy/confidentialityincident/", 403),
        (roles.OPERATOR, "/admin/auth/group/", 403),
    ],
)
def test_roles_reach_what_they_need_and_get_403_elsewhere(client, staff_in_role, role, url, status):
    client.force_login(staff_in_role(role))
    assert client.get(url).status_code == status


def test_operator_reads_key_rotation_status_but_no_member_data(client, staff_in_role):
    operator = staff_in_role(roles.OPERATOR)
    client.force_login(operator)
    key_census_take()
    page = client.get("/admin/privacy/keyrotationstatus/")
    assert page.status_code == 200
    assert "clé principale" in page.content.decode()
    assert client.get("/admin/members/member/").status_code == 403
    assert client.get("/admin/privacy/privacyrequest/").status_code == 403
