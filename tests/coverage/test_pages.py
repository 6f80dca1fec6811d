"""The member's coverage pages: summary as home, estimate, claims, fixed query counts."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from coverage import rules
from coverage.models import Benefit, ClaimStatus
from coverage.selectors import coverage_estimate, coverage_summary
from coverage.templatetags.coverage_tags import format_money
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(name, args=args)


def paid_claims(coverage_member, plan, key, count, paid_cents=4000, dependant=None):
    benefit = Benefit.objects.get(plan=plan, key=key)
    today = timezone.localdate()
    # Inside this policy year, on or before today.
    day = max(plan.starts_on, today - timedelta(days=1))
    return [
        ClaimFactory(
            member=coverage_member,
            dependant=dependant,
            benefit=benefit,
            service_date=day,
            amount_claimed_cents=8500,
            amount_paid_cents=paid_cents,
        )
        for _ in range(count)
    ]


def test_money_is_shown_in_the_page_language():
    assert format_money(D("40")) == format_money(D("40"), "fr") == "40,00\u00a0$"
    assert format_money(D("1200.5"), "en") == "$1,200.50"
    assert format_money(D("1200.5"), "fr") == "1\u00a0200,50\u00a0$"


def test_signed_in_member_lands_on_the_coverage_summary(client, member, coverage_member):
    client.force_login(member)
    response = client.get(url("home"))
    assert response.status_code == 302
    assert response["Location"] == url("coverage_summary")
    assert client.get(url("home", language="en"))["Location"] == "/en/coverage/"


def test_account_without_a_coverage_member_is_invited_to_claim_it(client, member):
    client.force_login(member)
    response = client.get(url("home"))
    assert response.status_code == 200
    assert "Rattacher mon dossier de membre" in response.content.decode()
    assert client.get(url("coverage_summary")).status_code == 302


def test_anonymous_home_stays_cookie_free(client):
    response = client.get(url("home"))
    assert response.status_code == 200
    assert not response.cookies


def test_summary_shows_used_and_left_with_the_combined_maximum(
    client, member, coverage_member, plan
):
    paid_claims(coverage_member, plan, "physiotherapy", 3)
    paid_claims(coverage_member, plan, "psychologist", 2)
    client.force_login(member)
    html = client.get(url("coverage_summary")).content.decode()
    # $200 of the $600 practitioners' maximum used: $400 left, said once for the group.
    assert (
        "Maximum combiné de 600,00\u00a0$ par année pour ces soins\u00a0: "
        "reste <strong>400,00\u00a0$</strong> (200,00\u00a0$ utilisés)."
    ) in html
    english = client.get(url("coverage_summary", language="en")).content.decode()
    assert (
        "Combined maximum of $600.00 a year for this care: <strong>$400.00</strong> left "
        "($200.00 used)."
    ) in english


def test_summary_notes_unused_benefits_near_august_31(coverage_member, plan):
    near_end = plan.ends_on - timedelta(days=20)
    summary = coverage_summary(member=coverage_member, on=near_end)
    assert summary.show_use_it_note
    lines = {line.benefit.key: line for c in summary.persons[0].categories for line in c.lines}
    assert lines["massage"].use_it_note
    early = coverage_summary(member=coverage_member, on=plan.starts_on)
    assert not early.show_use_it_note


def test_estimate_matches_the_summary_balance(member, coverage_member, plan):
    paid_claims(coverage_member, plan, "physiotherapy", 14)  # $560 of $600
    today = timezone.localdate()
    summary = coverage_summary(member=coverage_member, on=today)
    physio = next(
        line
        for block in summary.persons[0].categories
        for line in block.lines
        if line.benefit.key == "physiotherapy"
    )
    assert physio.balance.left == D("40.00")
    result = coverage_estimate(
        member=coverage_member,
        person_id=coverage_member.id,
        benefit_key="psychologist",
        on=today,
        cost=D("120"),
    )
    assert result.estimate.amount == D("40.00")
    paid_claims(coverage_member, plan, "massage", 1, paid_cents=2500)
    result = coverage_estimate(
        member=coverage_member,
        person_id=coverage_member.id,
        benefit_key="psychologist",
        on=today,
        cost=D("120"),
    )
    assert result.estimate.amount == D("15.00")
    assert result.estimate.reasons[-1].code == "combined_left"


def test_estimate_page_finds_benefits_in_french_and_english(client, member, coverage_member):
    client.force_login(member)
    for query, expected in [
        ("lunettes", "glasses"),
        ("dentist", "dental-checkup"),
        ("PHYSIO", "physiotherapy"),
    ]:
        html = client.get(url("coverage_estimate"), {"q": query}).content.decode()
        assert f"benefit={expected}" in html, query


def test_estimate_page_gives_the_amount_and_why(client, member, coverage_member):
    client.force_login(member)
    response = client.get(
        url("coverage_estimate", language="en"),
        {
            "benefit": "dental-checkup",
            "person": str(coverage_member.id),
            "on": timezone.localdate().isoformat(),
            "cost": "300,00",
            "in_network": "on",
        },
    )
    html = response.content.decode()
    assert "The plan would pay <strong>$240.00</strong>" in html
    assert "Network provider: the plan pays 80%" in html


def test_estimate_says_when_the_person_is_not_covered(client, member, coverage_member, plan):
    from coverage.models import Enrolment

    Enrolment.objects.filter(member=coverage_member, part="dental").update(status="opted_out")
    result = coverage_estimate(
        member=coverage_member,
        person_id=coverage_member.id,
        benefit_key="dental-checkup",
        on=timezone.localdate(),
        cost=D("100"),
    )
    assert not result.covered


def test_claims_list_and_detail_show_the_timeline_and_what_happens_next(
    client, member, coverage_member, plan
):
    benefit = Benefit.objects.get(plan=plan, key="massage")
    refused = ClaimFactory(
        member=coverage_member,
        benefit=benefit,
        service_date=plan.starts_on,
        status=ClaimStatus.REFUSED,
        decided_on=plan.starts_on + timedelta(days=6),
        refusal_reason="Reçu incomplet",
    )
    client.force_login(member)
    listing = client.get(url("coverage_claims")).content.decode()
    assert "Massothérapie" in listing
    assert "Refusée" in listing
    detail = client.get(url("coverage_claim_detail", refused.id)).content.decode()
    assert "Motif\u00a0: Reçu incomplet" in detail
    assert "demander une révision" in detail


@pytest.mark.parametrize("page", ["coverage_summary", "coverage_claims"])
def test_page_runs_the_same_queries_for_one_claim_or_forty(
    client, member, coverage_member, plan, page, django_assert_num_queries
):
    paid_claims(coverage_member, plan, "physiotherapy", 1)
    client.force_login(member)
    client.get(url(page))
    # Measured when the page has to compute (the summary keeps what it rendered:
    # see test_summary_page.py for the visit that finds it).
    cache.clear()
    with CaptureQueriesContext(connection) as one_claim:
        assert client.get(url(page)).status_code == 200
    paid_claims(coverage_member, plan, "physiotherapy", 20)
    paid_claims(coverage_member, plan, "dental-checkup", 19, paid_cents=10000)
    cache.clear()
    with django_assert_num_queries(len(one_claim)):
        response = client.get(url(page))
    assert response.status_code == 200
    # Only the coverage reads, on top of the session and account middleware: with
    # nothing cached, the plan (for the summary's digest, its id alone too) and its
    # benefits, then the page's own reads (for the summary, the digest's two and
    # the computation's two).
    coverage_queries = [q for q in one_claim.captured_queries if "coverage_" in q["sql"]]
    assert len(coverage_queries) <= 7


def test_policy_year_helpers_are_used_for_claim_retention(coverage_member, plan):
    claim = paid_claims(coverage_member, plan, "physiotherapy", 1)[0]
    assert claim.policy_year_end == rules.policy_year_bounds(plan.policy_year)[1]


def test_summary_shows_each_enrolled_dependant_in_card_order_and_no_other(
    member, coverage_member, plan
):
    from coverage.demo import enrolment_seed
    from coverage.models import Enrolment
    from tests.factories import DependantFactory

    spouse = DependantFactory(member=coverage_member, relationship="spouse")
    child = DependantFactory(member=coverage_member)
    DependantFactory(member=coverage_member)  # no enrolment this year: not shown
    enrolment_seed(member=coverage_member, plan=plan, dependants=[child, spouse])
    Enrolment.objects.filter(dependant=spouse, part="dental").update(status="opted_out")
    summary = coverage_summary(member=coverage_member)
    assert [p.person.card_number for p in summary.persons] == [
        f"{coverage_member.member_number}-00",
        f"{coverage_member.member_number}-01",
        f"{coverage_member.member_number}-02",
    ]
    assert summary.persons[1].parts == {"health": "covered", "dental": "opted_out"}


# --- The claims list, a page at a time -------------------------------------------------


def test_claims_list_is_paged_newest_first_with_previous_and_next_links(
    client, member, coverage_member, plan
):
    from coverage.selectors import CLAIMS_PER_PAGE

    benefit = Benefit.objects.get(plan=plan, key="physiotherapy")
    last_year = plan.starts_on - timedelta(days=30)
    old = ClaimFactory(
        member=coverage_member, benefit=benefit, service_date=last_year, reference="CLM-00000001"
    )
    recent = [
        ClaimFactory(
            member=coverage_member,
            benefit=benefit,
            service_date=plan.starts_on,
            reference=f"CLM-{n:08d}",
        )
        for n in range(2, CLAIMS_PER_PAGE + 7)
    ]
    client.force_login(member)
    first = client.get(url("coverage_claims"))
    page = first.context["page"]
    # The newest policy year first, then the insurer's newest reference.
    assert [c.reference for c in page.claims] == [
        c.reference for c in reversed(recent[-CLAIMS_PER_PAGE:])
    ]
    body = first.content.decode()
    assert 'rel="next" href="?page=2"' in body and 'rel="prev"' not in body
    assert "Page suivante (plus anciennes)" in body
    second = client.get(url("coverage_claims") + "?page=2")
    assert [c.reference for c in second.context["page"].claims][-1] == old.reference
    body = second.content.decode()
    assert 'rel="prev" href="?page=1"' in body and 'rel="next"' not in body
    english = client.get(url("coverage_claims", language="en") + "?page=2").content.decode()
    assert "Previous page (more recent)" in english
    for beyond in ("3", "0", "two", "-1"):
        assert client.get(url("coverage_claims") + f"?page={beyond}").status_code == 404


def test_claims_list_reads_only_the_page_it_shows(
    client, member, coverage_member, plan, django_assert_max_num_queries
):
    from coverage.selectors import CLAIMS_PER_PAGE, claim_page

    paid_claims(coverage_member, plan, "physiotherapy", CLAIMS_PER_PAGE * 3)
    with CaptureQueriesContext(connection) as reads:
        page = claim_page(member=coverage_member, number=2)
    assert len(page.claims) == CLAIMS_PER_PAGE and page.has_previous and page.has_next
    (claims_query,) = [q["sql"] for q in reads.captured_queries if "coverage_claim" in q["sql"]]
    # One row past the page says whether there is a next one: no COUNT, no other claim read.
    assert f"LIMIT {CLAIMS_PER_PAGE + 1}" in claims_query and "COUNT" not in claims_query
    assert len(reads.captured_queries) == 2  # the page, the dependants


def test_the_estimate_form_dates_the_care_today_by_default():
    """A merge once left this line after a return (dead): the date field came up empty."""
    from django.utils import timezone

    from coverage.forms import EstimateForm

    assert EstimateForm().fields["on"].initial == timezone.localdate()
