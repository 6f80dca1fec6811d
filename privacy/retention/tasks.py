"""Celery tasks of privacy: the nightly retention purge."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction

from privacy.retention.api import RetentionPurgeBusy, retention_purge, retention_purge_resume
from privacy.retention.app_settings import app_settings
from privacy.retention.models import RetentionRun

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="privacy.purge_expired",
    acks_late=True,
    # A killed worker leaves the message to be redelivered; the rerun resumes the run.
    reject_on_worker_lost=True,
    soft_time_limit=app_settings.PURGE_SOFT_TIME_LIMIT,
    time_limit=app_settings.PURGE_HARD_TIME_LIMIT,
    ignore_result=True,
)
def purge_expired(
    self,
    run_id: int | None = None,
    model_label: str = "",
    batch_size: int | None = None,
    started_by: str = RetentionRun.BY_BEAT,
) -> int | None:
    """Purge expired rows; out of time, pause and re-queue itself to finish the run."""
    limits = {
        "time_budget": app_settings.PURGE_TIME_BUDGET,
        "pause_on": (SoftTimeLimitExceeded,),
    }
    try:
        if run_id is None:
            run = retention_purge(
                started_by=started_by, model_label=model_label, batch_size=batch_size, **limits
            )
        else:
            run = retention_purge_resume(run_id=run_id, **limits)
    except RetentionPurgeBusy as busy:
        holder = busy.holder
        logger.info(
            "Retention purge already running on %s (pid %s) since %s; its lock lapses by %s "
            "if it stopped: this one is skipped.",
            holder.hostname if holder else "?",
            holder.pid if holder else "?",
            holder.since.isoformat() if holder else "?",
            holder.retry_at.isoformat() if holder else "?",
        )
        return None
    if run.status == RetentionRun.Status.PAUSED:
        queue = (self.request.delivery_info or {}).get("routing_key")
        transaction.on_commit(lambda: self.apply_async(kwargs={"run_id": run.pk}, queue=queue))
        logger.info("Retention purge run %s paused: re-queued to finish.", run.pk)
    return run.pk
