"""Behind the reverse proxy: whose address counts, and which forwarded headers are believed.

The proxy is 192.0.2.10 (TEST-NET-1); clients are in 203.0.113.0/24 and
198.51.100.0/24. Every per-client limit and stored prefix must see the client,
never the proxy, and a client must not choose its own address by writing
X-Forwarded-For.
"""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from coverage.proof import proof_token_issue
from privacy.ip import client_address, request_ip
from privacy.models import ConsentRecord
from tests.privacy.consent_support import SAME_ORIGIN, url_in

PROXY = "192.0.2.10"
behind_the_proxy = override_settings(PORTAL_TRUSTED_PROXIES=[PROXY])


def request_from(peer: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **headers)


@behind_the_proxy
def test_the_client_behind_the_trusted_proxy_is_the_one_the_proxy_names():
    assert client_address(request_from(PROXY, "203.0.113.7")) == "203.0.113.7"
    assert request_ip(request_from(PROXY, "203.0.113.7")) == "203.0.113.0"


@behind_the_proxy
def test_what_a_client_writes_in_x_forwarded_for_is_never_believed():
    # Straight to gunicorn, not through the proxy: the peer is the client.
    assert client_address(request_from("198.51.100.9", "203.0.113.7")) == "198.51.100.9"
    # Through the proxy, the client's own header is left of what the proxy appended.
    assert client_address(request_from(PROXY, "203.0.113.66, 198.51.100.9")) == "198.51.100.9"
    assert client_address(request_from(PROXY, "garbage, 198.51.100.9")) == "198.51.100.9"


@override_settings(PORTAL_TRUSTED_PROXIES=[PROXY, "192.0.2.128/25"])
def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_hop():
    request = request_from(PROXY, "198.51.100.9, 192.0.2.200")
    assert client_address(request) == "198.51.100.9"


def test_without_a_configured_proxy_forwarded_headers_are_ignored():
    assert client_address(request_from(PROXY, "203.0.113.7")) == PROXY


def post_consent_from(client, *, peer: str, forwarded: str):
    data = {"action": "refuse_all", "source": "banner", "next": url_in("fr", "home")}
    return client.post(
        url_in("fr", "consent_update"),
        data,
        headers=SAME_ORIGIN,
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
@behind_the_proxy
def test_a_consent_record_keeps_the_clients_network_not_the_proxys(client):
    response = post_consent_from(client, peer=PROXY, forwarded="203.0.113.7")
    assert response.status_code == 303
    assert ConsentRecord.objects.latest("id").ip_prefix == "203.0.113.0"


@pytest.mark.django_db
@behind_the_proxy
@override_settings(COVERAGE_VERIFY_RATE_LIMIT=2)
def test_rate_limits_count_each_client_behind_the_proxy_apart(client, coverage_member):
    token = proof_token_issue(person_id=coverage_member.id)
    with translation.override("fr"):
        path = reverse("coverage_verify", args=[token])
    for _ in range(2):
        ok = client.get(path, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert ok.status_code == 200
    limited = client.get(path, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert limited.status_code == 429
    # Another client of the same proxy is not locked out by the first one.
    other = client.get(path, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert other.status_code == 200
