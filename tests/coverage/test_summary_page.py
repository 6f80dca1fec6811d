"""The coverage summary keeps what it rendered, sealed, and never shows it once stale."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from coverage import summary_page
from coverage.demo import enrolment_seed
from coverage.models import Benefit, Claim, ClaimStatus, Enrolment, EnrolmentStatus
from coverage.selectors import coverage_summary, coverage_summary_fingerprint
from tests.coverage.test_pages import paid_claims, url
from tests.factories import DependantFactory

pytestmark = pytest.mark.django_db

KEY_FR = "coverage:summary:{}:fr"


def fresh_content(member, language="fr"):
    """The summary as computed from the database now, without the kept copy."""
    from aseq_portal.typography import typeset

    with translation.override(language):
        return typeset(
            render_to_string(
                "coverage/_summary_content.html", {"summary": coverage_summary(member=member)}
            ),
            language,
        )


def summary_html(client, language="fr"):
    response = client.get(url("coverage_summary", language=language))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def visited(client, member, coverage_member, plan):
    """A member who has seen their summary once: it is kept."""
    paid_claims(coverage_member, plan, "physiotherapy", 1)
    client.force_login(member)
    summary_html(client)
    assert cache.get(KEY_FR.format(coverage_member.pk)) is not None
    return coverage_member


def test_a_second_visit_shows_the_kept_summary_without_computing_it(client, visited):
    with CaptureQueriesContext(connection) as first:
        first_html = summary_html(client)
    cache.delete(KEY_FR.format(visited.pk))
    with CaptureQueriesContext(connection) as computed:
        computed_html = summary_html(client)
    content = fresh_content(visited)
    assert content in first_html
    assert content in computed_html
    # The kept visit reads the rows' stored form only; computing joins the benefits.
    assert not any("coverage_benefit" in q["sql"] for q in first.captured_queries)
    assert any("coverage_benefit" in q["sql"] for q in computed.captured_queries)


def _pay_a_claim_in_sql(member, plan):
    claim = paid_claims(member, plan, "massage", 1)[0]
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.IN_REVIEW)
    return lambda: Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.PAID)


def _opt_out_in_sql(member, plan):
    return lambda: Enrolment.objects.filter(member=member, dependant=None, part="dental").update(
        status=EnrolmentStatus.OPTED_OUT
    )


def _add_a_dependant(member, plan):
    def change():
        child = DependantFactory(member=member, first_name="Zoé", last_name="Gagnon")
        enrolment_seed(member=member, plan=plan, dependants=[child])

    return change


def _rename_the_member(member, plan):
    def change():
        member.first_name = "Camila"
        member.save()

    return change


def _raise_a_maximum(member, plan):
    def change():
        benefit = Benefit.objects.get(plan=plan, key="physiotherapy")
        benefit.yearly_max_cents = (benefit.yearly_max_cents or 0) + 12300
        benefit.save()

    return change


@pytest.mark.parametrize(
    "make_change",
    [_pay_a_claim_in_sql, _opt_out_in_sql, _add_a_dependant, _rename_the_member, _raise_a_maximum],
)
def test_any_change_to_what_it_shows_is_shown_at_once(client, visited, plan, make_change):
    change = make_change(visited, plan)
    before = summary_html(client)  # kept again after the setup's own writes
    change()
    visited.refresh_from_db()
    after = summary_html(client)
    assert after != before
    assert fresh_content(visited) in after


def test_another_day_is_another_summary(coverage_member):
    today = timezone.localdate()
    assert coverage_summary_fingerprint(
        member=coverage_member, on=today
    ) != coverage_summary_fingerprint(member=coverage_member, on=today + timedelta(days=1))


def test_each_language_keeps_its_own_summary(client, visited):
    english = summary_html(client, language="en")
    assert "My coverage" in english
    assert fresh_content(visited, "en") in english
    assert "Ma couverture" in summary_html(client)


def test_the_kept_summary_is_sealed(visited):
    stored = cache.get(KEY_FR.format(visited.pk))
    assert stored.startswith("v1:")
    for clear in ("Camille", "Tremblay", "Physiothérapie", "Reste", visited.member_number):
        assert clear not in stored


def test_an_unreadable_kept_summary_is_computed_again(client, visited):
    key = KEY_FR.format(visited.pk)
    other = cache.get(KEY_FR.format(visited.pk))
    cache.set(key, "v1:unknown:AAAA")
    assert fresh_content(visited) in summary_html(client)
    # A sealed value moved under another key does not open there either.
    cache.set(KEY_FR.format("someone-else"), other)
    assert summary_page.sealed_cache_get(KEY_FR.format("someone-else")) is None


def test_deleting_the_member_forgets_their_kept_summaries(client, visited):
    summary_html(client, language="en")
    visited.delete()
    assert cache.get(KEY_FR.format(visited.pk)) is None
    assert cache.get(f"coverage:summary:{visited.pk}:en") is None
