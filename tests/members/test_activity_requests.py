"""The activity page lists the member's own privacy requests and export downloads."""

import pytest

from privacy.requests.services import privacy_request_submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "label"), [("fr", "Demande envoyée"), ("en", "Request sent")])
def test_activity_shows_the_members_own_requests_only(
    client, member, other_member, member_record, language, label
):
    mine = privacy_request_submit(account=member, kind="access")
    theirs = privacy_request_submit(account=other_member, kind="deletion")

    client.force_login(member)
    page = client.get(_activity_url(language)).content.decode()
    assert label in page
    assert mine.reference in page
    assert theirs.reference not in page


def test_a_downloaded_export_appears_in_the_activity(member):
    from django.utils import timezone

    from members.selectors import activity_for
    from privacy.requests.models import ExportArchive

    request = privacy_request_submit(account=member, kind="access")
    ExportArchive.objects.create(
        request=request,
        content=b"zip",
        size=3,
        expires_at=timezone.now() + timezone.timedelta(days=7),
        downloaded_at=timezone.now(),
    )
    labels = [item.label for item in activity_for(user=member)]
    assert f"Exportation téléchargée ({request.reference})" in labels


def _activity_url(language: str) -> str:
    from django.urls import reverse
    from django.utils import translation

    with translation.override(language):
        return reverse("members_activity")
