"""A member asks to correct what the insurer's record says, one item at a time, on a phone.

The member signed in a while ago, so the portal asks for the password again. They choose
whose information (their child, by name), what (her identity), which field (her date of
birth, shown as the portal shows dates) and give the right date; then "add another": their
own claim, named by date and care type, whose amount they type in dollars (a value the
portal cannot read is refused first, in the page's language). The receipt shows both, in
words. In French and English, JavaScript on and off, refusing every optional cookie.
"""

import re

import pytest
from playwright.sync_api import expect

from .support import translated, url_of

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_member_corrects_a_childs_birth_date_and_a_claim_amount_and_gets_a_receipt(
    journey, portal, plan_member, language, javascript
):
    def t(french: str) -> str:
        return translated(language, french)

    trip = journey("correction", language, javascript=javascript)
    page = trip.page
    address = plan_member("rectification", language=language)
    portal.python(
        "from tests.e2e.setup_data import family_and_claim_add\n"
        f"family_and_claim_add(address={address!r})\n"
    )
    trip.goto(f"/{language}/")
    trip.refuse_cookies_if_asked()
    trip.sign_in(address)
    portal.age_sign_in(trip.session_key(), seconds=3600)

    trip.goto(url_of(language, "privacy_request_list"))
    page.get_by_role("link", name=t("Faire corriger un renseignement")).click()
    assert trip.reauthenticate_if_asked(), "an hour after sign-in, no password was asked"
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Faire corriger un renseignement"))
    expect(page.locator("select")).to_have_count(0)
    trip.step("whose information")

    # Whose: the child, by her name.
    page.get_by_label("Léa Parcours", exact=True).check()
    page.get_by_role("button", name=t("Continuer")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Quel renseignement est inexact\u00a0?")
    )
    trip.step("which record")
    page.get_by_label(re.compile("Léa Parcours")).first.check()
    page.get_by_role("button", name=t("Continuer")).click()
    # Which field: each with its value as the portal shows it.
    birth = "2 juin 2015" if language == "fr" else "June 2, 2015"
    expect(page.locator("main")).to_contain_text(birth)
    trip.step("which field")
    page.get_by_label(re.compile(t("Date de naissance"))).check()
    page.get_by_role("button", name=t("Continuer")).click()
    expect(page.locator("input[type=date]")).to_have_count(1)
    page.locator("input[type=date]").fill("2015-06-12")
    trip.step("the right date")
    page.get_by_role("button", name=t("Ajouter à ma demande")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Vérifier et envoyer ma demande"))
    corrected = "12 juin 2015" if language == "fr" else "June 12, 2015"
    expect(page.locator(".correction-items")).to_contain_text(corrected)
    trip.step("one item in the request")

    # Add another: their own claim, named by date and care type, the amount in dollars.
    page.get_by_role("link", name=t("Ajouter un autre renseignement")).click()
    page.get_by_label(re.compile("Noor Parcours")).check()
    page.get_by_role("button", name=t("Continuer")).click()
    current = "85,00\u00a0$" if language == "fr" else "$85.00"
    claim = page.get_by_label(re.compile(re.escape(current)))
    expect(claim).to_have_count(1)
    claim.check()
    page.get_by_role("button", name=t("Continuer")).click()
    page.get_by_label(re.compile(t("Montant réclamé"))).check()
    page.get_by_role("button", name=t("Continuer")).click()
    amount = page.locator("#id_value")
    expect(amount).to_have_attribute("inputmode", "decimal")
    amount.fill("quatre-vingt-douze")
    page.get_by_role("button", name=t("Ajouter à ma demande")).click()
    trip.expect_error_summary()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        t("Entrez un montant, par exemple 85,50.")
    )
    trip.step("an amount the portal cannot read")
    page.locator("#id_value").fill("92,50" if language == "fr" else "92.50")
    page.get_by_role("button", name=t("Ajouter à ma demande")).click()
    items = page.locator(".correction-items > li")
    expect(items).to_have_count(2)
    proposed = "92,50\u00a0$" if language == "fr" else "$92.50"
    expect(items.nth(1)).to_contain_text(proposed)
    expect(items.nth(1)).to_contain_text(current)
    trip.step("two items in the request")
    page.get_by_role("button", name=t("Envoyer ma demande")).click()

    reference = page.locator("h1 .reference").inner_text().strip()
    assert re.fullmatch(r"DPR-\d{4}-\d+", reference), reference
    expect(page.locator(".messages")).to_contain_text(reference)
    asked = page.locator("section[aria-labelledby='items-title'] li")
    expect(asked).to_have_count(2)
    expect(asked.filter(has_text=t("Date de naissance"))).to_contain_text(corrected)
    expect(asked.filter(has_text=t("Montant réclamé"))).to_contain_text(proposed)
    expect(page.locator("main")).not_to_contain_text("cents")
    trip.step("receipt")
    assert any(reference in str(mail["Subject"]) for mail in portal.mails_to(address))

    trip.goto(url_of(language, "privacy_request_list"))
    expect(page.locator(".request-table")).to_contain_text(reference)
    trip.step("my requests")

    assert trip.non_essential_cookies() == [], "an optional cookie was set without consent"
