"""The balance engine: what a plan pays, what is used and what is left.

Pure Python on purpose: the coverage summary, the estimate ("how much will I
get back?") and the tests all call the same functions with plain values, so a
figure on screen is always the figure the rules give. Money is ``Decimal``
rounded to the cent; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
POLICY_YEAR_START_MONTH = 9  # September 1 to August 31


def money(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def cents_to_money(cents: int) -> Decimal:
    return money(Decimal(cents) / 100)


def money_to_cents(value: Decimal) -> int:
    return int(money(value) * 100)


def policy_year_of(on: date) -> int:
    """The policy year a date falls in, named by the year it starts (Sept 1)."""
    return on.year if on.month >= POLICY_YEAR_START_MONTH else on.year - 1


def policy_year_bounds(year: int) -> tuple[date, date]:
    return date(year, POLICY_YEAR_START_MONTH, 1), date(year + 1, POLICY_YEAR_START_MONTH - 1, 31)


def months_before(on: date, months: int) -> date:
    """The same day ``months`` earlier (clamped to the month's end)."""
    month_index = on.year * 12 + on.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for day in (on.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def months_after(on: date, months: int) -> date:
    return months_before(on, -months)


@dataclass(frozen=True)
class CombinedRule:
    """One yearly maximum shared by several benefits (e.g. all practitioners)."""

    key: str
    yearly_max: Decimal
    shared_by_family: bool = False


@dataclass(frozen=True)
class BenefitRule:
    """How a plan pays one benefit.

    ``percent`` of the cost, capped at ``per_visit_max`` per visit; at most
    ``yearly_max`` per policy year; at most ``frequency_max`` per rolling
    ``frequency_months``; ``network_percent`` replaces ``percent`` at network
    providers. ``shared_by_family`` makes maxima family-wide instead of per person.
    """

    key: str
    percent: Decimal = HUNDRED
    per_visit_max: Decimal | None = None
    yearly_max: Decimal | None = None
    combined: CombinedRule | None = None
    frequency_months: int | None = None
    frequency_max: Decimal | None = None
    network_percent: Decimal | None = None
    shared_by_family: bool = False


@dataclass(frozen=True)
class PaidClaim:
    """A claim as the engine sees it: who, what, when, how much the plan paid."""

    benefit_key: str
    person_key: str
    service_date: date
    amount_paid: Decimal


# --- Reasons: why an amount is what it is (rendered by the templates) -------
# Each reason is (code, values); templates turn the code into a sentence in
# the page language, so this module stays free of translations.


@dataclass(frozen=True)
class Reason:
    code: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Balance:
    """What is left of one benefit for one person on one day."""

    rule: BenefitRule
    person_key: str
    policy_year: int
    used: Decimal
    # Each limit that applies: (code, maximum, used, left).
    yearly_left: Decimal | None
    combined_used: Decimal | None
    combined_left: Decimal | None
    window_used: Decimal | None
    window_left: Decimal | None
    window_start: date | None
    next_eligible: date | None

    @property
    def left(self) -> Decimal | None:
        """What the plan can still pay this year, or None when unlimited."""
        lefts = [
            v for v in (self.yearly_left, self.combined_left, self.window_left) if v is not None
        ]
        return min(lefts) if lefts else None

    @property
    def maximum(self) -> Decimal | None:
        limits = [
            v
            for v in (
                self.rule.yearly_max,
                self.rule.combined.yearly_max if self.rule.combined else None,
                self.rule.frequency_max,
            )
            if v is not None
        ]
        return min(limits) if limits else None

    @property
    def exhausted(self) -> bool:
        return self.left is not None and self.left <= ZERO

    @property
    def used_percent(self) -> int:
        """Share of the binding maximum already used (0-100), for the meter."""
        maximum = self.maximum
        if not maximum:
            return 0
        left = self.left if self.left is not None else maximum
        return max(0, min(100, int((maximum - left) * 100 / maximum)))


@dataclass(frozen=True)
class Estimate:
    """What the plan would pay for one cost, and every step that shaped it."""

    cost: Decimal
    amount: Decimal
    balance: Balance
    reasons: tuple[Reason, ...]

    @property
    def member_pays(self) -> Decimal:
        return money(self.cost - self.amount)


def _persons_for(rule_shared: bool, person_key: str) -> str | None:
    return None if rule_shared else person_key


def _sum(
    claims: Iterable[PaidClaim],
    *,
    benefit_keys: set[str],
    person_key: str | None,
    start: date,
    end: date,
) -> Decimal:
    total = ZERO
    for claim in claims:
        if claim.benefit_key not in benefit_keys:
            continue
        if person_key is not None and claim.person_key != person_key:
            continue
        if start <= claim.service_date <= end:
            total += claim.amount_paid
    return money(total)


def balance_for(
    rule: BenefitRule,
    *,
    person_key: str,
    on: date,
    claims: Iterable[PaidClaim],
    rules: Iterable[BenefitRule] = (),
) -> Balance:
    """The balance of one benefit for one person on a day.

    ``claims`` are the paid claims of the family (the engine filters by person
    unless the plan shares a maximum); ``rules`` are the plan's other benefits,
    needed to know which ones share a combined maximum.
    """
    claims = list(claims)
    year = policy_year_of(on)
    year_start, year_end = policy_year_bounds(year)
    own = _persons_for(rule.shared_by_family, person_key)
    used = _sum(claims, benefit_keys={rule.key}, person_key=own, start=year_start, end=year_end)
    yearly_left = money(max(ZERO, rule.yearly_max - used)) if rule.yearly_max is not None else None

    combined_used = combined_left = None
    if rule.combined is not None:
        group_keys = {r.key for r in rules if r.combined and r.combined.key == rule.combined.key}
        group_keys.add(rule.key)
        combined_used = _sum(
            claims,
            benefit_keys=group_keys,
            person_key=_persons_for(rule.combined.shared_by_family, person_key),
            start=year_start,
            end=year_end,
        )
        combined_left = money(max(ZERO, rule.combined.yearly_max - combined_used))

    window_used = window_left = window_start = next_eligible = None
    if rule.frequency_months:
        # A rolling window: claims paid in the ``frequency_months`` before the day.
        window_start = months_before(on, rule.frequency_months)
        in_window = sorted(
            (
                c
                for c in claims
                if c.benefit_key == rule.key
                and (own is None or c.person_key == own)
                and window_start < c.service_date <= on
            ),
            key=lambda c: c.service_date,
        )
        window_used = money(sum((c.amount_paid for c in in_window), ZERO))
        if rule.frequency_max is not None:
            window_left = money(max(ZERO, rule.frequency_max - window_used))
            if window_left <= ZERO and in_window:
                next_eligible = months_after(in_window[0].service_date, rule.frequency_months)
    return Balance(
        rule=rule,
        person_key=person_key,
        policy_year=year,
        used=used,
        yearly_left=yearly_left,
        combined_used=combined_used,
        combined_left=combined_left,
        window_used=window_used,
        window_left=window_left,
        window_start=window_start,
        next_eligible=next_eligible,
    )


def estimate(
    rule: BenefitRule,
    *,
    person_key: str,
    on: date,
    cost: Decimal,
    in_network: bool = False,
    claims: Iterable[PaidClaim] = (),
    rules: Iterable[BenefitRule] = (),
) -> Estimate:
    """What the plan would pay for ``cost`` on ``on``, step by step."""
    cost = money(cost)
    balance = balance_for(rule, person_key=person_key, on=on, claims=claims, rules=rules)
    reasons: list[Reason] = []

    percent = rule.percent
    if in_network and rule.network_percent is not None:
        percent = rule.network_percent
        reasons.append(Reason("network_percent", {"percent": percent, "base": rule.percent}))
    else:
        reasons.append(Reason("percent", {"percent": percent}))
        if rule.network_percent is not None and rule.network_percent > rule.percent:
            reasons.append(Reason("network_hint", {"percent": rule.network_percent}))
    amount = money(cost * percent / HUNDRED)

    if rule.per_visit_max is not None and amount > rule.per_visit_max:
        amount = rule.per_visit_max
        reasons.append(Reason("per_visit_max", {"maximum": rule.per_visit_max}))

    limits = (
        ("yearly_left", balance.yearly_left, rule.yearly_max),
        (
            "combined_left",
            balance.combined_left,
            rule.combined.yearly_max if rule.combined else None,
        ),
        ("window_left", balance.window_left, rule.frequency_max),
    )
    for code, left, maximum in limits:
        if left is None:
            continue
        if amount > left:
            amount = left
            values: dict[str, object] = {"left": left, "maximum": maximum}
            if code == "window_left":
                values.update(months=rule.frequency_months, next_eligible=balance.next_eligible)
            reasons.append(Reason(code, values))
    if amount <= ZERO and not any(r.code.endswith("_left") for r in reasons):
        reasons.append(Reason("nothing_to_pay", {}))
    return Estimate(
        cost=cost, amount=money(max(ZERO, amount)), balance=balance, reasons=tuple(reasons)
    )
