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
