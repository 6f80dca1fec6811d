"""seed_demo also loads coverage: two schools' plans, enrolments and claims, idempotently."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command

from coverage.models import Claim, ClaimStatus, Enrolment, Plan
from coverage.selectors import coverage_summary
from members.models import Member

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_coverage_once(capsys):
    call_command("seed_demo")
    counts = (Plan.objects.count(), Enrolment.objects.count(), Claim.objects.count())
    call_command("seed_demo")
    assert (Plan.objects.count(), Enrolment.objects.count(), Claim.objects.count()) == counts
    assert Plan.objects.values("association").distinct().count() == 2
    assert "0 new claims" in capsys.readouterr().out


def test_demo_student_sees_the_plan_figures_and_claims_in_every_status():
    call_command("seed_demo")
    camille = Member.objects.get(user__email="etudiante@demo.aseq.ca")
    statuses = set(Claim.objects.filter(member=camille).values_list("status", flat=True))
    assert statuses == set(ClaimStatus.values)
    assert Claim.objects.filter(member=camille).count() == 12
    summary = coverage_summary(member=camille)
    student = summary.persons[0]
    lines = {line.benefit.key: line for block in student.categories for line in block.lines}
    # Four paid practitioner visits at $40 out of the $600 combined maximum.
    assert lines["physiotherapy"].balance.combined_used == D("160.00")
    assert lines["physiotherapy"].balance.left == D("440.00")
    assert lines["glasses"].balance.window_left == D("0.00")
    assert lines["dental-checkup"].balance.combined_left == D("560.00")
    assert len(summary.persons) == 3  # Camille, her spouse and her child
