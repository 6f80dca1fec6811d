"""Claims are health information: stored encrypted, like the member's own record (P5, P10)."""

from datetime import date

import pytest

from coverage.models import Benefit, Claim, ClaimStatus, Enrolment
from tests.factories import ClaimFactory
from tests.members.test_records import raw_row

pytestmark = pytest.mark.django_db


def test_the_raw_claim_and_enrolment_rows_hold_no_health_value(coverage_member, plan):
    claim = ClaimFactory(
        member=coverage_member,
        benefit=Benefit.objects.get(plan=plan, key="massage"),
        service_date=date(plan.policy_year, 10, 17),
        received_on=date(plan.policy_year, 10, 19),
        decided_on=date(plan.policy_year, 10, 23),
        status=ClaimStatus.REFUSED,
        amount_claimed_cents=12345,
        provider_name="Clinique Massothérapie Rosemont",
        refusal_reason="Reçu illisible",
    )
    enrolment = Enrolment.objects.filter(member=coverage_member).first()
    enrolment.proof = b"%PDF-1.4 carte d'assurance de ma mere"
    enrolment.save()
    raw = " ".join(
        str(value)
        for row in (raw_row(Claim, claim.pk), raw_row(Enrolment, enrolment.pk))
        for value in row.values()
    )
    for clear in (
        "Rosemont",
        "illisible",
        "12345",
        f"{plan.policy_year}-10-17",
        f"{plan.policy_year}-10-19",
        f"{plan.policy_year}-10-23",
        "carte d",
    ):
        assert clear not in raw
    claim.refresh_from_db()
    assert claim.provider_name == "Clinique Massothérapie Rosemont"
    assert claim.service_date == date(plan.policy_year, 10, 17)
