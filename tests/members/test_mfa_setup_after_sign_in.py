"""Staff sent from sign-in to the compulsory two-factor set-up are not asked for their
password again; removing a factor, or setting one up later, still asks for it."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, totp_authenticator_add

pytestmark = pytest.mark.django_db

PASSWORD = "a-Long-pass-phrase-42"


@pytest.fixture
def signed_in_staff(client):
    user = StaffFactory()
    user.set_password(PASSWORD)
    user.save()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return user


def test_turning_on_totp_right_after_signing_in_asks_no_password_again(client, signed_in_staff):
    assert client.get("/admin/")["Location"].endswith(reverse("mfa_index"))
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200


def test_turning_on_totp_later_asks_for_the_password(client, signed_in_staff):
    session = client.session
    records = session["account_authentication_methods"]
    records[-1]["at"] -= 301
    session["account_authentication_methods"] = records
    session.save()
    response = client.get(reverse("mfa_activate_totp"))
    assert "reauthenticate" in response["Location"]


def test_turning_off_totp_still_asks_for_the_password(client, signed_in_staff):
    totp_authenticator_add(signed_in_staff)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
