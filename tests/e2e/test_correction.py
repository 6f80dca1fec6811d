"""A member asks to correct what the insurer's record says about them, on a phone.

The member signed in a while ago, so the portal asks for the password again. They read
their current values, name the date of birth with a value the portal cannot read (refused,
announced in the page's language), then give it properly with their last name too; the
receipt names each field with its current and proposed value. In French and English,
JavaScript on and off, refusing every optional cookie.
"""

import re

import pytest
from playwright.sync_api import expect

from .support import translated, url_of

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_member_asks_to_correct_their_record_and_gets_a_receipt(
    journey, portal, plan_member, language, javascript
):
    def t(french: str) -> str:
        return translated(language, french)

    def field_choice(french_field: str) -> str:
        """The picker's wording of a field of the member record ("Member — last name")."""
        return f"{t('membre').capitalize()} — {t(french_field)}"

    trip = journey("correction", language, javascript=javascript)
    page = trip.page
    address = plan_member("rectification", language=language)
    trip.goto(f"/{language}/")
    trip.refuse_cookies_if_asked()
    trip.sign_in(address)
    portal.age_sign_in(trip.session_key(), seconds=3600)

    trip.goto(url_of(language, "privacy_request_list"))
    page.get_by_role("link", name=t("Faire corriger un renseignement")).click()
    assert trip.reauthenticate_if_asked(), "an hour after sign-in, no password was asked"
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Faire corriger un renseignement"))
    page.locator("details.correctable-list summary").click()
    current = page.locator("details.correctable-list")
    expect(current).to_contain_text(field_choice("nom de famille"))
    expect(current).to_contain_text("Parcours")
    expect(current).to_contain_text("2002-04-11")
    trip.step("correction form")

    page.locator("#id_items-0-field").select_option(label=field_choice("date de naissance"))
    page.locator("#id_items-0-proposed").fill("12 avril 2002")
    page.get_by_role("button", name=t("Envoyer ma demande")).click()
    trip.expect_error_summary(title=t("Veuillez corriger ce qui suit"))
    expect(page.locator("[data-error-summary]")).to_contain_text(t("Valeur exacte"))
    expect(page.locator("#id_items-0-proposed")).to_have_attribute("aria-invalid", "true")
    trip.step("unreadable date refused")

    page.locator("#id_items-0-field").select_option(label=field_choice("date de naissance"))
    page.locator("#id_items-0-proposed").fill("2002-04-12")
    page.locator("#id_items-1-field").select_option(label=field_choice("nom de famille"))
    page.locator("#id_items-1-proposed").fill("Parcours-Tremblay")
    page.get_by_label(re.compile(re.escape(t("Explications (facultatif)")))).fill(
        "Né le 12, pas le 11; nom composé depuis mon mariage."
    )
    page.get_by_role("button", name=t("Envoyer ma demande")).click()

    reference = page.locator("h1 .reference").inner_text().strip()
    assert re.fullmatch(r"DPR-\d{4}-\d+", reference), reference
    expect(page.locator(".messages")).to_contain_text(reference)
    expect(page.locator(".request-summary")).to_contain_text(t("Reçue"))
    asked = page.locator("section[aria-labelledby='items-title'] li")
    expect(asked).to_have_count(2)
    birth = asked.filter(has_text=field_choice("date de naissance"))
    expect(birth).to_contain_text("2002-04-11 → 2002-04-12")
    name = asked.filter(has_text=field_choice("nom de famille"))
    expect(name).to_contain_text("Parcours → Parcours-Tremblay")
    trip.step("receipt")
    assert any(reference in str(mail["Subject"]) for mail in portal.mails_to(address))

    trip.goto(url_of(language, "privacy_request_list"))
    expect(page.locator(".request-table")).to_contain_text(reference)
    expect(page.locator("main")).to_contain_text(
        t("Une demande de rectification est déjà en cours.")
    )
    trip.step("my requests")

    assert trip.non_essential_cookies() == [], "an optional cookie was set without consent"
