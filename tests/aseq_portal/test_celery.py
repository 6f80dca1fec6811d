"""The Celery app: eager without a broker; a real worker and beat on Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from aseq_portal.celery import app

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
needs_redis = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL")


def test_celery_reads_django_settings():
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.task_acks_late is True


def celery_env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aseq_portal.settings.local",
        "DJANGO_IGNORE_DOTENV": "true",
    }


@needs_redis
def test_worker_starts_against_redis_and_answers_a_ping():
    node = f"ci-{os.getpid()}@localhost"
    worker = subprocess.Popen(
        [CELERY, "-A", "aseq_portal", "worker", "--pool", "solo", "-n", node, "-l", "WARNING"],
        cwd=ROOT,
        env=celery_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        answered = False
        for _ in range(30):
            ping = subprocess.run(
                [CELERY, "-A", "aseq_portal", "inspect", "ping", "-d", node, "-t", "2"],
                cwd=ROOT,
                env=celery_env(),
                capture_output=True,
                text=True,
                check=False,
            )
            if "pong" in ping.stdout:
                answered = True
                break
            time.sleep(1)
        assert answered
    finally:
        worker.terminate()
        worker.wait(timeout=30)


@needs_redis
def test_beat_starts_against_redis(tmp_path):
    beat = subprocess.Popen(
        [CELERY, "-A", "aseq_portal", "beat", "-l", "INFO", "-s", str(tmp_path / "schedule")],
        cwd=ROOT,
        env=celery_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        time.sleep(4)
        assert beat.poll() is None, "beat exited early"
    finally:
        beat.terminate()
        output = beat.communicate(timeout=30)[0]
    assert "beat: Starting" in output
