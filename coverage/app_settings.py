"""coverage's tunables: one object, defaults here, read at use (see members/app_settings.py).

``app_settings.NAME`` reads ``settings.COVERAGE_NAME`` (documented in .env.example).
"""

from typing import Any

from django.conf import settings


class AppSettings:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _setting(self, name: str, default: Any) -> Any:
        return getattr(settings, self.prefix + name, default)

    @property
    def PROOF_TOKEN_MAX_AGE(self) -> int:
        """Seconds a proof-of-coverage QR code stays valid."""
        return int(self._setting("PROOF_TOKEN_MAX_AGE", 30 * 24 * 3600))

    @property
    def VERIFY_RATE_LIMIT(self) -> int:
        """Verifications allowed per minute from one network (IPv4 /24, IPv6 /48)."""
        return int(self._setting("VERIFY_RATE_LIMIT", 30))

    @property
    def PROOF_UPLOAD_MAX_BYTES(self) -> int:
        return int(self._setting("PROOF_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))

    @property
    def IMPORT_CHUNK_SIZE(self) -> int:
        """Lines applied per chunk by manage.py import_coverage."""
        return int(self._setting("IMPORT_CHUNK_SIZE", 2000))


app_settings = AppSettings("COVERAGE_")
