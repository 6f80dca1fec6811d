"""Celery tasks of privacy requests: thin, each calls one service."""

from celery import shared_task

from privacy.requests.exports import export_purge_expired


@shared_task(acks_late=True)
def privacy_export_purge_expired() -> int:
    """Delete export archives whose download link has expired (hourly, by beat)."""
    return export_purge_expired()
