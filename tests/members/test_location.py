"""Location, off by default: a coarse area kept only with consent, dropped on withdrawal (P2)."""

import pytest
from django.db import connection
from django.urls import reverse

from members.geo import area_from_postal_code, nearest_area
from members.models import ActivityEvent, MemberLocation
from tests.factories import ProviderFactory
from tests.privacy.consent_support import post_consent

pytestmark = pytest.mark.django_db

PROVIDERS_URL = "/fr/mon-compte/soins-a-proximite/"


@pytest.fixture
def providers(db):
    return {
        "downtown": ProviderFactory(
            name="Dentiste du centre-ville",
            kind="dentist",
            in_network=True,
            latitude=45.5005,
            longitude=-73.5705,
        ),
        "plateau": ProviderFactory(
            name="Clinique du Plateau", kind="clinic", latitude=45.5255, longitude=-73.583
        ),
        "quebec": ProviderFactory(
            name="Clinique de Québec", kind="clinic", latitude=46.8115, longitude=-71.217
        ),
    }


@pytest.fixture
def signed_in(client, member_record):
    client.force_login(member_record.user)
    return client


def names(response):
    return [item.provider.name for item in response.context["results"]]


def test_without_consent_a_postal_code_serves_one_search_and_is_not_kept(signed_in, providers):
    response = signed_in.post(PROVIDERS_URL, {"postal_code": "H3B 1A1"})
    assert response.status_code == 200
    assert names(response) == ["Dentiste du centre-ville", "Clinique du Plateau"]
    assert "n’est pas conservé" in response.content.decode()
    assert not MemberLocation.objects.exists()
    # The next visit knows nothing.
    assert signed_in.get(PROVIDERS_URL).context["results"] == []


def test_without_consent_the_browser_may_not_ask_for_the_position(signed_in):
    response = signed_in.get(PROVIDERS_URL)
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "data-use-position" not in response.content.decode()


def test_with_consent_only_the_forward_sortation_area_is_kept(signed_in, member_record, providers):
    post_consent(signed_in, "save", location=True)
    response = signed_in.post(PROVIDERS_URL, {"postal_code": "h3b 1a1", "kind": "dentist"})
    assert names(response) == ["Dentiste du centre-ville"]
    location = MemberLocation.objects.get(member=member_record)
    assert location.area == "H3B"
    with connection.cursor() as cursor:
        cursor.execute("SELECT area FROM members_memberlocation")
        (stored,) = cursor.fetchone()
    assert "H3B" not in stored  # encrypted at rest
    assert ActivityEvent.objects.filter(user=member_record.user, kind="location_saved").exists()
    # The next visit uses the kept area.
    again = signed_in.get(PROVIDERS_URL)
    assert "H3B" in again.content.decode()
    assert "Dentiste du centre-ville" in names(again)
    assert "geolocation=(self)" in again["Permissions-Policy"]
    assert "data-use-position" in again.content.decode()


def test_a_browser_position_is_reduced_to_its_nearest_area(signed_in, member_record, providers):
    post_consent(signed_in, "save", location=True)
    response = signed_in.post(PROVIDERS_URL, {"latitude": "45.5262", "longitude": "-73.5841"})
    assert response.status_code == 200
    assert MemberLocation.objects.get(member=member_record).area == nearest_area(
        (45.5262, -73.5841)
    )
    row = str(MemberLocation.objects.values().get())
    assert "45.52" not in row
    assert "73.58" not in row


def test_withdrawing_location_consent_drops_the_kept_area(signed_in, member_record, providers):
    post_consent(signed_in, "save", location=True)
    signed_in.post(PROVIDERS_URL, {"postal_code": "H3B 1A1"})
    assert MemberLocation.objects.filter(member=member_record).exists()
    post_consent(signed_in, "save", analytics=True)  # location unticked
    assert not MemberLocation.objects.filter(member=member_record).exists()
    assert ActivityEvent.objects.filter(user=member_record.user, kind="location_forgotten").exists()


def test_withdrawing_after_signing_out_still_drops_the_area(signed_in, member_record, providers):
    post_consent(signed_in, "save", location=True)
    signed_in.post(PROVIDERS_URL, {"postal_code": "H3B 1A1"})
    signed_in.post(reverse("account_logout"))
    post_consent(signed_in, "refuse_all")
    assert not MemberLocation.objects.filter(member=member_record).exists()


def test_withdrawal_leaves_other_members_areas(signed_in, member_record, other_member_record):
    MemberLocation.objects.create(member=other_member_record, area="G1R")
    post_consent(signed_in, "save", location=True)
    signed_in.post(PROVIDERS_URL, {"postal_code": "H3B 1A1"})
    post_consent(signed_in, "refuse_all")
    assert list(MemberLocation.objects.values_list("member", flat=True)) == [other_member_record.pk]


def test_a_kept_area_is_not_used_once_consent_is_gone(signed_in, member_record, providers):
    MemberLocation.objects.create(member=member_record, area="H3B")
    response = signed_in.get(PROVIDERS_URL)
    assert response.context["results"] == []
    assert "Secteur retenu" not in response.content.decode()


def test_the_member_can_forget_the_area_at_any_time(signed_in, member_record, providers):
    post_consent(signed_in, "save", location=True)
    signed_in.post(PROVIDERS_URL, {"postal_code": "H3B 1A1"})
    response = signed_in.post(reverse("members_location_forget"))
    assert response.status_code == 302
    assert not MemberLocation.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"postal_code": "12345"}, "Entrez un code postal canadien"),
        ({}, "Entrez un code postal ou utilisez votre position."),
    ],
)
def test_bad_searches_are_explained(signed_in, data, message):
    response = signed_in.post(PROVIDERS_URL, data)
    assert message in response.content.decode()
    assert "data-error-summary" in response.content.decode()
    assert not MemberLocation.objects.exists()


def test_the_postal_code_never_travels_in_the_url(signed_in):
    page = signed_in.get(PROVIDERS_URL).content.decode()
    assert 'method="post"' in page
    assert 'method="get"' not in page


@pytest.mark.parametrize(
    ("typed", "area"),
    [("H3B 1A1", "H3B"), ("h3b1a1", "H3B"), ("g1r", "G1R"), ("D3B 1A1", None), ("H3B 1A", None)],
)
def test_postal_codes_reduce_to_their_area(typed, area):
    assert area_from_postal_code(typed) == area
