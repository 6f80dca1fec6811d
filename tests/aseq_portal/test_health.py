import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_says_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "Set-Cookie" not in response.headers


def test_readyz_is_ready_when_database_answers(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_readyz_names_the_service_that_failed(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert b"redis" in response.content
    assert b"database" not in response.content
