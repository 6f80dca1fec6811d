"""Claim your record: no enumeration, rate limits, every attempt recorded."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members import services
from members.models import ActivityEvent, ClaimAttempt, Member
from members.origin import Origin
from tests.factories import AssociationFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

CLAIM_URL = "/fr/mon-compte/rattacher-mon-dossier/"
# What legitimately differs between two responses: the CSRF token and the CSP nonce.
PER_RESPONSE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"')


@pytest.fixture
def record():
    return MemberFactory(student_number="20239999", date_of_birth=date(2002, 4, 1))


def answers(record, **overrides):
    data = {
        "association": record.association.slug,
        "student_number": record.student_number,
        "date_of_birth": record.date_of_birth.isoformat(),
    }
    data.update(overrides)
    return data


def claim_as_new_user(client, data):
    user = UserFactory()
    client.force_login(user)
    return user, client.post(CLAIM_URL, data)


def test_right_answers_link_the_record_to_the_account(client, record):
    user, response = claim_as_new_user(client, answers(record))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_overview")
    record.refresh_from_db()
    assert record.user == user
    assert record.claimed_at is not None
    attempt = ClaimAttempt.objects.get(user=user)
    assert attempt.outcome == ClaimAttempt.Outcome.CLAIMED
    assert attempt.member == record


def test_student_number_matches_whatever_the_case_and_spacing(client):
    record = MemberFactory(student_number="CQ-458812")
    user, response = claim_as_new_user(client, answers(record, student_number=" cq-458812 "))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.user == user


def test_wrong_unknown_and_already_claimed_give_the_same_response(client, record):
    """No enumeration: unknown number, wrong birth date, wrong school and a record
    linked to someone else all get the very same page and status."""
    claimed = MemberFactory(student_number="20238888", user=UserFactory())
    other_school = AssociationFactory()
    cases = {
        "unknown number": answers(record, student_number="00000000"),
        "wrong birth date": answers(record, date_of_birth="2002-04-02"),
        "wrong school": answers(record, association=other_school.slug),
        "already claimed": answers(claimed),
    }
    responses = {}
    for case, data in cases.items():
        user, response = claim_as_new_user(client, data)
        responses[case] = (response.status_code, PER_RESPONSE.sub(b"", response.content))
        assert Member.objects.filter(user=user).count() == 0, case
    assert len(set(responses.values())) == 1, responses.keys()
    status, body = responses["already claimed"]
    assert status == 200
    assert "Nous ne pouvons pas rattacher un dossier" in body.decode()
    # Nothing typed is echoed back.
    assert claimed.student_number.encode() not in body
    record.refresh_from_db()
    assert record.user is None
    assert claimed.user is not None


def test_already_claimed_and_unknown_do_comparable_work():
    """Same queries whether the record does not exist or is already linked."""
    association = AssociationFactory()
    claimed = MemberFactory(association=association, user=UserFactory())
    origin = Origin(ip_network="198.51.100.0")

    def queries(student_number, birth):
        user = UserFactory()
        with CaptureQueriesContext(connection) as context:
            services.member_claim(
                user=user,
                association=association,
                student_number=student_number,
                date_of_birth=birth,
                origin=origin,
            )
        return [
            re.sub(r"'[^']*'(::\w+)?|\d+|NULL", "?", q["sql"]) for q in context.captured_queries
        ]

    unknown = queries("11111111", date(2000, 1, 1))
    already = queries(claimed.student_number, claimed.date_of_birth)
    assert unknown == already


def test_staff_see_the_precise_outcome_the_member_does_not(client, record):
    record.user = UserFactory()
    record.claimed_at = record.user.date_joined
    record.save()
    user, _response = claim_as_new_user(client, answers(record))
    assert ClaimAttempt.objects.get(user=user).outcome == ClaimAttempt.Outcome.ALREADY_CLAIMED
    event = ActivityEvent.objects.get(user=user, kind__startswith="claim")
    assert event.kind == ActivityEvent.Kind.CLAIM_FAILED
    assert event.object_id is None


def test_every_attempt_is_recorded_without_the_values_typed(client, record):
    user = UserFactory()
    client.force_login(user)
    client.post(CLAIM_URL, answers(record, student_number="12345678"), REMOTE_ADDR="203.0.113.9")
    client.post(CLAIM_URL, answers(record), REMOTE_ADDR="203.0.113.9")
    attempts = list(ClaimAttempt.objects.filter(user=user).order_by("attempted_at"))
    assert [a.outcome for a in attempts] == ["no_match", "claimed"]
    assert {a.ip_network for a in attempts} == {"203.0.113.0"}
    for attempt in attempts:
        row = str(ClaimAttempt.objects.filter(pk=attempt.pk).values().get())
        assert "12345678" not in row
        assert record.student_number not in row
        assert "2002-04-01" not in row


def test_claims_are_rate_limited_per_account(client, record, settings):
    settings.MEMBERS_CLAIM_RATE_LIMIT = "3/h"
    user = UserFactory()
    client.force_login(user)
    for _ in range(3):
        assert (
            client.post(CLAIM_URL, answers(record, date_of_birth="1999-01-01")).status_code == 200
        )
    # Even the right answers are refused until the window passes.
    response = client.post(CLAIM_URL, answers(record))
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    record.refresh_from_db()
    assert record.user is None
    assert ClaimAttempt.objects.filter(user=user, outcome="rate_limited").count() == 1


def test_claims_are_rate_limited_per_network(client, record, settings):
    settings.MEMBERS_CLAIM_RATE_LIMIT_PER_NETWORK = "2/h"
    for host in (10, 11):  # two accounts, same /24
        user, _ = claim_as_new_user(client, answers(record, student_number=f"0{host}"))
    user = UserFactory()
    client.force_login(user)
    response = client.post(CLAIM_URL, answers(record), REMOTE_ADDR="127.0.0.99")
    assert response.status_code == 429
    record.refresh_from_db()
    assert record.user is None
    # Another network is not affected.
    response = client.post(CLAIM_URL, answers(record), REMOTE_ADDR="192.0.2.1")
    assert response.status_code == 302


def test_an_account_with_a_record_cannot_claim_another(client, record, member_record):
    client.force_login(member_record.user)
    response = client.post(CLAIM_URL, answers(record))
    assert response.status_code == 200
    assert member_record.card_number in response.content.decode()
    record.refresh_from_db()
    assert record.user is None
    assert ClaimAttempt.objects.get(user=member_record.user).outcome == "already_linked"


def test_claim_page_needs_a_signed_in_account(client):
    response = client.get(CLAIM_URL)
    assert response.status_code == 302
    assert "/compte/login/" in response["Location"]


def test_the_form_errors_are_listed_in_an_error_summary(client, member):
    client.force_login(member)
    response = client.post(CLAIM_URL, {"student_number": "", "date_of_birth": "demain"})
    body = response.content.decode()
    assert "data-error-summary" in body
    assert not ClaimAttempt.objects.exists()


def test_staff_unlink_returns_the_record_to_unclaimed(member_record, staff):
    user = member_record.user
    services.member_profile_update(member=member_record, changes={"updates_opt_in": True})
    assert services.member_unlink(member=member_record, by=staff)
    member_record.refresh_from_db()
    assert member_record.user is None
    assert member_record.claimed_at is None
    assert member_record.updates_opt_in is False
    assert ActivityEvent.objects.filter(user=user, kind="record_unlinked").exists()
    assert services.member_unlink(member=member_record, by=staff) is False
