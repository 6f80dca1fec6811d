"""A dependant added outside the change window: said before confirming, no proof offered."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from coverage.models import Plan

pytestmark = pytest.mark.django_db


def url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(name, args=args)


def close_window(plan: Plan) -> None:
    """This year's window ended yesterday."""
    yesterday = timezone.localdate() - timedelta(days=1)
    Plan.objects.filter(pk=plan.pk).update(
        health_window_start=yesterday - timedelta(days=20),
        health_window_end=yesterday,
        dental_window_start=yesterday - timedelta(days=20),
        dental_window_end=yesterday,
    )
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.mark.parametrize(
    ("language", "warning", "phone_words"),
    [
        ("fr", "Ajouter une personne à votre dossier ne la couvre pas.", "du lundi au vendredi"),
        ("en", "Adding a person to your file does not cover them.", "Monday to Friday"),
    ],
)
def test_outside_the_window_the_add_page_says_no_coverage_and_what_to_do(
    client, member, coverage_member, plan, settings, language, warning, phone_words
):
    close_window(plan)
    plan.refresh_from_db()
    client.force_login(member)
    html = client.get(url("members_dependant_add", language=language)).content.decode()
    notice = html.split('id="new-dependant-coverage"', 1)[1].split("</section>", 1)[0]
    assert warning in notice
    with translation.override(language):
        end = formats.date_format(plan.health_window_end, "DATE_FORMAT")
    assert end in notice, "the window's dates are given"
    assert settings.SERVICE_CENTRE_PHONE in notice and phone_words in notice
    assert url("coverage_enrolment", language=language) in notice


def test_inside_the_window_the_add_page_says_to_enrol_before_the_end(
    client, member, coverage_member, plan
):
    client.force_login(member)
    html = client.get(url("members_dependant_add")).content.decode()
    notice = html.split('id="new-dependant-coverage"', 1)[1].split("</section>", 1)[0]
    assert "vous pourrez l’inscrire jusqu’au" in notice
    assert "centre de service" not in notice


def test_a_person_with_no_covered_part_gets_no_qr_code_nor_attestation(
    client, member, coverage_member, plan
):
    close_window(plan)
    client.force_login(member)
    response = client.post(
        url("members_dependant_add"),
        {
            "relationship": "child",
            "first_name": "Léa",
            "last_name": "Tremblay",
            "date_of_birth": "2020-05-01",
        },
    )
    assert response.status_code == 302
    child = coverage_member.dependants.get()
    card = client.get(url("coverage_card", child.id)).content.decode()
    assert "Aucun volet couvert à ce jour." in card
    assert "data:image/svg+xml" not in card
    assert "/verifier/" not in card
    assert url("coverage_attestation", child.id) not in card
    letter = client.get(url("coverage_attestation", child.id), {"langue": "fr"})
    assert letter.status_code == 302 and letter["Content-Type"] != "application/pdf"
    # The member, covered, still has theirs.
    own = client.get(url("coverage_card", coverage_member.id)).content.decode()
    assert "data:image/svg+xml" in own and url("coverage_attestation", coverage_member.id) in own
