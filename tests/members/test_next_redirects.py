"""Sign-in and sign-out never send an HTTPS visitor on to a plain-HTTP ``next=``."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

HOST = "mobile.aseq.ca"
DOWNGRADES = [
    f"http://{HOST}/fr/couverture/",
    f"HTTP://{HOST}/fr/couverture/",
    f"  http://{HOST}/fr/couverture/",
    f"http:\\\\{HOST}/fr/couverture/",
]


def url(name: str) -> str:
    with translation.override("fr"):
        return reverse(name)


@pytest.mark.parametrize("target", DOWNGRADES)
def test_sign_in_refuses_a_next_that_downgrades_to_http(client, member, target):
    response = client.post(
        url("account_login"),
        {"login": member.email, "password": PASSWORD, "next": target},
        secure=True,
        HTTP_HOST=HOST,
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert not response["Location"].lower().lstrip().startswith("http:")


@pytest.mark.parametrize("target", DOWNGRADES)
def test_sign_out_refuses_a_next_that_downgrades_to_http(client, member, target):
    client.force_login(member)
    response = client.post(url("account_logout"), {"next": target}, secure=True, HTTP_HOST=HOST)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert not response["Location"].lower().lstrip().startswith("http:")


def test_an_https_next_on_our_host_and_a_path_are_still_followed(client, member):
    target = f"https://{HOST}/fr/couverture/"
    response = client.post(
        url("account_login"),
        {"login": member.email, "password": PASSWORD, "next": target},
        secure=True,
        HTTP_HOST=HOST,
    )
    assert response["Location"] == target
    client.force_login(member)
    response = client.post(
        url("account_logout"), {"next": "/fr/contact/"}, secure=True, HTTP_HOST=HOST
    )
    assert response["Location"] == "/fr/contact/"
