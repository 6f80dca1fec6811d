"""The tunables of privacy requests: one object, defaults here, read at use.

Same shape as every app's (members/app_settings.py): ``app_settings.NAME`` reads its
``PRIVACY_...`` setting each time, falling back to the default written here.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings


class AppSettings:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _setting(self, name: str, default: Any) -> Any:
        return getattr(settings, self.prefix + name, default)

    @property
    def DUE_DAYS(self) -> int:
        """Law 25: an answer within 30 days."""
        return int(self._setting("REQUEST_DUE_DAYS", 30))

    @property
    def MAX_EXTENSION_DAYS(self) -> int:
        """One extension of at most this many days, with reasons."""
        return int(self._setting("REQUEST_MAX_EXTENSION_DAYS", 30))

    @property
    def DUE_SOON_DAYS(self) -> int:
        """The staff queue's warning band."""
        return int(self._setting("REQUEST_DUE_SOON_DAYS", 7))

    @property
    def RECOURSE_PERIOD(self) -> timedelta:
        """A refused member's rows stay under a recourse hold this long after closing."""
        return timedelta(days=self._setting("REQUEST_RECOURSE_DAYS", 30))

    @property
    def EXPORT_LINK_LIFETIME(self) -> timedelta:
        return timedelta(days=self._setting("EXPORT_LINK_DAYS", 7))

    @property
    def DOCUMENT_MAX_BYTES(self) -> int:
        """A correction request's supporting document."""
        return int(self._setting("CORRECTION_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024))

    @property
    def SELF_SERVICE_MODELS(self) -> tuple[str, ...]:
        """Models the member changes themselves: not offered for correction.

        No default: privacy names no app of ours; the site's settings list them."""
        return tuple(self._setting("CORRECTION_SELF_SERVICE_MODELS", ()))

    @property
    def SEARCH_FIELDS(self) -> tuple[str, ...]:
        """Personal fields (blind-indexed) staff may search requests by, exactly."""
        return tuple(self._setting("REQUEST_SEARCH_FIELDS", ("student_number",)))


app_settings = AppSettings("PRIVACY_")
