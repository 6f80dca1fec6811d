"""The correction request as a person recognises it: whose, which record, which field, value."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from aseq_portal.typography import typeset
from coverage.demo import claims_seed
from coverage.models import Claim
from privacy.requests.correction_topics import correction_topics
from privacy.requests.models import PrivacyRequest, RequestKind
from tests.factories import DependantFactory

from .test_requests_views import sign_in

pytestmark = pytest.mark.django_db

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def url(name, language="fr"):
    with translation.override(language):
        return reverse(name)


def visible_text(html: str) -> str:
    """The page's text, outside tags and attributes (URLs may carry ids)."""
    body = html.split("<main", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", body)


def assert_readable(html: str) -> None:
    text = visible_text(html)
    assert not UUID.search(text), UUID.search(text)
    for internal in ("(cents)", "True", "False", "None", "in_review", "paid", "covered"):
        assert internal not in text, internal
    # Records are named by opaque keys: no model name or database id in links and fields.
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "coverage.Claim" not in main and "members.Member" not in main


@pytest.fixture
def family(member, coverage_member, plan):
    child = DependantFactory(
        member=coverage_member,
        relationship="child",
        first_name="Léa",
        last_name="Tremblay",
        date_of_birth=date(2015, 6, 2),
    )
    claims_seed(member=coverage_member, plan=plan, dependant=child, prefix="T1")
    return coverage_member, child


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_step_speaks_the_portals_words(client, member, family, language):
    record, _child = family
    sign_in(client, member)
    first = client.get(url("privacy_request_correction", language))
    html = first.content.decode()
    assert_readable(html)
    assert "Léa Tremblay" in html and "Camille Tremblay" in html
    topic_page = client.get(
        url("privacy_request_correction_topic", language), {"person": "me"}
    ).content.decode()
    assert_readable(topic_page)
    claim = Claim.objects.filter(member=record, dependant=None).first()
    # A claim is named by its date and care type, with the amount in dollars.
    with translation.override(language):
        topics = correction_topics(user=member)
        claim_topic = next(t for t in topics if t.object_id == str(claim.pk))
        assert claim.benefit.name in claim_topic.label
    # As the page shows it: typeset (a claim of the 1st of a month reads "1er" in French).
    shown = typeset(claim_topic.label, language)
    assert shown in topic_page.replace("&#x27;", "'")
    assert "$" in claim_topic.label
    field_page = client.get(
        url("privacy_request_correction_field", language), {"topic": claim_topic.key}
    ).content.decode()
    assert_readable(field_page)
    assert "$" in field_page
    # The 159-entry menus are gone: no <select> anywhere in the flow.
    assert "<select" not in html + topic_page + field_page


def test_a_claim_amount_and_a_dependants_birth_date_are_corrected_in_one_request(
    client, member, family
):
    record, child = family
    sign_in(client, member)
    claim = Claim.objects.filter(member=record).first()
    topics = correction_topics(user=member)
    claim_topic = next(t for t in topics if t.object_id == str(claim.pk))
    child_topic = next(t for t in topics if t.object_id == str(child.pk))

    # Whose: the child, by name.
    response = client.get(url("privacy_request_correction"), {"go": "1", "person": str(child.pk)})
    assert response.status_code == 302
    # Which record, then which field, then the value (a date input).
    response = client.get(response["Location"] + f"&go=1&topic={child_topic.key}")
    response = client.get(response["Location"] + "&go=1&field=date_of_birth")
    value_page = client.get(response["Location"]).content.decode()
    assert 'type="date"' in value_page and "2 juin 2015" in value_page
    response = client.post(response["Location"], {"value": "2015-06-12"})
    assert response["Location"] == url("privacy_request_correction_review")

    # Add another: the claim's amount, typed in dollars the French way.
    value_url = (
        url("privacy_request_correction_value")
        + f"?topic={claim_topic.key}&field=amount_claimed_cents"
    )
    assert 'inputmode="decimal"' in client.get(value_url).content.decode()
    bad = client.post(value_url, {"value": "quatre-vingts"})
    assert "data-error-summary" in bad.content.decode()
    client.post(value_url, {"value": "92,50 $"})

    review = client.get(url("privacy_request_correction_review")).content.decode()
    assert_readable(review)
    assert "92,50" in review and "12 juin 2015" in review
    response = client.post(url("privacy_request_correction_review"), {"details": ""})
    assert response.status_code == 302
    request = PrivacyRequest.objects.get(member=member, kind=RequestKind.CORRECTION)
    asked = {i.field_name: i.proposed_value for i in request.correction_items.all()}
    assert asked == {"date_of_birth": "2015-06-12", "amount_claimed_cents": "9250"}
    detail = client.get(response["Location"]).content.decode()
    assert_readable(detail)
    assert "92,50" in detail and "12 juin 2015" in detail


def test_something_else_alone_is_a_request_too(client, member, family):
    sign_in(client, member)
    response = client.post(
        url("privacy_request_correction_review"),
        {"details": "Mon adresse chez l’assureur est l’ancienne."},
    )
    assert response.status_code == 302
    request = PrivacyRequest.objects.get(member=member, kind=RequestKind.CORRECTION)
    assert request.details.startswith("Mon adresse") and not request.correction_items.exists()


def test_an_empty_request_is_refused_with_a_summary(client, member, family):
    sign_in(client, member)
    response = client.post(url("privacy_request_correction_review"), {"details": ""})
    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert not PrivacyRequest.objects.exists()


def test_only_what_a_member_may_correct_is_offered(member, family):
    offered = {(t.model_label, f.name) for t in correction_topics(user=member) for f in t.fields}
    assert ("coverage.Claim", "amount_claimed_cents") in offered
    assert ("members.Dependant", "date_of_birth") in offered
    for decided in ("status", "amount_paid_cents", "refusal_reason", "reference"):
        assert ("coverage.Claim", decided) not in offered
    for own in ("address_line1", "phone", "email", "member_number", "association"):
        assert ("members.Member", own) not in offered
    assert ("members.Dependant", "suffix") not in offered
    assert not any(label == "members.MemberLocation" for label, _ in offered)
