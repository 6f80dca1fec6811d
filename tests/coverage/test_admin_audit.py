"""Staff read claims and enrolments in the admin, never edit them, and every look is audited."""

import datetime

import pytest

from coverage.models import Enrolment
from privacy import roles
from privacy.models import AuditEntry
from privacy.staff.selectors import staff_views_of
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(coverage_member, plan):
    benefit = plan.benefits.first()
    return ClaimFactory(member=coverage_member, benefit=benefit, service_date=datetime.date.today())


def test_member_services_opening_a_claim_is_seen_by_the_member(client, staff_in_role, claim):
    agent = staff_in_role(roles.MEMBER_SERVICES)
    client.force_login(agent)
    page = client.get(f"/admin/coverage/claim/{claim.pk}/change/")
    assert page.status_code == 200
    views = staff_views_of(user=claim.member.user)
    assert len(views) == 1
    assert views[0].role == roles.MEMBER_SERVICES


def test_claims_are_read_only_in_the_admin(client, staff_in_role, claim):
    client.force_login(staff_in_role(roles.MEMBER_SERVICES))
    response = client.post(f"/admin/coverage/claim/{claim.pk}/change/", {"status": "refused"})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.status != "refused"


def test_claim_list_shows_no_health_information(client, staff_in_role, claim):
    client.force_login(staff_in_role(roles.MEMBER_SERVICES))
    page = client.get("/admin/coverage/claim/").content.decode()
    assert claim.reference in page
    assert claim.provider_name not in page
    assert "85,00" not in page and "8500" not in page


def test_operator_cannot_open_claims(client, staff_in_role, claim):
    client.force_login(staff_in_role(roles.OPERATOR))
    assert client.get(f"/admin/coverage/claim/{claim.pk}/change/").status_code == 403


def test_an_enrolment_change_writes_an_audit_row(coverage_member):
    from coverage.services import enrolment_change
    from tests.coverage.test_enrolment import proof

    enrolment_change(
        member=coverage_member,
        person_id=coverage_member.id,
        part="dental",
        covered=False,
        proof=proof(),
    )
    row = Enrolment.objects.get(member=coverage_member, part="dental", dependant=None)
    entry = AuditEntry.objects.get(action="coverage.enrolment_changed", object_id=str(row.pk))
    assert entry.subject_id == str(coverage_member.user_id)
    assert entry.metadata == {"part": "dental", "status": "opted_out"}


# --- At the plan's scale (2 million claims): exact search, fixed filters, capped count ----


def test_claims_are_found_by_exact_reference_or_member_number_only(
    client, staff_in_role, claim, other_coverage_member, plan
):
    other = ClaimFactory(
        member=other_coverage_member, benefit=plan.benefits.first(), service_date=claim.service_date
    )
    client.force_login(staff_in_role(roles.MEMBER_SERVICES))

    def found(term):
        response = client.get("/admin/coverage/claim/", {"q": term})
        return {c.pk for c in response.context["cl"].result_list}

    assert found(claim.member.member_number) == {claim.pk}
    assert found(claim.member.member_number.lower()) == {claim.pk}
    assert found(other.reference.lower()) == {other.pk}
    # A substring is no longer a search: it would scan every claim across the join.
    assert found(claim.member.member_number[:-2]) == set()
    assert found(other.reference[:-1]) == set()


def test_the_policy_year_filter_lists_the_plans_years(client, staff_in_role, claim, plan):
    client.force_login(staff_in_role(roles.MEMBER_SERVICES))
    html = client.get("/admin/coverage/claim/").content.decode()
    assert f"{plan.policy_year}-{plan.policy_year + 1}" in html
    end = claim.policy_year_end.isoformat()
    response = client.get("/admin/coverage/claim/", {"policy_year_end": end})
    assert [c.pk for c in response.context["cl"].result_list] == [claim.pk]
    response = client.get("/admin/coverage/claim/", {"policy_year_end": "1999-08-31"})
    assert not response.context["cl"].result_list


def test_enrolments_are_found_by_exact_member_number(client, staff_in_role, coverage_member):
    client.force_login(staff_in_role(roles.MEMBER_SERVICES))
    response = client.get("/admin/coverage/enrolment/", {"q": coverage_member.member_number})
    shown = response.context["cl"].result_list
    assert shown and {e.member_id for e in shown} == {coverage_member.pk}
    response = client.get("/admin/coverage/enrolment/", {"q": coverage_member.member_number[:4]})
    assert not response.context["cl"].result_list


def test_the_enrolment_list_runs_the_same_queries_for_one_member_or_three(
    client, staff_in_role, coverage_member, other_coverage_member, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coverage.demo import enrolment_seed
    from tests.factories import DependantFactory, MemberFactory

    client.force_login(staff_in_role(roles.MEMBER_SERVICES))
    client.get("/admin/coverage/enrolment/")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/coverage/enrolment/").status_code == 200
    plan = Enrolment.objects.first().plan
    for _ in range(2):
        record = MemberFactory(association=plan.association)
        enrolment_seed(
            member=record,
            plan=plan,
            dependants=[DependantFactory(member=record, relationship="spouse")],
        )
    with django_assert_num_queries(len(few)):
        html = client.get("/admin/coverage/enrolment/").content.decode()
    assert f"{record.member_number}-01" in html  # the spouse, by card number
