"""First-party analytics: aggregated page counts, only with consent, no per-person row (P1, P16)."""

import pytest
from django.utils import timezone

from privacy.consent.services import page_view_count
from privacy.models import ConsentRecord, PageCount

from .consent_support import SAME_ORIGIN, post_consent, url_in

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return dict(PageCount.objects.values_list("path", "count"))


def test_nothing_is_counted_for_an_undecided_visitor(client):
    client.get(url_in("fr", "home"))
    assert counts() == {}


@pytest.mark.parametrize("choices", [{}, {"preferences": True, "location": True}])
def test_nothing_is_counted_without_analytics_consent(client, choices):
    post_consent(client, "save", **choices)
    client.get(url_in("fr", "home"))
    assert counts() == {}


def test_nothing_is_counted_with_gpc_even_after_accepting(client):
    post_consent(client, "accept_all")
    client.get(url_in("fr", "home"), headers={"Sec-GPC": "1"})
    assert counts() == {}


def test_pages_are_counted_per_page_and_day_for_visitors_who_allowed_analytics(client):
    post_consent(client, "save", analytics=True)
    for _ in range(3):
        client.get(url_in("fr", "home"))
    client.get(url_in("en", "contact"))
    assert counts() == {"/fr/": 3, "/en/contact/": 1}
    assert set(PageCount.objects.values_list("day", flat=True)) == {timezone.localdate()}


def test_counting_sets_no_cookie(client):
    post_consent(client, "accept_all")
    response = client.get(url_in("fr", "home"))
    assert not response.cookies
    assert counts() == {"/fr/": 1}


def test_counts_hold_pages_not_people(client, member):
    client.force_login(member)
    post_consent(client, "accept_all")
    client.get(url_in("fr", "policy_version", kind="privacy-policy", version=1))
    client.get(url_in("fr", "account_overview"))
    paths = set(counts())
    # The URL pattern is counted, never the address with its values.
    assert "/fr/politiques/versions/<slug:kind>/<int:version>/" in paths
    assert "/fr/mon-compte/" in paths
    assert PageCount._meta.get_field("path")
    assert {f.name for f in PageCount._meta.concrete_fields} == {"id", "path", "day", "count"}


def test_errors_redirects_and_posts_are_not_counted(client):
    post_consent(client, "accept_all")
    client.get("/fr/no-such-page/")
    client.get(url_in("fr", "account_overview"))  # redirect to sign-in
    client.post(
        url_in("fr", "consent_update"),
        {"action": "accept_all", "source": "banner"},
        headers=SAME_ORIGIN,
    )
    assert counts() == {}
    assert ConsentRecord.objects.count() == 2


def test_counting_adds_to_the_existing_row():
    day = timezone.localdate()
    page_view_count(path="/fr/", day=day)
    page_view_count(path="/fr/", day=day)
    assert PageCount.objects.get(path="/fr/", day=day).count == 2
    assert PageCount.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_views_of_a_new_page_lose_no_count():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    day = timezone.localdate()

    def view(_):
        try:
            page_view_count(path="/fr/concurrent/", day=day)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(view, range(40)))
    assert PageCount.objects.get(path="/fr/concurrent/", day=day).count == 40
