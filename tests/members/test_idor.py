"""Every member-scoped URL of members/ answers 404 to another member.

The URL list comes from members.urls itself: a new URL is covered the day it
is added, and a URL with an object kind this test does not know fails it.
"""

import pytest
from django.urls import reverse

from members import urls as members_urls
from members.models import Dependant
from tests.factories import DependantFactory, MemberFactory

pytestmark = pytest.mark.django_db


# Fixed, distinct names: with random ones, both members once drew the surname
# "Thibault", and the owner's surname "appeared" on the other member's page.
@pytest.fixture
def member_record(member):
    return MemberFactory(user=member, first_name="Olivia", last_name="Owner-Lavoie")


@pytest.fixture
def other_member_record(other_member):
    return MemberFactory(user=other_member, first_name="Victor", last_name="Visitor-Gagnon")


# How to make, for a member record, an object each URL keyword names.
OBJECT_MAKERS = {
    "dependant_id": lambda record: DependantFactory(
        member=record,
        first_name="Charlie",
        last_name="Child-Only-Surname",
        date_of_birth="2016-06-06",
    ),
}
OBJECT_PAGES = [p for p in members_urls.urlpatterns if p.pattern.converters]
OWN_PAGES = [p for p in members_urls.urlpatterns if not p.pattern.converters]


def test_the_url_list_is_read_from_the_urlconf():
    names = {p.name for p in OBJECT_PAGES}
    assert {"members_dependant_edit", "members_dependant_remove"} <= names
    for pattern in OBJECT_PAGES:
        unknown = set(pattern.pattern.converters) - set(OBJECT_MAKERS)
        assert not unknown, f"{pattern.name}: teach this test how to make {unknown}"


@pytest.mark.parametrize("pattern", OBJECT_PAGES, ids=lambda p: p.name)
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_members_object_urls_answer_404(
    client, pattern, method, member_record, other_member_record
):
    owned = {key: make(member_record) for key, make in OBJECT_MAKERS.items()}
    url = reverse(pattern.name, kwargs={key: owned[key].pk for key in pattern.pattern.converters})
    before = {d.pk: (d.first_name, d.date_of_birth) for d in Dependant.objects.all()}

    client.force_login(other_member_record.user)
    assert (
        getattr(client, method)(
            url, {"first_name": "X", "last_name": "Y", "date_of_birth": "2017-01-01"}
        ).status_code
        == 404
    )
    after = {d.pk: (d.first_name, d.date_of_birth) for d in Dependant.objects.all()}
    assert after == before

    # The owner does reach it: the 404 is about ownership, not a broken URL.
    client.force_login(member_record.user)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("pattern", OBJECT_PAGES, ids=lambda p: p.name)
def test_object_urls_answer_404_to_an_account_without_a_record(
    client, pattern, member_record, other_member
):
    owned = {key: make(member_record) for key, make in OBJECT_MAKERS.items()}
    url = reverse(pattern.name, kwargs={key: owned[key].pk for key in pattern.pattern.converters})
    client.force_login(other_member)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("pattern", OWN_PAGES, ids=lambda p: p.name)
def test_own_pages_never_show_another_members_rows(
    client, pattern, member_record, other_member_record
):
    from members import services

    for make in OBJECT_MAKERS.values():
        make(member_record)
    spouse = DependantFactory(
        member=member_record,
        relationship="spouse",
        first_name="Sasha",
        last_name="Spouse-Roy",
        date_of_birth="1990-01-01",
    )
    services.activity_record(
        user=member_record.user, kind="profile_updated", changed_fields=["city"]
    )
    owner_values = [
        member_record.member_number,
        member_record.student_number,
        member_record.last_name,
        member_record.email,
        spouse.last_name,
        *(d.last_name for d in member_record.dependants.all()),
        "Coordonnées modifiées",
    ]
    client.force_login(other_member_record.user)
    response = client.get(reverse(pattern.name))
    assert response.status_code in (200, 302, 405)
    body = response.content.decode()
    for value in owner_values:
        assert value not in body, (pattern.name, value)


@pytest.mark.parametrize("pattern", members_urls.urlpatterns, ids=lambda p: p.name)
def test_member_pages_need_a_signed_in_account(client, pattern, member_record):
    kwargs = {
        key: make(member_record).pk
        for key, make in OBJECT_MAKERS.items()
        if key in pattern.pattern.converters
    }
    response = client.get(reverse(pattern.name, kwargs=kwargs or None))
    assert response.status_code in (302, 405)
    if response.status_code == 302:
        assert "/compte/login/" in response["Location"]
