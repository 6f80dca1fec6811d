"""A student links their plan record, updates their profile and adds a child, on a phone.

In French and English, JavaScript on and off, refusing every optional cookie.
"""

import itertools
import os
import re

import pytest
from playwright.sync_api import expect

from .support import translated

pytestmark = pytest.mark.e2e

_numbers = itertools.count(1)


@pytest.fixture
def unclaimed_record(portal):
    """An insurer record nobody has claimed yet; returns (student number, birth date)."""

    def make() -> tuple[str, str]:
        serial = f"{os.getpid() % 10000:04d}{next(_numbers):03d}"
        student_number, born = f"E2E{serial}", "2003-01-20"
        portal.python(
            "from members.models import Association, Member\n"
            "Member.objects.create(\n"
            "    association=Association.objects.get(short_code='AEUMR'),\n"
            f"    member_number='ASEQ-9{serial}', student_number={student_number!r},\n"
            f"    first_name='Maya', last_name='Journey', date_of_birth={born!r},\n"
            ")\n"
        )
        return student_number, born

    return make


def label(language: str, french: str) -> re.Pattern:
    """A form label as shown in ``language`` (Django may add " :" or ":")."""
    return re.compile(rf"^\s*{re.escape(translated(language, french))}\s*:?\s*$")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_student_claims_their_record_edits_profile_and_adds_a_child(
    journey, member_account, unclaimed_record, language, javascript
):
    trip = journey("members", language, javascript=javascript)
    page, text = trip.page, trip.text
    address = member_account("dossier")
    student_number, born = unclaimed_record()

    def t(french: str) -> str:
        return translated(language, french)

    trip.goto(f"/{language}/")
    trip.refuse_cookies_if_asked()
    trip.sign_in(address)
    page.get_by_role("link", name=text["my_account"], exact=True).click()
    trip.step("account without a record")

    page.get_by_role("link", name=t("Rattacher mon dossier"), exact=True).click()
    school = t("Association étudiante de l’Université du Mont-Royal (démo)")
    if language == "en":
        school = "Mount Royal University Student Association (demo)"
    page.get_by_label(label(language, "École ou association étudiante")).select_option(label=school)
    page.get_by_label(label(language, "Numéro d’étudiant")).fill(student_number)
    page.get_by_label(label(language, "Date de naissance")).fill("2003-01-21")
    page.get_by_role("button", name=t("Rattacher mon dossier"), exact=True).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text(t("Dossier non rattaché"))
    if javascript:
        expect(summary).to_be_focused()
    trip.step("claim refused")

    page.get_by_label(label(language, "École ou association étudiante")).select_option(label=school)
    page.get_by_label(label(language, "Numéro d’étudiant")).fill(student_number)
    page.get_by_label(label(language, "Date de naissance")).fill(born)
    page.get_by_role("button", name=t("Rattacher mon dossier"), exact=True).click()
    expect(page.locator("main")).to_contain_text("-00")
    trip.step("record linked")

    page.get_by_role("link", name=t("Profil et préférences de communication")).click()
    expect(page.locator("main")).to_contain_text(student_number)
    page.get_by_label(label(language, "Téléphone")).fill("438 555-0199")
    page.get_by_label(
        label(language, "Je veux recevoir les mises à jour et nouvelles du régime par courriel.")
    ).check()
    page.get_by_role("button", name=t("Enregistrer"), exact=True).click()
    expect(page.locator(".messages")).to_contain_text(t("Vos changements sont enregistrés."))
    trip.step("profile saved")

    page.get_by_role("link", name=t("Gérer mes personnes à charge")).click()
    page.get_by_role("link", name=t("Ajouter une personne à charge"), exact=True).click()
    page.get_by_label(t("Enfant"), exact=True).check()
    page.get_by_label(label(language, "Prénom")).fill("Léa")
    page.get_by_label(label(language, "Nom de famille")).fill("Journey")
    page.get_by_label(label(language, "Date de naissance")).fill("2099-01-01")
    page.get_by_role("button", name=t("Enregistrer"), exact=True).click()
    trip.expect_error_summary()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        t("La date de naissance ne peut pas être dans le futur.")
    )
    trip.step("dependant refused")

    page.get_by_label(label(language, "Date de naissance")).fill("2018-05-09")
    page.get_by_role("button", name=t("Enregistrer"), exact=True).click()
    expect(page.locator("main")).to_contain_text("Léa Journey")
    expect(page.locator("main")).to_contain_text("-02")
    trip.step("dependant added")

    page.get_by_role("link", name=text["my_account"], exact=True).click()
    page.get_by_role("link", name=t("Mon activité récente"), exact=True).click()
    expect(page.locator("main")).to_contain_text(t("Personne à charge ajoutée"))
    expect(page.locator("main")).to_contain_text(t("Dossier de membre rattaché à votre compte"))
    trip.step("activity")

    assert trip.non_essential_cookies() == [], "an optional cookie was set without consent"
