"""Celery app: Redis broker when REDIS_URL is set, eager tasks otherwise."""

import os

from celery import Celery
from celery.signals import beat_init, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aseq_portal.settings.local")

app = Celery("aseq_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _worker_refuses_unsafe_start(**kwargs) -> None:
    """A worker without valid keys (or with published ones) stops before it is ready."""
    from aseq_portal.startup import refuse_unsafe_start

    refuse_unsafe_start("celery worker")


@beat_init.connect
def _beat_refuses_unsafe_start(**kwargs) -> None:
    from aseq_portal.startup import refuse_unsafe_start

    refuse_unsafe_start("celery beat")
