"""The embedded default serves both brands on loopback names, with no file to edit."""

import importlib
import os
from unittest import mock

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def _local_settings(**environ):
    with mock.patch.dict(os.environ, environ):
        import aseq_portal.settings.local as local

        return importlib.reload(local)


def test_local_settings_serve_each_brand_on_its_localhost_name():
    local = _local_settings(PORT="8642")
    assert local.PORTAL_SITES["aseq.localhost"] == {"brand": "ASEQ", "language": "fr"}
    assert local.PORTAL_SITES["studentcare.localhost"] == {"brand": "Studentcare", "language": "en"}
    for host in ("aseq.localhost", "studentcare.localhost", "mobile.studentcare.ca"):
        assert host in local.ALLOWED_HOSTS
    assert local.PORTAL_LINK_PORT == 8642
    assert local.PORTAL_LINK_SCHEME == "http"


@pytest.mark.parametrize(
    ("host", "brand", "language"),
    [("aseq.localhost", "ASEQ", "fr"), ("studentcare.localhost", "Studentcare", "en")],
)
def test_each_localhost_name_answers_with_its_brand(client, host, brand, language):
    local = _local_settings()
    with override_settings(PORTAL_SITES=local.PORTAL_SITES, ALLOWED_HOSTS=local.ALLOWED_HOSTS):
        root = client.get("/", HTTP_HOST=f"{host}:8000")
        assert root["Location"] == f"/{language}/"
        page = client.get(root["Location"], HTTP_HOST=f"{host}:8000")
    assert page.status_code == 200
    assert f'<a class="brand" href="/{language}/">{brand}</a>' in page.content.decode()


def test_mail_links_point_at_the_local_server_in_the_embedded_default():
    from privacy.mail import mail_site

    local = _local_settings()
    with override_settings(
        PORTAL_SITES=local.PORTAL_SITES, PORTAL_LINK_SCHEME="http", PORTAL_LINK_PORT=8000
    ):
        # A member whose site is not recorded yet: the brand of their language, locally.
        assert mail_site(language="en").url("/en/") == "http://studentcare.localhost:8000/en/"
        assert mail_site(language="fr").url("/fr/") == "http://aseq.localhost:8000/fr/"


def test_mail_links_stay_on_https_production_names_by_default():
    from privacy.mail import mail_site

    assert mail_site(language="en").url("/en/") == "https://mobile.studentcare.ca/en/"
