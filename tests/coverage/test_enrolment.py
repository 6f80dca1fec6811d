"""Opt-out and family enrolment inside the change-of-coverage window, and nothing outside it."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from coverage.models import Enrolment, EnrolmentStatus
from coverage.services import enrolment_change
from tests.factories import DependantFactory

pytestmark = pytest.mark.django_db

MONTREAL = ZoneInfo("America/Montreal")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def url(name, language="fr"):
    with translation.override(language):
        return reverse(name)


def status(coverage_member, part="health", dependant=None):
    return Enrolment.objects.get(member=coverage_member, dependant=dependant, part=part).status


def proof(data=PDF, name="carte.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_member_opts_out_inside_the_window_with_proof_stored_encrypted(coverage_member):
    enrolment_change(
        member=coverage_member,
        person_id=coverage_member.id,
        part="dental",
        covered=False,
        proof=proof(),
    )
    enrolment = Enrolment.objects.get(member=coverage_member, dependant=None, part="dental")
    assert enrolment.status == EnrolmentStatus.OPTED_OUT
    assert enrolment.proof == PDF
    assert enrolment.proof_content_type == "application/pdf"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT proof FROM coverage_enrolment WHERE id = %s", [enrolment.id.hex])
        stored = cursor.fetchone()
    if stored is None:  # PostgreSQL stores the uuid natively
        with connection.cursor() as cursor:
            cursor.execute("SELECT proof FROM coverage_enrolment WHERE id = %s", [enrolment.id])
            stored = cursor.fetchone()
    assert b"%PDF" not in str(stored[0]).encode()


def test_opting_out_needs_proof_of_other_coverage(coverage_member):
    with pytest.raises(ValidationError) as error:
        enrolment_change(
            member=coverage_member, person_id=coverage_member.id, part="health", covered=False
        )
    assert error.value.code == "proof_required"
    assert status(coverage_member) == EnrolmentStatus.COVERED


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"GIF89a" + b"\x00" * 20, "bad_type"),
        (b"<html>%PDF-</html>", "bad_type"),  # a PDF name and type do not make a PDF
        (b"", "empty"),
        (b"%PDF-" + b"\x00" * (5 * 1024 * 1024), "too_large"),
    ],
)
def test_proof_is_checked_by_its_content_and_size(coverage_member, data, code):
    with pytest.raises(ValidationError) as error:
        enrolment_change(
            member=coverage_member,
            person_id=coverage_member.id,
            part="health",
            covered=False,
            proof=proof(data),
        )
    assert error.value.code == code


def test_png_photo_of_a_card_is_accepted(coverage_member):
    enrolment_change(
        member=coverage_member,
        person_id=coverage_member.id,
        part="health",
        covered=False,
        proof=proof(PNG, "carte.png", "image/png"),
    )
    assert status(coverage_member) == EnrolmentStatus.OPTED_OUT


def test_outside_the_window_nothing_changes_and_the_dates_are_given(coverage_member, plan):
    after = plan.health_window_end + timedelta(days=1)
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            enrolment_change(
                member=coverage_member,
                person_id=coverage_member.id,
                part="health",
                covered=False,
                proof=proof(),
                on=after,
            )
        message = error.value.messages[0]
    assert error.value.code == "window_closed"
    assert "No change is possible outside that period" in message
    assert "(health)" in message
    assert str(plan.health_window_end.year) in message
    assert status(coverage_member) == EnrolmentStatus.COVERED


def test_dependant_is_added_while_the_member_stays_covered(coverage_member):
    child = DependantFactory(member=coverage_member, relationship="child", suffix=2)
    enrolment_change(member=coverage_member, person_id=child.id, part="health", covered=True)
    assert status(coverage_member, dependant=child) == EnrolmentStatus.COVERED


def test_member_who_opted_out_cannot_cover_a_dependant(coverage_member):
    spouse = DependantFactory(member=coverage_member, relationship="spouse")
    enrolment_change(
        member=coverage_member,
        person_id=coverage_member.id,
        part="dental",
        covered=False,
        proof=proof(),
    )
    with pytest.raises(ValidationError) as error:
        enrolment_change(member=coverage_member, person_id=spouse.id, part="dental", covered=True)
    assert error.value.code == "member_not_covered"


def test_member_opting_out_takes_their_dependants_out_too(coverage_member):
    spouse = DependantFactory(member=coverage_member, relationship="spouse")
    enrolment_change(member=coverage_member, person_id=spouse.id, part="health", covered=True)
    enrolment_change(
        member=coverage_member,
        person_id=coverage_member.id,
        part="health",
        covered=False,
        proof=proof(),
    )
    assert status(coverage_member, dependant=spouse) == EnrolmentStatus.OPTED_OUT


@pytest.mark.django_db(transaction=True)
def test_page_confirms_on_screen_and_by_email_in_the_members_language(
    client, member, coverage_member
):
    coverage_member.preferred_language = "en"
    coverage_member.save()
    client.force_login(member)
    response = client.post(
        url("coverage_enrolment"),
        {
            "person": str(coverage_member.id),
            "part": "dental",
            "choice": "opted_out",
            "proof": proof(),
        },
        follow=True,
    )
    assert "C’est fait\u00a0: votre choix est enregistré." in response.content.decode()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert mail.outbox[0].subject == "Your coverage choice is saved"
    assert "Dental: Opted out" in mail.outbox[0].body


def test_page_shows_errors_in_a_summary_and_keeps_the_choice(client, member, coverage_member):
    client.force_login(member)
    path = url("coverage_enrolment", "en")
    response = client.post(
        path, {"person": str(coverage_member.id), "part": "health", "choice": "opted_out"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "data-error-summary" in html
    assert "Attach proof of other coverage" in html
    assert status(coverage_member) == EnrolmentStatus.COVERED


def test_closed_window_page_shows_the_dates_and_no_form(
    client, member, coverage_member, plan, monkeypatch
):
    plan.health_window_start = plan.dental_window_start = plan.starts_on
    plan.health_window_end = plan.dental_window_end = plan.starts_on
    plan.save()
    # A fixed clock, noon the day after that one-day window: closed whatever today is
    # (the test used to skip itself on the plan's first day).
    day_after = datetime.combine(plan.starts_on + timedelta(days=1), time(12), tzinfo=MONTREAL)
    monkeypatch.setattr(timezone, "now", lambda: day_after)
    assert timezone.localdate() == plan.starts_on + timedelta(days=1)
    client.force_login(member)
    html = client.get(url("coverage_enrolment")).content.decode()
    assert "La période de changement de couverture est fermée" in html
    assert 'name="choice"' not in html


def test_deadline_countdown_and_calendar_file(client, member, coverage_member, plan):
    client.force_login(member)
    html = client.get(url("coverage_enrolment")).content.decode()
    days = (plan.health_window_end - timezone.localdate()).days
    assert f"il reste {days} jour" in html
    response = client.get(url("coverage_deadline_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert f"DTSTART;VALUE=DATE:{plan.health_window_end:%Y%m%d}" in body
    assert body.count("BEGIN:VEVENT") == 2
