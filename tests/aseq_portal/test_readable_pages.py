"""The member pages this work touched, for the demo member, read as words, never internals."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from coverage.models import Claim
from members.models import Member
from privacy.requests.correction_topics import correction_topics
from privacy.requests.models import PrivacyRequest, RequestKind
from tests.privacy.test_requests_views import sign_in
from tests.readable import assert_readable, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def camille():
    call_command("seed_demo", stdout=io.StringIO())
    return Member.objects.select_related("user").get(user__email="etudiante@demo.aseq.ca")


def main_of(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_touched_member_pages_show_no_internals(client, camille, language):
    user = camille.user
    sign_in(client, user)
    claim = Claim.objects.filter(member=camille).first()
    with translation.override(language):
        topics = correction_topics(user=user)
        claim_topic = next(t for t in topics if t.object_id == str(claim.pk))
        urls = [
            reverse("members_dependant_add"),
            reverse("privacy_request_correction") + "?restart=1",
            reverse("privacy_request_correction_topic") + "?person=me",
            reverse("privacy_request_correction_field") + f"?topic={claim_topic.key}",
            reverse("privacy_request_correction_value")
            + f"?topic={claim_topic.key}&field=amount_claimed_cents",
            reverse("privacy_request_correction_review"),
        ]
        urls += [reverse("coverage_card", args=[p]) for p in _persons(camille)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_readable(text_of(main_of(response.content.decode())), language=language, where=url)
    # And the request page once a correction is sent.
    client.post(
        reverse("privacy_request_correction_value")
        + f"?topic={claim_topic.key}&field=amount_claimed_cents",
        {"value": "61,50"},
    )
    client.post(reverse("privacy_request_correction_review"), {"details": ""})
    request = PrivacyRequest.objects.get(member=user, kind=RequestKind.CORRECTION)
    with translation.override(language):
        detail = client.get(reverse("privacy_request_detail", args=[request.pk]))
    text = text_of(main_of(detail.content.decode()))
    assert_readable(text, language=language, where="detail")
    assert ("61,50" if language == "fr" else "61.50") in text


def _persons(member):
    return [member.pk, *member.dependants.values_list("pk", flat=True)]
