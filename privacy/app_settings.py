"""The field-encryption keys' settings: one object, read at use.

Same shape as every app's (members/app_settings.py): ``app_settings.NAME`` reads
``settings.PRIVACY_NAME`` each time. The keys have no default ("" is "unset"): a system
check (privacy/checks.py) refuses to start without them. privacy/crypto.py parses them
once and forgets the parse when a test overrides them (setting_changed).
"""

from typing import Any

from django.conf import settings


class AppSettings:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _setting(self, name: str, default: Any) -> Any:
        return getattr(settings, self.prefix + name, default)

    @property
    def ENCRYPTION_KEYS(self) -> str:
        """The keyring, "keyid:base64key,oldid:base64key"; the first seals."""
        return self._setting("ENCRYPTION_KEYS", "")

    @property
    def BLIND_INDEX_KEY(self) -> str:
        return self._setting("BLIND_INDEX_KEY", "")

    @property
    def BLIND_INDEX_PREVIOUS_KEY(self) -> str:
        """Set only while the blind indexes are re-computed under a new key."""
        return self._setting("BLIND_INDEX_PREVIOUS_KEY", "")

    @property
    def DATA_KEYS(self) -> bool:
        """Seal new values of a person's rows under their data key (v2); off: v1."""
        return bool(self._setting("DATA_KEYS", True))


app_settings = AppSettings("PRIVACY_")
