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


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "web:8000", "10.0.0.5"])
@override_settings(ALLOWED_HOSTS=["mobile.aseq.ca"])
def test_probes_answer_the_orchestrator_whatever_the_host(client, host):
    """The compose health check asks by address: no DisallowedHost for the probes."""
    assert client.get("/readyz", HTTP_HOST=host).status_code == 200
    assert client.get("/healthz", HTTP_HOST=host).status_code == 200
    # Only the probes: every other page on that host is still refused.
    assert client.get("/fr/", HTTP_HOST=host).status_code == 400


def test_probes_refuse_anything_but_reading(client):
    assert client.post("/readyz").status_code == 405
