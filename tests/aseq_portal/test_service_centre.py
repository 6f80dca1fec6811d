from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

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


@pytest.mark.django_db
def test_contact_page_publishes_the_days_hours_and_a_dialable_number(client):
    with translation.override("fr"):
        url = reverse("contact")
    html = client.get(url).content.decode()
    assert "Du lundi au vendredi, de 9 h à 17 h (heure de Montréal)." in html
    assert '<a href="tel:+18664168708">1 866 416-8708</a>' in html
