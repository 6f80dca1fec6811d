"""The retention purge's tunables: one object, defaults here, read at use.

Same shape as every app's (members/app_settings.py): ``app_settings.NAME`` reads
``settings.PRIVACY_NAME`` each time, falling back to the default written here.
"""

from typing import Any

from django.conf import settings


class AppSettings:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _setting(self, name: str, default: Any) -> Any:
        return getattr(settings, self.prefix + name, default)

    @property
    def RETENTION(self) -> dict[str, dict[str, int]]:
        """Overrides of the data map's windows: {"app_label.Model": {"keep_for_days": N}}."""
        return dict(self._setting("RETENTION", {}))

    @property
    def PURGE_BATCH_SIZE(self) -> int:
        """Rows per batch; each batch is one transaction."""
        return int(self._setting("PURGE_BATCH_SIZE", 20000))

    @property
    def PURGE_TIME_BUDGET(self) -> int:
        """Seconds a purge task works before it pauses between batches and re-queues."""
        return int(self._setting("PURGE_TIME_BUDGET", 14 * 60))

    @property
    def PURGE_SOFT_TIME_LIMIT(self) -> int:
        """Read once, when the task is declared (Celery's own limit)."""
        return int(self._setting("PURGE_SOFT_TIME_LIMIT", 15 * 60))

    @property
    def PURGE_HARD_TIME_LIMIT(self) -> int:
        """Read once, when the task is declared (Celery's own limit)."""
        return int(self._setting("PURGE_HARD_TIME_LIMIT", 17 * 60))

    @property
    def LOCK_LEASE_SECONDS(self) -> int:
        """A long task's lock is renewed every third of this; a killed holder frees it."""
        return int(self._setting("LOCK_LEASE_SECONDS", 90))


app_settings = AppSettings("PRIVACY_")
