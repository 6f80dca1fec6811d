"""The purge on Celery: eager in tests, and a real worker on Redis against PostgreSQL."""

import os
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
import redis
from celery.schedules import crontab
from django.conf import settings
from django.db import connection

from aseq_portal.celery import app
from privacy.models import RetentionRun
from privacy.retention.engine import purge_lock
from privacy.retention.tasks import purge_expired
from tests.factories import EnquiryFactory, VisitFactory, days_ago
from tests.retentionapp.models import Enquiry, Visit

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def test_the_task_is_late_acknowledged_time_limited_and_scheduled_nightly():
    assert purge_expired.acks_late is True
    assert purge_expired.reject_on_worker_lost is True
    assert purge_expired.soft_time_limit < purge_expired.time_limit
    assert purge_expired.soft_time_limit > settings.PRIVACY_PURGE_TIME_BUDGET
    # The lock no longer needs to outlast the task: a heartbeat keeps it, and a killed
    # holder's lock lapses within two minutes.
    assert settings.PRIVACY_LOCK_LEASE_SECONDS <= 120
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-purge-expired"]
    assert entry["task"] == purge_expired.name
    assert entry["schedule"] == crontab(hour=settings.PRIVACY_PURGE_HOUR, minute=0)


def test_the_purge_hour_comes_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_BEAT_SCHEDULE['privacy-purge-expired']['schedule'].hour)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "aseq_portal.settings.test",
            "DJANGO_IGNORE_DOTENV": "true",
            "PRIVACY_PURGE_HOUR": "5",
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "{5}"


def test_the_task_purges_and_records_a_run_started_by_beat():
    VisitFactory(visited_at=days_ago(40))
    kept = VisitFactory(visited_at=days_ago(3))
    run_id = purge_expired.delay().get()
    run = RetentionRun.objects.get(pk=run_id)
    assert run.started_by == RetentionRun.BY_BEAT
    assert run.status == RetentionRun.Status.FINISHED
    assert list(Visit.objects.all()) == [kept]


def test_out_of_time_the_task_requeues_itself_until_the_run_is_finished(
    settings, django_capture_on_commit_callbacks
):
    settings.PRIVACY_PURGE_TIME_BUDGET = 0
    VisitFactory.create_batch(7, visited_at=days_ago(40))
    EnquiryFactory.create_batch(3, closed_on=days_ago(400).date())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        purge_expired.delay(batch_size=2)
    # Each invocation stops after a batch that did something and re-queues itself,
    # unless that batch finished its model: enquiries 2 (+1), visits 2, 2, 2 (+1).
    assert len(callbacks) == 4
    run = RetentionRun.objects.get()
    assert run.status == RetentionRun.Status.FINISHED
    assert run.lines.get(model_label="retentionapp.Visit").count == 7
    assert not Visit.objects.exists()
    assert not Enquiry.objects.exclude(name="").exists()


def test_the_task_never_runs_twice_at_once():
    VisitFactory(visited_at=days_ago(40))
    with purge_lock():
        assert purge_expired.delay().get() is None
    assert Visit.objects.count() == 1
    assert not RetentionRun.objects.exists()


def database_url_for(name: str) -> str:
    settings_dict = connection.settings_dict
    user, host, port = settings_dict["USER"], settings_dict["HOST"], settings_dict["PORT"]
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port or 5432}/{name}"


@pytest.mark.skipif(
    not (os.environ.get("REDIS_URL") and os.environ.get("DATABASE_URL")),
    reason="needs REDIS_URL and DATABASE_URL (PostgreSQL)",
)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_runs_the_purge_end_to_end():
    expired = VisitFactory.create_batch(5, visited_at=days_ago(40))
    kept = VisitFactory(visited_at=days_ago(3))
    enquiry = EnquiryFactory(closed_on=days_ago(400).date())
    queue = f"purge-test-{os.getpid()}"
    node = f"purge-{os.getpid()}@localhost"
    worker_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aseq_portal.settings.test",
        "DJANGO_IGNORE_DOTENV": "true",
        "CELERY_EAGER": "false",
        "DATABASE_URL": database_url_for(connection.settings_dict["NAME"]),
    }
    command = [CELERY, "-A", "aseq_portal", "worker", "--pool", "solo", "-l", "WARNING"]
    worker = subprocess.Popen(
        [*command, "-Q", queue, "-n", node],
        cwd=ROOT,
        env=worker_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # send_task warns that eager mode is ignored
            app.send_task(
                purge_expired.name, kwargs={"batch_size": 2, "started_by": "ci"}, queue=queue
            )
        run = None
        for _ in range(60):
            run = RetentionRun.objects.filter(status=RetentionRun.Status.FINISHED).first()
            if run:
                break
            time.sleep(1)
        assert run is not None, "the worker did not finish a purge within 60 s"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        # Leave nothing of the test queue behind in Redis.
        redis.Redis.from_url(os.environ["REDIS_URL"]).delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )
    assert run.started_by == "ci"
    assert run.lines.get(model_label="retentionapp.Visit").count == len(expired)
    assert list(Visit.objects.all()) == [kept]
    enquiry.refresh_from_db()
    assert enquiry.name == ""
