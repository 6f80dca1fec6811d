"""Staff read a person by name and member number, never by account id."""

import pytest

from privacy.requests import services
from privacy.requests.models import RequestKind
from tests.factories import MemberFactory, UserFactory, staff_admin_ready

pytestmark = pytest.mark.django_db


def test_a_request_names_the_member_and_links_their_record_for_who_may_open_it(
    client, privacy_officer
):
    member = UserFactory()
    record = MemberFactory(user=member, first_name="Zoé", last_name="Nguyen")
    privacy_request = services.privacy_request_submit(account=member, kind=RequestKind.ACCESS)
    url = f"/admin/privacy/privacyrequest/{privacy_request.pk}/change/"
    record_url = f"/admin/members/member/{record.pk}/change/"

    client.force_login(privacy_officer)
    page = client.get(url).content.decode()
    assert f"Zoé Nguyen ({record.member_number})" in page
    assert str(member.pk) not in page
    # The privacy officer holds no permission on member records: no dead link.
    assert record_url not in page

    emergency = staff_admin_ready(UserFactory(is_staff=True, is_superuser=True))
    client.force_login(emergency)
    page = client.get(url).content.decode()
    assert f'<a href="{record_url}">Zoé Nguyen ({record.member_number})</a>' in page
    assert client.get(record_url).status_code == 200
