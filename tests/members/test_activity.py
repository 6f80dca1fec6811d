"""Activity: the member sees their own recent activity, and only theirs."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from members import selectors, services
from members.devices import device_family
from members.models import ActivityEvent
from tests.factories import PASSWORD, DependantFactory

pytestmark = pytest.mark.django_db

ACTIVITY_URL = "/fr/mon-compte/activite/"
LOGIN_URL = "/fr/compte/login/"
ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126 Mobile"


def test_sign_in_is_recorded_with_device_family_and_truncated_address(client, member):
    client.post(
        LOGIN_URL,
        {"login": member.email, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT=ANDROID,
    )
    event = ActivityEvent.objects.get(user=member, kind="sign_in")
    assert event.device_family == "android"
    assert event.ip_network == "203.0.113.0"
    page = client.get(ACTIVITY_URL).content.decode()
    assert "Connexion" in page
    assert "Android" in page
    assert "203.0.113.0" in page
    assert "203.0.113.77" not in page
    assert "Pixel" not in page  # never the full user agent


def test_activity_page_lists_the_members_own_events_only(client, member_record, other_member):
    DependantFactory(member=member_record)
    services.dependant_remove(dependant=member_record.dependants.get())
    services.activity_record(user=other_member, kind="profile_updated", changed_fields=["phone"])
    ActivityEvent.objects.filter(user=other_member).update(ip_network="198.51.100.0")
    client.force_login(member_record.user)
    page = client.get(ACTIVITY_URL).content.decode()
    assert "Personne à charge retirée" in page
    assert "198.51.100.0" not in page
    assert "Coordonnées modifiées" not in page
    assert all(
        item.label != "Coordonnées modifiées"
        for item in selectors.activity_for(user=member_record.user)
    )


def test_activity_names_changed_fields_never_their_values(client, member_record):
    services.member_profile_update(
        member=member_record, changes={"phone": "438 555-0199", "city": "Laval"}
    )
    client.force_login(member_record.user)
    page = client.get(ACTIVITY_URL).content.decode()
    assert "téléphone" in page
    assert "438 555-0199" not in page
    assert "Laval" not in page


def test_activity_older_than_the_retention_window_is_not_shown(member, settings):
    settings.MEMBERS_ACTIVITY_RETENTION_DAYS = 30
    old = services.activity_record(user=member, kind="sign_in")
    ActivityEvent.objects.filter(pk=old.pk).update(occurred_at=timezone.now() - timedelta(days=31))
    services.activity_record(user=member, kind="profile_updated")
    assert [item.label for item in selectors.activity_for(user=member)] == ["Coordonnées modifiées"]


def test_a_failed_claim_reads_the_same_whatever_the_reason(member, other_member_record):
    """The member's own activity must not reveal that someone else's record exists."""
    for student_number in ("00000000", other_member_record.student_number):
        services.member_claim(
            user=member,
            association=other_member_record.association,
            student_number=student_number,
            date_of_birth=other_member_record.date_of_birth,
        )
    items = selectors.activity_for(user=member)
    assert len(items) == 2
    assert items[0] == replace(items[1], occurred_at=items[0].occurred_at)


@pytest.mark.parametrize(
    ("user_agent", "family"),
    [
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X)", "iphone"),
        (ANDROID, "android"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "windows"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)", "mac"),
        ("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0)", "chromeos"),
        ("curl/8.0", "other"),
        ("", ""),
    ],
)
def test_device_family_is_coarse(user_agent, family):
    assert device_family(user_agent) == family
