"""A student opts out of the health part inside the change-of-coverage window, on a phone.

In French and English, JavaScript on and off, refusing every optional cookie. The
student first forgets the proof of other coverage (refused, announced), then sends a
small PDF; the page confirms the choice and so does an email in the student's language.
"""

import re

import pytest
from playwright.sync_api import expect

from .support import translated, url_of

pytestmark = pytest.mark.e2e

# The smallest file the portal recognises as a PDF (it sniffs the content, not the name).
PROOF = {
    "name": "preuve-autre-couverture.pdf",
    "mimeType": "application/pdf",
    "buffer": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
}


def label(language: str, french: str) -> re.Pattern:
    """A form label as shown in ``language`` (Django may add " :" or ":")."""
    return re.compile(rf"^\s*{re.escape(translated(language, french))}\s*:?\s*$")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_student_opts_out_inside_the_window_and_gets_a_confirmation(
    journey, portal, plan_member, language, javascript
):
    def t(french: str) -> str:
        return translated(language, french)

    trip = journey("opt-out", language, javascript=javascript)
    page = trip.page
    address = plan_member("retrait", language=language)

    trip.goto(f"/{language}/")
    trip.refuse_cookies_if_asked()
    trip.sign_in(address)

    trip.goto(url_of(language, "coverage_summary"))
    expect(page.locator(".notice").first).to_contain_text(t("Voir mes choix"))
    trip.step("coverage summary, window open")

    page.get_by_role("link", name=t("Adhésion et retrait"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Adhésion et retrait"))
    expect(page.locator(".window-open")).to_have_count(2)
    health = page.locator("table.stack tbody tr").first.locator("td").first
    expect(health).to_have_text(t("Couvert"))
    trip.step("my choices")

    form = page.locator("form[enctype='multipart/form-data']")
    form.get_by_label(label(language, "Personne")).select_option(label="Noor Parcours")
    form.get_by_label(label(language, "Volet")).select_option(label=t("Santé"))
    form.get_by_label(t("Me retirer (ne pas être couvert)"), exact=True).check()
    with trip.expecting(400):
        form.get_by_role("button", name=t("Enregistrer mon choix")).click()
    trip.expect_error_summary()
    expect(page.locator("[data-error-summary]")).to_contain_text(
        t("Joignez une preuve d’autre couverture (PDF, JPEG ou PNG).")
    )
    expect(health).to_have_text(t("Couvert"))
    trip.step("proof missing")

    form.get_by_label(label(language, "Personne")).select_option(label="Noor Parcours")
    form.get_by_label(label(language, "Volet")).select_option(label=t("Santé"))
    form.get_by_label(t("Me retirer (ne pas être couvert)"), exact=True).check()
    form.get_by_label(
        label(language, "Preuve d’autre couverture (PDF, JPEG ou PNG)")
    ).set_input_files(PROOF)
    form.get_by_role("button", name=t("Enregistrer mon choix")).click()
    expect(page.locator(".messages")).to_contain_text(
        t(
            "C’est fait : votre choix est enregistré. "
            "Une confirmation vous est envoyée par courriel."
        )
    )
    expect(health).to_have_text(t("Retiré"))
    dental = page.locator("table.stack tbody tr").first.locator("td").nth(1)
    expect(dental).to_have_text(t("Couvert"))
    trip.step("opted out")

    mails = portal.mails_to(address)
    assert mails, "no confirmation email"
    confirmation = mails[-1]
    assert confirmation["Subject"] == t("Votre choix de couverture est enregistré")
    body = confirmation.get_body(preferencelist=("plain",)).get_content()
    assert t("Nous confirmons l’enregistrement de votre choix de couverture\u00a0:") in body
    line = next(line for line in body.splitlines() if "Noor Parcours" in line)
    assert t("Santé") in line and t("Retiré") in line, line

    assert trip.non_essential_cookies() == [], "an optional cookie was set without consent"
