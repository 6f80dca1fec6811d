"""The members app's tunables, read in one place (settings block "Members")."""

from datetime import timedelta

from django.conf import settings


def child_max_age() -> int:
    """A dependent child must be younger than this many full years."""
    return settings.MEMBERS_CHILD_MAX_AGE


def max_dependants() -> int:
    """The most dependants one member may have on file (the plan's rule)."""
    return settings.MEMBERS_MAX_DEPENDANTS


def adult_age() -> int:
    """From this age a dependant's details are theirs: the member sees an overview."""
    return settings.MEMBERS_ADULT_AGE


def claim_rate_limit() -> tuple[int, int]:
    """(attempts, seconds) allowed per account for claiming a record."""
    return parse_rate(settings.MEMBERS_CLAIM_RATE_LIMIT)


def claim_rate_limit_per_network() -> tuple[int, int]:
    """(attempts, seconds) allowed per truncated client address."""
    return parse_rate(settings.MEMBERS_CLAIM_RATE_LIMIT_PER_NETWORK)


def activity_retention() -> timedelta:
    return timedelta(days=settings.MEMBERS_ACTIVITY_RETENTION_DAYS)


def location_retention() -> timedelta:
    return timedelta(days=settings.MEMBERS_LOCATION_RETENTION_DAYS)


def record_retention() -> timedelta:
    return timedelta(days=settings.MEMBERS_RECORD_RETENTION_DAYS)


def unused_account_retention() -> timedelta:
    return timedelta(days=settings.MEMBERS_UNUSED_ACCOUNT_DAYS)


def provider_search_radius_km() -> float:
    return float(settings.MEMBERS_PROVIDER_SEARCH_RADIUS_KM)


def provider_results() -> int:
    return settings.MEMBERS_PROVIDER_RESULTS


PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/h" -> (5, 3600); "10/15m" -> (10, 900)."""
    count, _, period = rate.partition("/")
    unit = period[-1]
    multiplier = int(period[:-1] or 1)
    return int(count), multiplier * PERIODS[unit]
