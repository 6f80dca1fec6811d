"""The profile and dependants pages cost the same queries whatever the number of dependants."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DependantFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["/fr/mon-compte/profil/", "/fr/mon-compte/personnes-a-charge/"]


def signed_in_member_with(client, dependants: int):
    record = MemberFactory(user=UserFactory())
    DependantFactory(member=record, relationship="spouse", date_of_birth="1995-01-01")
    for _ in range(dependants - 1):
        DependantFactory(member=record)
    client.force_login(record.user)
    for page in PAGES:  # first visit writes the session; measure the next ones
        client.get(page)
    return record


def queries_for(client, page) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(page).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("page", PAGES)
def test_page_queries_do_not_grow_with_dependants(client, page, django_assert_num_queries):
    signed_in_member_with(client, 1)
    with_one = queries_for(client, page)
    client.logout()
    record = signed_in_member_with(client, 8)
    assert record.dependants.count() == 8
    with django_assert_num_queries(with_one):
        response = client.get(page)
    assert response.status_code == 200
    assert response.content.decode().count(record.member_number + "-0") >= 8


def test_the_member_record_is_read_once_per_request(rf, member_record):
    from members.selectors import member_for_user

    user = member_record.user
    assert member_for_user(user=user) == member_record
    with CaptureQueriesContext(connection) as context:
        again = member_for_user(user=user)
        assert again.association.name
        assert again.user is user
    assert len(context.captured_queries) == 0


def test_an_account_without_a_record_is_asked_again(member):
    from members.selectors import member_for_user

    record = MemberFactory()
    assert member_for_user(user=member) is None
    # Another request links the record meanwhile (a claim racing this one).
    type(record).objects.filter(pk=record.pk).update(user=member, claimed_at=record.created_at)
    assert member_for_user(user=member) == record


@pytest.mark.parametrize(
    "backend_path", ["members.backends.ModelBackend", "members.backends.AuthenticationBackend"]
)
def test_the_account_is_read_with_its_member_record_in_one_query(
    backend_path, member_record, django_assert_num_queries
):
    from django.contrib.auth import load_backend

    from members.selectors import member_for_user

    with django_assert_num_queries(1):
        user = load_backend(backend_path).get_user(member_record.user_id)
        assert member_for_user(user=user) == member_record
        assert user.member.association.pk == member_record.association_id


def test_an_account_without_a_member_record_still_signs_in(member):
    from members.backends import ModelBackend
    from members.selectors import member_for_user

    user = ModelBackend().get_user(member.pk)
    assert user == member
    assert member_for_user(user=user) is None
    member.is_active = False
    member.save()
    assert ModelBackend().get_user(member.pk) is None
