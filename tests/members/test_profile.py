"""Profile: the member edits what they own; what the insurer owns is read-only."""

import pytest
from django.urls import reverse
from django.utils import translation

from members import selectors, services
from members.models import ActivityEvent
from members.views import correction_url
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

PROFILE_URL = "/fr/mon-compte/profil/"


def form_data(member, **overrides):
    data = {
        "email": member.email,
        "phone": member.phone,
        "address_line1": member.address_line1,
        "address_line2": member.address_line2,
        "city": member.city,
        "province": member.province,
        "postal_code": member.postal_code,
        "preferred_language": member.preferred_language,
    }
    if member.updates_opt_in:
        data["updates_opt_in"] = "on"
    data.update(overrides)
    return data


@pytest.fixture
def signed_in(client, member_record):
    client.force_login(member_record.user)
    return client


def test_profile_shows_the_insurers_record_read_only_with_a_correction_link(
    signed_in, member_record
):
    body = signed_in.get(PROFILE_URL).content.decode()
    assert member_record.student_number in body
    assert member_record.last_name in body
    for owned_by_insurer in ("first_name", "last_name", "date_of_birth", "student_number"):
        assert f'name="{owned_by_insurer}"' not in body
    assert "Demander une correction" in body
    assert f'href="{correction_url()}"' in body


def test_member_updates_contact_details_directly(signed_in, member_record):
    response = signed_in.post(
        PROFILE_URL,
        form_data(
            member_record, email="nouveau@example.org", phone="438 555-0199", postal_code="h3b1a1"
        ),
    )
    assert response.status_code == 302
    member_record.refresh_from_db()
    assert member_record.email == "nouveau@example.org"
    assert member_record.phone == "438 555-0199"
    assert member_record.postal_code == "H3B 1A1"
    event = ActivityEvent.objects.get(user=member_record.user, kind="profile_updated")
    assert set(event.changed_field_names) == {"email", "phone", "postal_code"}


def test_insurer_owned_fields_cannot_be_posted(signed_in, member_record):
    before = (member_record.first_name, member_record.date_of_birth, member_record.student_number)
    signed_in.post(
        PROFILE_URL,
        form_data(
            member_record, first_name="Pirate", date_of_birth="1970-01-01", student_number="1"
        ),
    )
    member_record.refresh_from_db()
    after = (member_record.first_name, member_record.date_of_birth, member_record.student_number)
    assert after == before


def test_the_service_refuses_insurer_owned_fields(member_record):
    with pytest.raises(ValueError, match="Not member-owned"):
        services.member_profile_update(member=member_record, changes={"last_name": "X"})


@pytest.mark.parametrize(
    ("field", "value", "language", "message"),
    [
        ("postal_code", "12345", "fr", "Entrez un code postal canadien complet"),
        ("postal_code", "12345", "en", "Enter a complete Canadian postal code"),
        ("phone", "12", "fr", "Entrez un numéro de téléphone d’au moins 10 chiffres"),
        ("phone", "12", "en", "Enter a phone number of at least 10 digits"),
    ],
)
def test_invalid_contact_details_are_explained(
    signed_in, member_record, field, value, language, message
):
    with translation.override(language):
        url = reverse("members_profile")
    response = signed_in.post(url, form_data(member_record, **{field: value}))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "data-error-summary" in body


def test_opting_in_to_updates_is_stamped_and_opting_out_clears_it(signed_in, member_record):
    signed_in.post(PROFILE_URL, form_data(member_record, updates_opt_in="on"))
    member_record.refresh_from_db()
    assert member_record.updates_opt_in is True
    assert member_record.updates_opt_in_at is not None
    assert ActivityEvent.objects.filter(
        user=member_record.user, kind="preferences_updated"
    ).exists()
    data = form_data(member_record)
    data.pop("updates_opt_in")
    signed_in.post(PROFILE_URL, data)
    member_record.refresh_from_db()
    assert member_record.updates_opt_in is False
    assert member_record.updates_opt_in_at is None


def test_update_messages_go_only_to_members_who_opted_in(member_record):
    opted_in = MemberFactory()
    services.member_profile_update(member=opted_in, changes={"updates_opt_in": True})
    MemberFactory()  # never asked
    withdrawn = MemberFactory()
    services.member_profile_update(member=withdrawn, changes={"updates_opt_in": True})
    services.member_profile_update(member=withdrawn, changes={"updates_opt_in": False})
    assert list(selectors.update_recipients()) == [opted_in]


def test_language_choice_also_sets_the_accounts_language(signed_in, member_record):
    signed_in.post(PROFILE_URL, form_data(member_record, preferred_language="en"))
    member_record.refresh_from_db()
    member_record.user.refresh_from_db()
    assert member_record.preferred_language == "en"
    assert member_record.user.preferred_language == "en"


def test_service_messages_are_always_sent_says_the_page(signed_in):
    body = signed_in.get(PROFILE_URL).content.decode()
    assert "Les messages de service" in body
