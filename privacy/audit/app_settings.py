"""The audit anchors' tunables: one object, defaults here, read at use.

Same shape as every app's (members/app_settings.py): ``app_settings.NAME`` reads
``settings.AUDIT_ANCHOR_NAME`` each time, falling back to the default written here.
"""

from typing import Any

from django.conf import settings


class AppSettings:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _setting(self, name: str, default: Any) -> Any:
        return getattr(settings, self.prefix + name, default)

    @property
    def SIGNING_KEY(self) -> str:
        """Base64 of the Ed25519 key that signs the chain head ("" when unset)."""
        return str(self._setting("SIGNING_KEY", "") or "")

    @property
    def VERIFY_KEYS(self) -> tuple[str, ...]:
        """Public keys (base64) of earlier signing keys, to verify older anchors."""
        return tuple(self._setting("VERIFY_KEYS", ()))

    @property
    def DIR(self) -> str:
        """Where the signed anchors are appended; must be absolute (system check)."""
        return str(self._setting("DIR", "") or "")

    @property
    def MAIL_TO(self) -> tuple[str, ...]:
        """Addresses the anchors are also mailed to."""
        return tuple(self._setting("MAIL_TO", ()))


app_settings = AppSettings("AUDIT_ANCHOR_")
