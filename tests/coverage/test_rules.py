"""The balance engine, proved on worked examples from the student plan summaries."""

from datetime import date
from decimal import Decimal as D

from coverage.rules import (
    BenefitRule,
    CombinedRule,
    PaidClaim,
    balance_for,
    estimate,
    months_before,
    policy_year_bounds,
    policy_year_of,
)

PRACTITIONERS = CombinedRule("practitioners", D("600.00"))
PHYSIO = BenefitRule("physio", per_visit_max=D("40.00"), combined=PRACTITIONERS)
PSYCHOLOGIST = BenefitRule("psychologist", per_visit_max=D("40.00"), combined=PRACTITIONERS)
GLASSES = BenefitRule("glasses", frequency_months=24, frequency_max=D("150.00"))
DENTAL = BenefitRule("dental", percent=D("70"), network_percent=D("80"), yearly_max=D("800.00"))
RULES = [PHYSIO, PSYCHOLOGIST, GLASSES, DENTAL]


def paid(benefit, amount, on, person="student"):
    return PaidClaim(benefit, person, on, D(amount))


def test_policy_year_runs_september_first_to_august_thirty_first():
    assert policy_year_of(date(2025, 9, 1)) == 2025
    assert policy_year_of(date(2026, 8, 31)) == 2025
    assert policy_year_of(date(2026, 9, 1)) == 2026
    assert policy_year_bounds(2025) == (date(2025, 9, 1), date(2026, 8, 31))


def test_months_before_clamps_to_the_end_of_a_short_month():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 10, 1), 24) == date(2024, 10, 1)


def test_practitioner_pays_a_fixed_amount_per_visit():
    # $85 physio visit: the plan pays $40, the student $45.
    result = estimate(PHYSIO, person_key="student", on=date(2025, 10, 6), cost=D("85"))
    assert result.amount == D("40.00")
    assert result.member_pays == D("45.00")
    assert [r.code for r in result.reasons] == ["percent", "per_visit_max"]


def test_visit_cheaper_than_the_per_visit_amount_is_paid_in_full():
    result = estimate(PHYSIO, person_key="student", on=date(2025, 10, 6), cost=D("35"))
    assert result.amount == D("35.00")


def test_combined_maximum_is_shared_across_practitioners():
    # 10 physio visits ($400) and 4 psychologist visits ($160): $560 of $600 used.
    claims = [paid("physio", "40", date(2025, 9, 10 + i)) for i in range(10)]
    claims += [paid("psychologist", "40", date(2025, 11, 3 + i)) for i in range(4)]
    balance = balance_for(
        PSYCHOLOGIST, person_key="student", on=date(2026, 1, 15), claims=claims, rules=RULES
    )
    assert balance.used == D("160.00")
    assert balance.combined_used == D("560.00")
    assert balance.left == D("40.00")
    # The 15th visit pays what is left of the combined maximum, not $40 more each.
    result = estimate(
        PHYSIO, person_key="student", on=date(2026, 1, 15), cost=D("85"), claims=claims, rules=RULES
    )
    assert result.amount == D("40.00")
    claims.append(paid("physio", "40", date(2026, 1, 15)))
    result = estimate(
        PHYSIO, person_key="student", on=date(2026, 2, 1), cost=D("85"), claims=claims, rules=RULES
    )
    assert result.amount == D("0.00")
    assert result.reasons[-1].code == "combined_left"
    assert result.balance.exhausted


def test_combined_maximum_starts_again_on_september_first():
    claims = [paid("physio", "40", date(2026, 1, d)) for d in range(1, 16)]  # $600
    before = balance_for(
        PHYSIO, person_key="student", on=date(2026, 8, 31), claims=claims, rules=RULES
    )
    after = balance_for(
        PHYSIO, person_key="student", on=date(2026, 9, 1), claims=claims, rules=RULES
    )
    assert before.left == D("0.00")
    assert after.left == D("600.00")


def test_glasses_are_limited_over_a_rolling_24_months_not_the_policy_year():
    # $200 glasses on 2025-10-01: plan paid $150.
    claims = [paid("glasses", "150", date(2025, 10, 1))]
    # A new policy year does not reset it...
    balance = balance_for(GLASSES, person_key="student", on=date(2026, 9, 15), claims=claims)
    assert balance.window_left == D("0.00")
    assert balance.next_eligible == date(2027, 10, 1)
    result = estimate(
        GLASSES, person_key="student", on=date(2026, 9, 15), cost=D("300"), claims=claims
    )
    assert result.amount == D("0.00")
    assert result.reasons[-1].code == "window_left"
    assert result.reasons[-1].values["next_eligible"] == date(2027, 10, 1)
    # ...24 months later it is available again.
    result = estimate(
        GLASSES, person_key="student", on=date(2027, 10, 1), cost=D("300"), claims=claims
    )
    assert result.amount == D("150.00")


def test_glasses_window_can_be_used_in_parts():
    claims = [paid("glasses", "90", date(2025, 10, 1))]
    result = estimate(
        GLASSES, person_key="student", on=date(2026, 3, 1), cost=D("120"), claims=claims
    )
    assert result.amount == D("60.00")


def test_dental_pays_more_at_a_network_dentist():
    # $300 cleaning: 70% elsewhere, 80% at a network dentist.
    outside = estimate(DENTAL, person_key="student", on=date(2025, 11, 1), cost=D("300"))
    network = estimate(
        DENTAL, person_key="student", on=date(2025, 11, 1), cost=D("300"), in_network=True
    )
    assert outside.amount == D("210.00")
    assert network.amount == D("240.00")
    assert [r.code for r in outside.reasons] == ["percent", "network_hint"]
    assert network.reasons[0].code == "network_percent"


def test_dental_yearly_maximum_caps_the_payment():
    claims = [paid("dental", "700", date(2025, 10, 1))]
    result = estimate(
        DENTAL,
        person_key="student",
        on=date(2026, 2, 1),
        cost=D("500"),
        in_network=True,
        claims=claims,
    )
    assert result.amount == D("100.00")
    assert result.reasons[-1].code == "yearly_left"
    assert result.reasons[-1].values == {"left": D("100.00"), "maximum": D("800.00")}


def test_each_family_member_has_their_own_balance():
    claims = [paid("dental", "800", date(2025, 10, 1), person="student")]
    student = balance_for(DENTAL, person_key="student", on=date(2026, 1, 1), claims=claims)
    child = balance_for(DENTAL, person_key="child", on=date(2026, 1, 1), claims=claims)
    assert student.left == D("0.00")
    assert child.left == D("800.00")


def test_a_family_maximum_is_shared_where_the_plan_says_so():
    family_group = CombinedRule("family-practitioners", D("600.00"), shared_by_family=True)
    physio = BenefitRule("physio", per_visit_max=D("40"), combined=family_group)
    claims = [paid("physio", "40", date(2025, 10, d), person="spouse") for d in range(1, 11)]
    student = balance_for(physio, person_key="student", on=date(2026, 1, 1), claims=claims)
    assert student.used == D("0.00")
    assert student.combined_used == D("400.00")
    assert student.left == D("200.00")


def test_amounts_are_rounded_to_the_cent():
    result = estimate(DENTAL, person_key="student", on=date(2025, 11, 1), cost=D("33.33"))
    assert result.amount == D("23.33")
