"""The key store's tunables: one object, defaults here, read at use.

Same shape as every app's (members/app_settings.py): ``app_settings.NAME`` reads
``settings.KEYSTORE_NAME`` each time, falling back to the default written here.
"""

from typing import Any

from django.conf import settings


class AppSettings:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _setting(self, name: str, default: Any) -> Any:
        return getattr(settings, self.prefix + name, default)

    @property
    def CACHE_SIZE(self) -> int:
        """Opened data keys one process keeps in memory at most."""
        return int(self._setting("CACHE_SIZE", 1024))

    @property
    def CACHE_SECONDS(self) -> float:
        """How long an opened key is kept: a key destroyed elsewhere stops opening here then."""
        return float(self._setting("CACHE_SECONDS", 60))

    @property
    def BACKUP_KEEP_DAYS(self) -> int:
        """Days the key store's backups are kept (ops/backup-keystore)."""
        return int(self._setting("BACKUP_KEEP_DAYS", 7))


app_settings = AppSettings("KEYSTORE_")
