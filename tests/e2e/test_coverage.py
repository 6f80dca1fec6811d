"""A student reads their coverage, opens their proof of coverage, and a clinic verifies it.

Uses the demo students (seed_demo): Camille in French, Samuel in English. The clinic
is a separate browser with nothing in it: it opens the verification link and gets
only what it needs, and no cookie.
"""

import re

import pytest
from playwright.sync_api import expect

from members.demo import DEMO_PASSWORD

from .support import translated, url_of

pytestmark = pytest.mark.e2e

STUDENT = {"fr": "etudiante@demo.aseq.ca", "en": "etudiant@demo.aseq.ca"}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_student_reads_coverage_and_a_clinic_verifies_the_proof(journey, language, javascript):
    def t(message: str) -> str:
        return translated(language, message)

    trip = journey("coverage", language, javascript=javascript)
    page = trip.page
    trip.goto(f"/{language}/")
    trip.refuse_cookies_if_asked()
    trip.sign_in(STUDENT[language], DEMO_PASSWORD)

    trip.goto(url_of(language, "coverage_summary"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Ma couverture"))
    trip.step("coverage summary")

    page.get_by_role("link", name=t("Combien me sera remboursé?")).click()
    expect(page).to_have_url(re.compile(re.escape(url_of(language, "coverage_estimate"))))
    trip.step("estimate form")

    trip.goto(url_of(language, "coverage_summary"))
    page.get_by_role("link", name=t("Ma preuve de couverture")).click()
    expect(page.locator(".proof-card")).to_be_visible()
    trip.step("proof of coverage")
    verify = page.get_by_role("link", name=t("Lien de vérification à transmettre à une clinique"))
    verify_url = verify.get_attribute("href")
    assert verify_url
    assert trip.non_essential_cookies() == []

    clinic = journey("coverage-clinic", language, javascript=javascript)
    clinic.page.goto(clinic.url(verify_url) if verify_url.startswith("/") else verify_url)
    expect(clinic.page.get_by_role("heading", level=1)).to_have_text(
        t("Vérification de la couverture")
    )
    expect(clinic.page.locator(".proof-name")).not_to_be_empty()
    clinic.step("clinic verifies")
    assert clinic.page.context.cookies() == [], "the verification page set a cookie"
