"""Staff tools: find a record by student number, unlink a wrong claim, insurer fields read only."""

import pytest

from members.models import ActivityEvent, Member
from privacy import roles
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/members/member/"


@pytest.fixture
def admin_client(client, staff_in_role):
    """A member services agent past the admin gate (MFA, staff documents accepted)."""
    client.force_login(staff_in_role(roles.MEMBER_SERVICES))
    return client


def test_staff_find_a_record_by_exact_student_number(admin_client):
    wanted = MemberFactory(student_number="E2024-0077")
    other = MemberFactory()
    body = admin_client.get(CHANGELIST, {"q": "e2024-0077"}).content.decode()
    assert wanted.member_number in body
    assert other.member_number not in body


def test_unlink_action_returns_the_record_to_unclaimed(admin_client):
    user = UserFactory()
    member = MemberFactory(user=user)
    response = admin_client.post(
        CHANGELIST, {"action": "unlink_accounts", "_selected_action": [member.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "1 dossier détaché de son compte." in response.content.decode()
    member.refresh_from_db()
    assert member.user is None
    assert ActivityEvent.objects.filter(user=user, kind="record_unlinked").exists()


def test_insurer_owned_fields_are_read_only_in_the_admin(admin_client):
    member = MemberFactory(first_name="Camille", city="Montréal")
    url = f"{CHANGELIST}{member.pk}/change/"
    page = admin_client.get(url).content.decode()
    for name in ("first_name", "last_name", "date_of_birth", "student_number", "member_number"):
        assert f'name="{name}"' not in page
    assert 'name="city"' in page
    data = {
        "email": member.email,
        "phone": member.phone,
        "address_line1": member.address_line1,
        "address_line2": "",
        "city": "Laval",
        "province": member.province,
        "postal_code": member.postal_code,
        "preferred_language": "fr",
        "first_name": "Pirate",
        "dependants-TOTAL_FORMS": "0",
        "dependants-INITIAL_FORMS": "0",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    member = Member.objects.get(pk=member.pk)
    assert (member.city, member.first_name) == ("Laval", "Camille")


def test_records_are_neither_added_nor_deleted_in_the_admin(admin_client):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    member = MemberFactory()
    assert admin_client.get(f"{CHANGELIST}{member.pk}/delete/").status_code == 403


def test_staff_cannot_store_an_invisible_character_in_an_address(admin_client):
    member = MemberFactory(city="Montréal")
    url = f"{CHANGELIST}{member.pk}/change/"
    data = {
        "email": member.email,
        "phone": member.phone,
        "address_line1": "1200 rue\u202e Sainte-Catherine",
        "address_line2": "",
        "city": "Laval",
        "province": member.province,
        "postal_code": member.postal_code,
        "preferred_language": "fr",
        "dependants-TOTAL_FORMS": "0",
        "dependants-INITIAL_FORMS": "0",
    }
    page = admin_client.post(url, data).content.decode()
    assert "Ce champ contient un caractère invisible ou de contrôle" in page
    member.refresh_from_db()
    assert member.city == "Montréal"
    # Typed with a combining accent, kept as one character.
    data |= {"address_line1": "1200 rue Sainte-Catherine", "city": "Montre\u0301al"}
    admin_client.post(url, data)
    member.refresh_from_db()
    assert member.city == "Montr\u00e9al"


@pytest.mark.parametrize(
    ("model", "values"),
    [
        ("Association", {"short_code": "X", "name_fr": "Asso\u202eciation", "name_en": "Students"}),
        ("Provider", {"name": "Clinique\u200b Nord", "address": "1 rue A", "city": "Laval"}),
    ],
)
def test_school_and_provider_names_refuse_invisible_characters(rf, model, values):
    from django.contrib import admin

    from members import models

    model_admin = admin.site._registry[getattr(models, model)]
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form = model_admin.get_form(request)(data=values)
    form.is_valid()
    field = next(
        name for name, value in values.items() if not value.isprintable() or "\u200b" in value
    )
    assert "Ce champ contient un caractère invisible ou de contrôle" in str(form.errors[field])


# --- At the plan's scale (300,000 records and accounts): exact searches, no query a row ----


def test_staff_find_a_record_by_exact_member_number_or_student_number(admin_client):
    wanted = MemberFactory(student_number="E2024-0078")
    other = MemberFactory()

    def found(term):
        return {m.pk for m in admin_client.get(CHANGELIST, {"q": term}).context["cl"].result_list}

    assert found(wanted.member_number) == {wanted.pk}
    assert found(wanted.member_number.lower()) == {wanted.pk}
    assert found("e2024-0078") == {wanted.pk}  # the blind index, in the same WHERE
    # A part of a number is not a search (it would scan every record).
    assert found(wanted.member_number[:-1]) == set()
    assert other.pk not in found(wanted.member_number)


def test_the_account_list_runs_the_same_queries_for_two_accounts_or_twenty(
    admin_client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        MemberFactory(user=UserFactory())
    admin_client.get("/admin/members/user/")  # the session's and the gate's first reads
    with CaptureQueriesContext(connection) as two:
        assert admin_client.get("/admin/members/user/").status_code == 200
    for _ in range(18):
        MemberFactory(user=UserFactory())
    with django_assert_num_queries(len(two)):
        body = admin_client.get("/admin/members/user/").content.decode()
    assert Member.objects.order_by("member_number").last().member_number in body


def test_accounts_are_found_by_exact_sign_in_address_in_any_case(admin_client):
    wanted, other = UserFactory(email="Camille.Roy@example.org"), UserFactory()
    response = admin_client.get("/admin/members/user/", {"q": "camille.roy@EXAMPLE.org"})
    assert [u.pk for u in response.context["cl"].result_list] == [wanted.pk]
    response = admin_client.get("/admin/members/user/", {"q": "camille"})
    assert other.pk not in {u.pk for u in response.context["cl"].result_list}
    assert not response.context["cl"].result_list
