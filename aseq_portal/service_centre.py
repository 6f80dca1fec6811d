"""Opening hours of the member service centre (P7, P31)."""

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

OPENS_AT = time(9, 0)
CLOSES_AT = time(17, 0)
OPEN_WEEKDAYS = range(0, 5)  # Monday to Friday


@dataclass(frozen=True)
class ServiceCentreStatus:
    is_open: bool
    local_time: datetime
    phone: str

    @property
    def tel(self) -> str:
        """The number as a tel: link dials it: "+" and the digits of the North American number."""
        return "+" + "".join(ch for ch in self.phone if ch.isdigit())


def service_centre_status(*, at: datetime | None = None) -> ServiceCentreStatus:
    """Open or closed now, computed in Montreal time whatever the server's zone."""
    local = (at or timezone.now()).astimezone(ZoneInfo(settings.SERVICE_CENTRE_TIMEZONE))
    is_open = local.weekday() in OPEN_WEEKDAYS and OPENS_AT <= local.time() < CLOSES_AT
    return ServiceCentreStatus(
        is_open=is_open, local_time=local, phone=settings.SERVICE_CENTRE_PHONE
    )
