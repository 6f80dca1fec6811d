"""The admin's lists over millions of rows are index scans (PostgreSQL's planner).

At the plan's scale (bench/scale.py: 2 million claims, 850,000 enrolments, 3 million
audit entries) each filter and exact search the three staff roles use reads an index
in the list's order; a sequential scan was 0.4-5 s a page.
"""

import pytest
from django.db import connection

from coverage.models import Claim, Enrolment
from members.models import Member, User
from privacy.models import AuditEntry

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]


MEMBER_ID = "00000000-0000-4000-8000-000000000001"


def plan_of(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty table is scanned anyway
        return queryset.explain()


@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (
            lambda: Claim.objects.filter(status="received").order_by("-pk")[:100],
            "coverage_claim_status",
        ),
        (
            lambda: Claim.objects.filter(in_network=True).order_by("-pk")[:100],
            "coverage_claim_in_network",
        ),
        (
            lambda: Enrolment.objects.filter(status="opted_out").order_by("-pk")[:100],
            "coverage_enrolment_status",
        ),
        (
            lambda: AuditEntry.objects.filter(object_id="x").order_by("-id")[:100],
            "privacy_audit_object_idx",
        ),
        (
            lambda: AuditEntry.objects.filter(actor_id="x").order_by("-id")[:100],
            "privacy_audit_actor_idx",
        ),
        (
            lambda: AuditEntry.objects.filter(actor_role="system").order_by("-id")[:100],
            "privacy_audit_role_idx",
        ),
        (
            lambda: AuditEntry.objects.filter(action__startswith="audit.").order_by("-id")[:100],
            "privacy_audit_action_prefix",
        ),
        (lambda: User.objects.filter(is_staff=True).order_by("email"), "members_user_staff_email"),
        (
            lambda: Member.objects.filter(user__isnull=True).order_by("member_number")[:100],
            "members_member_unclaimed_no",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_each_admin_filter_is_read_through_its_index(queryset, index):
    plan = plan_of(queryset())
    assert index in plan, plan


def test_a_members_claims_page_is_read_in_the_order_of_its_index():
    """The claims list (newest policy year, then the insurer's reference) reads 26 rows of
    (member, year end, reference) in order. A near-empty test table is sorted whatever
    the indexes, so the planner is asked for the plan without a sort, as at scale."""
    page = Claim.objects.filter(member_id=MEMBER_ID).order_by("-policy_year_end", "-reference")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
    assert "coverage_claim_member_list" in plan_of(page[:26])
