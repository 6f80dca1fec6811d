"""Production settings, the deployment check and the compose file."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip().strip('"')
    return values


def run_manage(args: list[str], extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    base.pop("REDIS_URL", None)
    env = {**base, "DJANGO_IGNORE_DOTENV": "true", **extra_env}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_to_start_without_secrets():
    result = run_manage(["check"], {"DJANGO_SETTINGS_MODULE": "aseq_portal.settings.production"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def generated_environment() -> dict[str, str]:
    """.env.example with fresh secrets, as an operator fills it in."""
    from aseq_portal.published_secrets import generate_secrets

    return {**env_example(), **generate_secrets()}


def test_deploy_check_refuses_the_sample_secrets_and_names_them():
    """.env.example as is: every sample is public, so production refuses each by name."""
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], env_example())
    assert result.returncode != 0
    assert "aseq_portal.E001" in result.stderr
    assert "DJANGO_SECRET_KEY is a sample published in the repository" in result.stderr
    assert "PRIVACY_ENCRYPTION_KEYS: key 'sample1' is a sample published" in result.stderr
    assert "PRIVACY_BLIND_INDEX_KEY is a sample published" in result.stderr


def test_deploy_check_is_clean_with_generated_secrets():
    result = run_manage(["check", "--deploy", "--fail-level", "WARNING"], generated_environment())
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_variable_the_settings_read_is_documented():
    documented = set(env_example())
    sources = "\n".join(p.read_text() for p in (ROOT / "aseq_portal" / "settings").glob("*.py"))
    import re

    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', sources))
    assert read - documented == set()


def test_compose_file_describes_the_production_stack():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"postgres", "redis", "web", "worker", "beat"}
    for name, service in services.items():
        if service.get("restart") == "no":
            continue  # one-shot (migrate): done when it exits
        assert "healthcheck" in service, f"{name} has no health check"
        assert service["healthcheck"]["test"], name
    documented = set(env_example())
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["env_file"] == ".env"
        assert set(service["environment"]) <= documented
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A aseq_portal worker")
    assert services["beat"]["command"].startswith("celery -A aseq_portal beat")


def test_compose_runs_the_portal_as_the_application_role_and_migrates_as_the_owner():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    for name in ("web", "worker", "beat"):
        url = services[name]["environment"]["DATABASE_URL"]
        assert url.startswith("postgres://aseq_app:"), name
        assert "postgres_owner_password" not in str(services[name].get("secrets", [])), name
        assert "migrate" not in services[name]["command"].split("gunicorn")[0], name
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    migrate = services["migrate"]
    assert "DATABASE_URL" not in migrate["environment"]
    assert "postgres://aseq:" in migrate["command"]
    assert "manage.py migrate" in migrate["command"]
    assert "grant_app_role aseq_app" in migrate["command"]
    initdb = ROOT / "ops" / "postgres" / "initdb" / "10-app-role.sh"
    assert "CREATE ROLE aseq_app LOGIN NOSUPERUSER" in initdb.read_text()


def database_options(extra_env: dict[str, str]) -> str:
    result = run_manage(
        ["shell", "-c", "from django.conf import settings; print(settings.DATABASES['default'])"],
        {**env_example(), **extra_env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_postgresql_prepares_statements_unless_a_pooler_forbids_it():
    assert "'prepare_threshold': 5" in database_options({})
    assert "'server_side_binding': True" in database_options({})
    assert "prepare_threshold" not in database_options({"DATABASE_PREPARED_STATEMENTS": "false"})
    sqlite = database_options({"DATABASE_URL": "sqlite:////tmp/aseq-settings-check.sqlite3"})
    assert "prepare_threshold" not in sqlite


def test_production_keeps_every_cookie_secure_and_host_only():
    """P22: a __Host- cookie without Secure is dropped by browsers (no consent could be saved)."""
    result = run_manage(
        [
            "shell",
            "-c",
            "from django.conf import settings as s; print([(n, getattr(s, n)) for n in ("
            "'SESSION_COOKIE_NAME', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_NAME', "
            "'CSRF_COOKIE_SECURE', 'PRIVACY_CONSENT_COOKIE_NAME', "
            "'PRIVACY_CONSENT_COOKIE_SECURE')])",
        ],
        env_example(),
    )
    assert result.returncode == 0, result.stderr
    for cookie in ("SESSION", "CSRF", "PRIVACY_CONSENT"):
        assert f"('{cookie}_COOKIE_NAME', '__Host-" in result.stdout
        assert f"('{cookie}_COOKIE_SECURE', True)" in result.stdout
