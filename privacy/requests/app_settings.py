"""The tunables of privacy requests, read in one place (see settings/base.py)."""

from datetime import timedelta

from django.conf import settings


class AppSettings:
    @property
    def DUE_DAYS(self) -> int:
        return settings.PRIVACY_REQUEST_DUE_DAYS

    @property
    def MAX_EXTENSION_DAYS(self) -> int:
        return settings.PRIVACY_REQUEST_MAX_EXTENSION_DAYS

    @property
    def DUE_SOON_DAYS(self) -> int:
        return settings.PRIVACY_REQUEST_DUE_SOON_DAYS

    @property
    def RECOURSE_PERIOD(self) -> timedelta:
        return timedelta(days=settings.PRIVACY_REQUEST_RECOURSE_DAYS)

    @property
    def EXPORT_LINK_LIFETIME(self) -> timedelta:
        return timedelta(days=settings.PRIVACY_EXPORT_LINK_DAYS)

    @property
    def DOCUMENT_MAX_BYTES(self) -> int:
        return settings.PRIVACY_CORRECTION_DOCUMENT_MAX_BYTES

    @property
    def SELF_SERVICE_MODELS(self) -> tuple[str, ...]:
        return tuple(settings.PRIVACY_CORRECTION_SELF_SERVICE_MODELS)

    @property
    def SEARCH_FIELDS(self) -> tuple[str, ...]:
        return tuple(settings.PRIVACY_REQUEST_SEARCH_FIELDS)


app_settings = AppSettings()
