"""The purge on the project's own declarations: claims kept seven years, holds honoured."""

from datetime import timedelta

import pytest
from django.utils import timezone

from coverage.models import Benefit, Claim
from privacy.models import LegalHold
from privacy.retention.api import legal_hold_place, retention_purge
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_claims_past_seven_years_go_unless_their_member_is_under_a_hold(
    member, coverage_member, other_coverage_member, plan
):
    benefit = Benefit.objects.get(plan=plan, key="physiotherapy")
    eight_years_ago = timezone.localdate() - timedelta(days=8 * 365)

    def claim(record, policy_year_end):
        return ClaimFactory(
            member=record,
            benefit=benefit,
            service_date=plan.starts_on,
            policy_year_end=policy_year_end,
        )

    held = claim(coverage_member, eight_years_ago)
    claim(other_coverage_member, eight_years_ago)
    recent = claim(other_coverage_member, plan.ends_on)
    legal_hold_place(
        subject=member, kind=LegalHold.Kind.RECOURSE, reason="Recours", source_id="CAI-9"
    )

    run = retention_purge(started_by="command", model_label="coverage.Claim")

    assert set(Claim.objects.values_list("pk", flat=True)) == {held.pk, recent.pk}
    line = run.lines.get()
    assert (line.count, line.held, line.blocked) == (1, 1, 0)
