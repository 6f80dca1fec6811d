"""allauth names an account by first name or e-mail, messages stay out of cookies,
and signing in or out keeps the reader's language."""

import pytest
from django.contrib.messages import get_messages

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _sign_in(client, user, language="fr"):
    login = "/fr/compte/login/" if language == "fr" else "/en/account/login/"
    return client.post(login, {"login": user.email, "password": PASSWORD}, follow=True)


def test_sign_in_message_names_the_member_by_first_name_never_by_account_id(client, member_record):
    response = _sign_in(client, member_record.user)
    page = response.content.decode()
    assert str(member_record.user.pk) not in page
    assert member_record.first_name in page


def test_an_account_without_member_record_is_named_by_its_email(client):
    user = UserFactory()
    response = _sign_in(client, user, "en")
    page = response.content.decode()
    assert str(user.pk) not in page
    assert f"Successfully signed in as {user.email}" in page


def test_flash_messages_never_travel_in_a_cookie(client, member_record):
    response = client.post(
        "/fr/compte/login/", {"login": member_record.user.email, "password": PASSWORD}
    )
    assert "messages" not in response.cookies
    assert [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    ("language", "logout", "home"),
    [("en", "/en/account/logout/", "/en/"), ("fr", "/fr/compte/logout/", "/fr/")],
)
def test_signing_out_lands_on_the_home_page_in_the_language_being_read(
    client, member_record, language, logout, home
):
    _sign_in(client, member_record.user, language)
    response = client.post(logout)
    assert response.status_code == 302
    assert response["Location"] == home
    page = client.get(home).content.decode()
    assert f'<html lang="{language}">' in page


def test_signing_in_in_english_stays_in_english(client, member_record):
    response = _sign_in(client, member_record.user, "en")
    assert response.redirect_chain[-1][0].startswith("/en/")
