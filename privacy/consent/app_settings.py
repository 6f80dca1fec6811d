"""The consent layer's tunables: one object, defaults here, read at use.

Same shape as every app's (members/app_settings.py): ``app_settings.NAME`` reads
``settings.PRIVACY_CONSENT_NAME`` each time, falling back to the default written here.
"""

from typing import Any

from django.conf import settings


class AppSettings:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _setting(self, name: str, default: Any) -> Any:
        return getattr(settings, self.prefix + name, default)

    @property
    def COOKIE_NAME(self) -> str:
        """The essential cookie that carries the visitor's choice (signed)."""
        return str(self._setting("COOKIE_NAME", "consent"))

    @property
    def COOKIE_AGE(self) -> int:
        """Seconds; an older choice is asked again."""
        return int(self._setting("COOKIE_AGE", 180 * 86400))

    @property
    def COOKIE_SECURE(self) -> bool:
        return bool(self._setting("COOKIE_SECURE", False))


app_settings = AppSettings("PRIVACY_CONSENT_")
