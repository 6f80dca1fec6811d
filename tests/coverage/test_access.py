"""Every member-scoped coverage URL answers 404 for another member's objects; public pages
need no sign-in and set no cookie."""

import uuid

import pytest
from django.urls import URLPattern, reverse
from django.utils import translation

from coverage import urls as coverage_urls
from coverage.models import Benefit
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

PUBLIC = {"coverage_verify", "coverage_plans", "coverage_plan"}


def member_scoped_patterns() -> list[URLPattern]:
    """The coverage URLs that take an object id, read from the URLconf itself."""
    return [p for p in coverage_urls.urlpatterns if p.name not in PUBLIC and p.pattern.converters]


def test_the_list_covers_every_member_scoped_url():
    names = {p.name for p in member_scoped_patterns()}
    assert names == {"coverage_claim_detail", "coverage_card", "coverage_attestation"}
    for pattern in coverage_urls.urlpatterns:
        if pattern.name not in PUBLIC:
            assert set(pattern.pattern.converters) <= {"claim_id", "person_id"}, pattern.name


def test_member_cannot_open_another_members_objects(
    client, member, coverage_member, other_coverage_member, plan
):
    other_claim = ClaimFactory(
        member=other_coverage_member,
        benefit=Benefit.objects.get(plan=plan, key="physiotherapy"),
        service_date=plan.starts_on,
    )
    spouse = other_coverage_member.dependants.get()
    others = {
        "claim_id": [other_claim.id, uuid.uuid4()],
        "person_id": [other_coverage_member.id, spouse.id, uuid.uuid4()],
    }
    own = {"claim_id": None, "person_id": coverage_member.id}
    client.force_login(member)
    checked = 0
    for pattern in member_scoped_patterns():
        (kwarg,) = pattern.pattern.converters
        for foreign in others[kwarg]:
            for language in ("fr", "en"):
                with translation.override(language):
                    path = reverse(pattern.name, kwargs={kwarg: foreign})
                response = client.get(path)
                assert response.status_code == 404, path
                assert "Camille" not in response.content.decode()
                checked += 1
        if own[kwarg]:
            with translation.override("fr"):
                assert (
                    client.get(reverse(pattern.name, kwargs={kwarg: own[kwarg]})).status_code == 200
                )
    assert checked == 2 * (2 + 3 + 3)


def test_member_pages_need_a_sign_in(client, coverage_member):
    for pattern in coverage_urls.urlpatterns:
        if pattern.name in PUBLIC:
            continue
        kwargs = {name: coverage_member.id for name in pattern.pattern.converters}
        with translation.override("fr"):
            path = reverse(pattern.name, kwargs=kwargs)
        response = client.get(path)
        assert response.status_code == 302, pattern.name
        assert "/compte/login/" in response["Location"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_public_plan_pages_show_the_plan_and_set_no_cookie(client, plan, language):
    with translation.override(language):
        listing = reverse("coverage_plans")
        detail = reverse("coverage_plan", args=[plan.association.slug])
    response = client.get(listing)
    assert response.status_code == 200
    assert not response.cookies
    assert plan.association.slug in response.content.decode()
    response = client.get(detail)
    assert response.status_code == 200
    assert not response.cookies
    html = response.content.decode()
    if language == "en":
        assert "Physiotherapy" in html
        assert "Up to $40.00 per visit" in html
        assert "Combined maximum $600.00 per year" in html
        assert "Up to $150.00 per 24-month period" in html
    else:
        assert "Jusqu’à 40,00\u00a0$ par visite" in html
    assert str(plan.health_window_end.day) in html


def test_unknown_school_is_a_404(client):
    with translation.override("fr"):
        path = reverse("coverage_plan", args=["nowhere"])
    assert client.get(path).status_code == 404
