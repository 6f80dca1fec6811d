"""Staff find a member by family name and date of birth together: exact, whatever the
accents or case, never on part of a name, and every lookup is audited."""

import base64
import io
from datetime import date

import pytest
from django.core.management import call_command

from members.lookup import LOOKUP_ACTION, name_and_birth_parse
from members.models import Member
from privacy.audit.models import AuditEntry
from privacy.fields import blind_index_filter
from privacy.roles import MEMBER_SERVICES
from tests.factories import MemberFactory, UserFactory
from tests.members.test_records import raw_row

pytestmark = pytest.mark.django_db

MEMBERS = "/admin/members/member/"
BIRTH = date(2001, 3, 4)


@pytest.fixture
def agent_client(client, staff_in_role):
    client.force_login(staff_in_role(MEMBER_SERVICES))
    return client


def found(client, term):
    response = client.get(MEMBERS, {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_the_pair_finds_the_member_whatever_the_accents_case_and_hyphens(agent_client):
    wanted = MemberFactory(last_name="Nguyễn-D'Amours", date_of_birth=BIRTH)
    MemberFactory(last_name="Nguyễn-D'Amours", date_of_birth=date(2001, 3, 5))
    MemberFactory(last_name="Tremblay", date_of_birth=BIRTH)
    for term in (
        "Nguyễn-D'Amours 2001-03-04",
        "nguyen d amours 2001-03-04",
        "  NGUYEN-D’AMOURS, 2001-3-4 ",
    ):
        assert found(agent_client, term) == [wanted], term


def test_a_partial_name_or_one_part_alone_finds_nothing(agent_client):
    MemberFactory(last_name="Nguyen", date_of_birth=BIRTH)
    assert found(agent_client, "Nguy 2001-03-04") == []
    assert found(agent_client, "Nguyen 2001-03-05") == []
    assert found(agent_client, "Nguyen") == []
    assert found(agent_client, "2001-03-04") == []


def test_each_lookup_writes_an_audit_row_without_the_name(agent_client):
    wanted = MemberFactory(last_name="Nguyen", date_of_birth=BIRTH, user=UserFactory())
    found(agent_client, "Nguyen 2001-03-04")
    found(agent_client, "Tremblay 1990-01-01")
    entries = list(AuditEntry.objects.filter(action=LOOKUP_ACTION).order_by("id"))
    assert [entry.metadata["found"] for entry in entries] == [1, 0]
    assert entries[0].object_id == str(wanted.pk)
    assert entries[0].subject_id == str(wanted.user_id)
    assert all("Nguyen" not in str(entry.metadata) for entry in entries)
    # Other searches (member number) are not name lookups.
    found(agent_client, wanted.member_number)
    assert AuditEntry.objects.filter(action=LOOKUP_ACTION).count() == 2


def test_the_search_box_says_what_it_accepts(agent_client):
    page = agent_client.get(MEMBERS).content.decode()
    assert "nom de famille et date de naissance ensemble" in page
    assert "Tremblay 2001-03-04" in page


def test_the_index_holds_no_plaintext_and_follows_a_changed_name():
    member = MemberFactory(last_name="Tremblay", date_of_birth=BIRTH)
    row = raw_row(Member, member.pk)
    assert row["name_birth_index"] and "Tremblay" not in row["name_birth_index"]
    stored = Member.objects.get(pk=member.pk)
    stored.last_name = "Gagnon"
    stored.save()
    pair = ("last_name", "date_of_birth")
    assert not Member.objects.filter(blind_index_filter(Member, pair, ("Tremblay", BIRTH)))
    assert Member.objects.get(blind_index_filter(Member, pair, ("gagnon", BIRTH))) == member


def test_the_blind_index_rotation_recomputes_the_pair(settings):
    old_key = base64.b64encode(b"name-birth-rotation-old-key-0001").decode()
    new_key = base64.b64encode(b"name-birth-rotation-new-key-0002").decode()
    settings.PRIVACY_BLIND_INDEX_KEY, settings.PRIVACY_BLIND_INDEX_PREVIOUS_KEY = old_key, ""
    member = MemberFactory(last_name="Côté", date_of_birth=BIRTH)
    old = raw_row(Member, member.pk)["name_birth_index"]
    settings.PRIVACY_BLIND_INDEX_KEY, settings.PRIVACY_BLIND_INDEX_PREVIOUS_KEY = new_key, old_key
    pair = ("last_name", "date_of_birth")
    # Found under the previous key while the reindex has not reached the row.
    assert Member.objects.get(blind_index_filter(Member, pair, ("cote", BIRTH))) == member
    call_command("reindex_blind_indexes", stdout=io.StringIO())
    new = raw_row(Member, member.pk)["name_birth_index"]
    assert new != old
    settings.PRIVACY_BLIND_INDEX_PREVIOUS_KEY = ""
    assert Member.objects.get(blind_index_filter(Member, pair, ("COTE", BIRTH))) == member


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Nguyen 2001-03-04", ("Nguyen", BIRTH)),
        ("de la Tour, 2001-03-04", ("de la Tour", BIRTH)),
        ("Nguyen 2001-02-30", None),
        ("ASEQ-123456", None),
        ("20231001", None),
        ("1999 2001-03-04", None),
    ],
)
def test_only_a_name_then_a_date_is_read_as_a_pair(term, expected):
    assert name_and_birth_parse(term) == expected
