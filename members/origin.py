"""Where an action came from, reduced to what the activity page may keep."""

from dataclasses import dataclass

from django.http import HttpRequest

from privacy.ip import request_ip

from .devices import device_family


@dataclass(frozen=True)
class Origin:
    """A truncated network and a device family; never a full address or user agent."""

    ip_network: str | None = None
    device_family: str = ""


NO_ORIGIN = Origin()


def origin_of(request: HttpRequest | None) -> Origin:
    if request is None:
        return NO_ORIGIN
    return Origin(
        ip_network=request_ip(request) or None,
        device_family=device_family(request.META.get("HTTP_USER_AGENT")),
    )
