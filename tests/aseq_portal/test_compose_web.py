"""The compose web service as written in docker-compose.yml, run under production settings.

gunicorn is started with the service's own command (on a free loopback port
instead of 0.0.0.0:8000) and the orchestrator's health check is the service's
own command too. What is proved: the health check passes whatever Host it
sends while other hosts still get 400; forwarded headers from a peer that is
not the proxy are not believed; the access log holds nothing personal; and
without keys, or with the published samples, gunicorn and the Celery worker
refuse to start with one line saying what is missing.
"""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from ops.loopback import free_port
from tests.aseq_portal.test_deployment import env_example, generated_environment

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
BIN = Path(sys.executable).parent
needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    for name in ("PRIVACY_ENCRYPTION_KEYS", "PRIVACY_BLIND_INDEX_KEY", "PORTAL_TRUSTED_PROXIES"):
        base.pop(name, None)
    environment = {
        **base,
        **generated_environment(),
        "DJANGO_IGNORE_DOTENV": "true",
        "DJANGO_SETTINGS_MODULE": "aseq_portal.settings.production",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:1/0"),
        "PATH": f"{BIN}:{os.environ.get('PATH', '')}",
    }
    environment.pop("PORTAL_TRUSTED_PROXIES", None)  # no proxy in front of this one
    environment.update(overrides)
    return {k: v for k, v in environment.items() if v is not None}


def web_command(port: int) -> list[str]:
    """The gunicorn part of the compose web command, bound to loopback on ``port``."""
    script = shlex.split(COMPOSE["services"]["web"]["command"])[-1]
    gunicorn = next(part for part in script.split("&&") if "gunicorn" in part)
    words = shlex.split(gunicorn)
    words[words.index("--bind") + 1] = f"127.0.0.1:{port}"
    return words


def health_check_command(port: int) -> list[str]:
    """The compose web health check, exactly, but for the port."""
    test = COMPOSE["services"]["web"]["healthcheck"]["test"]
    assert test[0] == "CMD"
    return [word.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for word in test[1:]]


def get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as answer:
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def start_web(tmp_path: Path, **overrides: str) -> tuple[int, subprocess.Popen, Path]:
    """gunicorn with the compose command and production settings, once it answers."""
    port = free_port()
    log_path = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        web_command(port),
        cwd=ROOT,
        env=production_env(tmp_path, **overrides),
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and process.poll() is None:
        try:
            get(port, "/healthz", {"Host": "mobile.aseq.ca"})
            break
        except OSError:
            time.sleep(0.3)
    assert process.poll() is None, log_path.read_text()
    return port, process, log_path


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    port, process, log_path = start_web(tmp_path_factory.mktemp("web"))
    yield port, process, log_path
    process.terminate()
    process.wait(timeout=30)


