"""Names and addresses refuse invisible characters and keep the NFC form."""

import unicodedata

import pytest
from django.urls import reverse
from django.utils import translation

from members.text import hidden_characters, plain_text_validator
from tests.members.test_profile import PROFILE_URL, form_data

pytestmark = pytest.mark.django_db

HOSTILE = {
    "right-to-left override": "Léa\u202eyalp",
    "left-to-right isolate": "Léa\u2066Tremblay\u2069",
    "zero-width space": "Lé\u200ba",
    "byte order mark": "\ufeffLéa",
    "soft hyphen": "Lé\u00ada",
    "right-to-left mark": "Léa\u200f",
    "control character": "Léa\x07",
    "line separator": "Léa\u2028Tremblay",
    "private use": "Léa\ue000",
}
MESSAGE = {
    "fr": "Ce champ contient un caractère invisible ou de contrôle",
    "en": "This field contains an invisible or control character",
}


@pytest.fixture
def signed_in(client, member_record):
    client.force_login(member_record.user)
    return client


@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_every_invisible_or_control_character_is_refused(value):
    assert hidden_characters(value)
    with pytest.raises(Exception, match="invisible"):
        plain_text_validator(value)


@pytest.mark.parametrize(
    "value", ["Léa", "O’Brien-Tremblay", "میرزا\u200cزاده", "क्\u200dष", "Zoë Ñúñez", "李 小龍"]
)
def test_names_that_languages_write_are_kept(value):
    assert hidden_characters(value) == []
    plain_text_validator(value)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_a_dependant_named_with_a_bidi_override_is_refused_with_a_clear_message(
    signed_in, member_record, language, field
):
    with translation.override(language):
        url = reverse("members_dependant_add")
    response = signed_in.post(
        url,
        {
            "relationship": "child",
            "first_name": "Léa",
            "last_name": "Tremblay",
            "date_of_birth": "2018-05-09",
            field: "Tremb\u202elay",
        },
    )
    assert response.status_code == 200
    assert MESSAGE[language] in response.content.decode()
    assert not member_record.dependants.exists()


def test_a_dependants_name_is_stored_in_nfc(signed_in, member_record):
    decomposed = unicodedata.normalize("NFD", "Zoé Gagné")
    first, last = decomposed.split(" ")
    response = signed_in.post(
        reverse("members_dependant_add"),
        {
            "relationship": "child",
            "first_name": first,
            "last_name": last,
            "date_of_birth": "2018-05-09",
        },
    )
    assert response.status_code == 302
    dependant = member_record.dependants.get()
    assert (dependant.first_name, dependant.last_name) == ("Zoé", "Gagné")


@pytest.mark.parametrize("field", ["address_line1", "address_line2", "city"])
def test_an_address_with_a_zero_width_space_is_refused(signed_in, member_record, field):
    before = getattr(member_record, field)
    response = signed_in.post(
        PROFILE_URL, form_data(member_record, **{field: "123 rue\u200b Principale"})
    )
    assert response.status_code == 200
    assert MESSAGE["fr"] in response.content.decode()
    member_record.refresh_from_db()
    assert getattr(member_record, field) == before


def test_an_address_is_stored_in_nfc(signed_in, member_record):
    signed_in.post(
        PROFILE_URL,
        form_data(member_record, city=unicodedata.normalize("NFD", "Trois-Rivières")),
    )
    member_record.refresh_from_db()
    assert member_record.city == "Trois-Rivières"
