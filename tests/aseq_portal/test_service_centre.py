from datetime import UTC, datetime

import pytest

from aseq_portal.service_centre import service_centre_status


@pytest.mark.parametrize(
    ("utc_time", "is_open"),
    [
        (datetime(2026, 11, 25, 14, 0, tzinfo=UTC), True),  # Wed 09:00 in Montreal
        (datetime(2026, 11, 25, 13, 59, tzinfo=UTC), False),  # Wed 08:59
        (datetime(2026, 11, 25, 21, 59, tzinfo=UTC), True),  # Wed 16:59
        (datetime(2026, 11, 25, 22, 0, tzinfo=UTC), False),  # Wed 17:00
        (datetime(2026, 11, 28, 15, 0, tzinfo=UTC), False),  # Saturday 10:00
        (datetime(2026, 7, 15, 13, 0, tzinfo=UTC), True),  # summer time: 09:00 EDT
    ],
)
def test_service_centre_hours_are_computed_in_montreal_time(utc_time, is_open):
    assert service_centre_status(at=utc_time).is_open is is_open
