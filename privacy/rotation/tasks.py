"""Celery task of key rotation: count stored values by key, for the status page."""

from celery import shared_task

from privacy.rotation.services import key_census_take


@shared_task(name="privacy.key_census_take", acks_late=True, ignore_result=True)
def key_census_task() -> None:
    """Recount every stored value by key and store the census (a full scan of each column)."""
    key_census_take()