@needs_redis
def test_the_compose_health_check_passes_against_production(web):
    port, _, log_path = web
    result = subprocess.run(
        health_check_command(port), capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr + log_path.read_text()


def test_probes_answer_whatever_the_host_but_other_pages_do_not(web):
    port, _, _ = web
    for host in (f"127.0.0.1:{port}", "127.0.0.1:8000", "web:8000", "10.1.2.3"):
        assert get(port, "/healthz", {"Host": host})[0] == 200
    # ALLOWED_HOSTS is not widened: any other page on an unknown host is refused.
    assert get(port, "/fr/", {"Host": "127.0.0.1:8000"})[0] == 400
    assert get(port, "/admin/login/", {"Host": "evil.example"})[0] == 400


def test_x_forwarded_proto_from_a_peer_that_is_not_the_proxy_is_not_believed(web):
    port, _, _ = web
    status, headers = get(port, "/fr/", {"Host": "mobile.aseq.ca", "X-Forwarded-Proto": "https"})
    assert status == 301
    assert headers["Location"] == "https://mobile.aseq.ca/fr/"


def test_x_forwarded_proto_from_the_trusted_proxy_is_believed(tmp_path):
    """Behind the proxy (PORTAL_TRUSTED_PROXIES), HTTPS visitors are not redirected in a loop."""
    port, process, log_path = start_web(tmp_path, PORTAL_TRUSTED_PROXIES="127.0.0.1")
    try:
        status, headers = get(port, "/", {"Host": "mobile.aseq.ca", "X-Forwarded-Proto": "https"})
        assert status == 302, log_path.read_text()
        assert headers["Location"] == "/fr/"
        # The same proxy saying plain HTTP is sent to HTTPS.
        assert get(port, "/", {"Host": "mobile.aseq.ca"})[0] == 301
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_access_log_holds_nothing_personal(web):
    port, _process, log_path = web
    secrets = [
        "jeanne.tremblay@example.org",  # a query string
        "PROOF-TOKEN-1234567890",  # a token in the path (proof of coverage)
        "0a3a5e2c-1c6d-4a7e-9d36-1f3f4b5c6d7e",  # an id in the path
        "Pixel-Jeanne-UA",  # a user agent
        "https://referrer.example/jeanne",  # a referrer
    ]
    path = f"/fr/verifier/{secrets[1]}/{secrets[2]}/?courriel={secrets[0]}"
    get(port, path, {"Host": "mobile.aseq.ca", "User-Agent": secrets[3], "Referer": secrets[4]})
    get(port, "/healthz", {"Host": "mobile.aseq.ca", "X-Forwarded-For": "203.0.113.77"})
    # A malformed request: gunicorn's own warning would quote the address and the line.
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        raw.sendall(f"GET /?courriel={secrets[0]} HTTP/9.9\r\nHost: x\r\n\r\n".encode())
        raw.recv(1024)
    time.sleep(0.5)
    log = log_path.read_text()
    assert "/fr/verifier/{id}/{id}/" in log  # the request is logged, its ids are not
    assert "Invalid request from a client (address and request withheld)" in log
    for secret in [*secrets, "127.0.0.1 ", "203.0.113.77", "courriel"]:
        assert secret not in log, secret


def refused_start(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert time.monotonic() - started < 60
    return result


def our_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "refuses to start" in line]


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"PRIVACY_ENCRYPTION_KEYS": "", "PRIVACY_BLIND_INDEX_KEY": ""}, "PRIVACY_ENCRYPTION_KEYS"),
        (
            {name: env_example()[name] for name in ("PRIVACY_ENCRYPTION_KEYS",)},
            "PRIVACY_ENCRYPTION_KEYS: key 'sample1' is a sample published in the repository",
        ),
    ],
)
def test_gunicorn_refuses_to_start_without_valid_keys_in_one_line(tmp_path, overrides, named):
    result = refused_start(web_command(free_port()), production_env(tmp_path, **overrides))
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert len(our_lines(output)) == 1, output
    assert named in our_lines(output)[0]
    assert "Traceback" not in output
    assert "Booting worker" not in output  # the master stopped before forking


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"PRIVACY_ENCRYPTION_KEYS": "", "PRIVACY_BLIND_INDEX_KEY": ""}, "PRIVACY_BLIND_INDEX_KEY"),
        (
            {"PRIVACY_BLIND_INDEX_KEY": env_example()["PRIVACY_BLIND_INDEX_KEY"]},
            "PRIVACY_BLIND_INDEX_KEY is a sample published in the repository",
        ),
    ],
)
def test_the_celery_worker_refuses_to_start_without_valid_keys_in_one_line(
    tmp_path, overrides, named
):
    command = [*shlex.split(COMPOSE["services"]["worker"]["command"]), "--pool", "solo"]
    result = refused_start(command, production_env(tmp_path, **overrides))
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert len(our_lines(output)) == 1, output
    assert named in our_lines(output)[0]
    assert "Traceback" not in output
    assert "ready." not in output
