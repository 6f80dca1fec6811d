"""The members app's tunables: one object, defaults here, read at use.

The pattern of every app of ours (allauth's): ``app_settings.NAME`` reads
``settings.MEMBERS_NAME`` each time it is used, falling back to the default written
here, so ``override_settings`` (and a settings file that leaves one out) just work.
aseq_portal/settings/base.py sets them from the environment (.env.example).
"""

from datetime import timedelta
from typing import Any

from django.conf import settings

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/h" -> (5, 3600); "10/15m" -> (10, 900)."""
    count, _, period = rate.partition("/")
    unit = period[-1]
    multiplier = int(period[:-1] or 1)
    return int(count), multiplier * PERIODS[unit]


class AppSettings:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def _setting(self, name: str, default: Any) -> Any:
        return getattr(settings, self.prefix + name, default)

    @property
    def CHILD_MAX_AGE(self) -> int:
        """A dependent child must be younger than this many full years."""
        return int(self._setting("CHILD_MAX_AGE", 25))

    @property
    def MAX_DEPENDANTS(self) -> int:
        """The most dependants one member may have on file (the plan's rule)."""
        return int(self._setting("MAX_DEPENDANTS", 15))

    @property
    def ADULT_AGE(self) -> int:
        """From this age a dependant's details are theirs: the member sees an overview."""
        return int(self._setting("ADULT_AGE", 18))

    @property
    def CLAIM_RATE_LIMIT(self) -> tuple[int, int]:
        """(attempts, seconds) allowed per account for claiming a record."""
        return parse_rate(self._setting("CLAIM_RATE_LIMIT", "5/h"))

    @property
    def CLAIM_RATE_LIMIT_PER_NETWORK(self) -> tuple[int, int]:
        """(attempts, seconds) allowed per truncated client address."""
        return parse_rate(self._setting("CLAIM_RATE_LIMIT_PER_NETWORK", "30/h"))

    # Failed sign-ins, "count/period" (members.signin). On a known device: that device's
    # own failures; from any other client: per account and network, per account, per network.
    @property
    def SIGNIN_FAILURES_PER_DEVICE(self) -> str:
        return str(self._setting("SIGNIN_FAILURES_PER_DEVICE", "5/5m"))

    @property
    def SIGNIN_FAILURES_PER_CLIENT(self) -> str:
        return str(self._setting("SIGNIN_FAILURES_PER_CLIENT", "5/5m"))

    @property
    def SIGNIN_FAILURES_PER_ACCOUNT(self) -> str:
        return str(self._setting("SIGNIN_FAILURES_PER_ACCOUNT", "30/h"))

    @property
    def SIGNIN_FAILURES_PER_NETWORK(self) -> str:
        return str(self._setting("SIGNIN_FAILURES_PER_NETWORK", "30/m"))

    @property
    def SIGNIN_UNLOCK_LINK_AGE(self) -> int:
        """Seconds an unlock-by-mail link stays valid."""
        return int(self._setting("SIGNIN_UNLOCK_LINK_AGE", 3600))

    @property
    def SIGNIN_UNLOCK_MAILS(self) -> str:
        """Unlock mails one account may get, "count/period"."""
        return str(self._setting("SIGNIN_UNLOCK_MAILS", "3/h"))

    @property
    def KNOWN_DEVICE_COOKIE_NAME(self) -> str:
        return str(self._setting("KNOWN_DEVICE_COOKIE_NAME", "known_device"))

    @property
    def KNOWN_DEVICE_COOKIE_AGE(self) -> int:
        """Seconds."""
        return int(self._setting("KNOWN_DEVICE_COOKIE_AGE", 180 * 86400))

    @property
    def ACTIVITY_RETENTION(self) -> timedelta:
        return timedelta(days=self._setting("ACTIVITY_RETENTION_DAYS", 365))

    @property
    def LOCATION_RETENTION(self) -> timedelta:
        return timedelta(days=self._setting("LOCATION_RETENTION_DAYS", 90))

    @property
    def RECORD_RETENTION(self) -> timedelta:
        return timedelta(days=self._setting("RECORD_RETENTION_DAYS", 7 * 365))

    @property
    def UNUSED_ACCOUNT_RETENTION(self) -> timedelta:
        return timedelta(days=self._setting("UNUSED_ACCOUNT_DAYS", 180))

    @property
    def PROVIDER_SEARCH_RADIUS_KM(self) -> float:
        return float(self._setting("PROVIDER_SEARCH_RADIUS_KM", 25))

    @property
    def PROVIDER_RESULTS(self) -> int:
        return int(self._setting("PROVIDER_RESULTS", 20))


app_settings = AppSettings("MEMBERS_")
