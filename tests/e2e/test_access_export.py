"""A member asks for a copy of their data, a privacy officer triages the request in the
admin, and the member downloads the export: a ZIP holding their data as JSON.

The member signed in a while ago, so the portal asks for the password again before it
takes the request. The privacy officer is new: the MFA gate, the agreement and the
procedures come first, then the queue: assign to me, start review, approve, preview the
export, fulfil (which releases it). In French and English; the member's side also with
JavaScript off (the admin runs with it on, as staff use it).
"""

import io
import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from privacy import roles

from .support import Journey, open_admin_as_new_staff, translated, url_of

pytestmark = pytest.mark.e2e


def officer_releases_the_export(staff: Journey, reference: str) -> None:
    """From the admin's index: find the request, take it, review it, approve, fulfil."""
    page = staff.page

    def t(french: str) -> str:
        return translated(staff.language, french)

    staff.goto("/admin/privacy/privacyrequest/")
    page.locator("#searchbar").fill(reference)
    page.locator("#searchbar").press("Enter")
    page.wait_for_load_state("load")
    row = page.locator("#result_list tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(t("Reçue"))
    staff.step("request queue")

    row.get_by_role("link", name=reference).click()
    expect(page.locator("main, #content").first).to_contain_text(reference)
    staff.step("request opened")

    for action, done, status in (
        ("Me confier la demande", "Demande confiée à vous.", "Reçue"),
        ("Commencer le traitement", "Demande en traitement.", "En traitement"),
        ("Accepter", "Demande acceptée.", "Acceptée"),
    ):
        page.locator(".object-tools").get_by_role("link", name=t(action), exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(t(action))
        staff.step(f"confirm {action}")
        page.get_by_role("button", name=t(action), exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text(t(done))
        expect(page.locator(".field-status")).to_contain_text(t(status))
        staff.step(f"done {action}")

    # Approving prepared a draft export: the officer previews it before releasing it.
    page.get_by_role("link", name=t("Aperçu et retranchements")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(t("Aperçu de l’exportation"))
    staff.step("export preview")
    page.locator(".breadcrumbs").get_by_role("link", name=reference).click()

    fulfil = "Exécuter (remettre, rectifier ou supprimer)"
    page.locator(".object-tools").get_by_role("link", name=t(fulfil), exact=True).click()
    staff.step("confirm release")
    page.get_by_role("button", name=t(fulfil), exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(t("Demande exécutée."))
    expect(page.locator(".field-status")).to_contain_text(t("Exécutée"))
    staff.step("export released")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_member_requests_access_an_officer_triages_it_and_the_member_downloads_the_export(
    journey, portal, plan_member, member_account, language, javascript
):
    def t(french: str) -> str:
        return translated(language, french)

    trip = journey("access-export", language, javascript=javascript)
    page = trip.page
    address = plan_member("acces", language=language)
    trip.goto(f"/{language}/")
    trip.refuse_cookies_if_asked()
    trip.sign_in(address)
    portal.age_sign_in(trip.session_key(), seconds=3600)

    trip.goto(url_of(language, "privacy_request_list"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Mes demandes"))
    trip.step("my requests")
    page.get_by_role("link", name=t("Obtenir une copie de mes renseignements")).click()
    assert trip.reauthenticate_if_asked(), "an hour after sign-in, no password was asked"
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Obtenir une copie de mes renseignements")
    )
    trip.step("access request")
    page.get_by_role("button", name=t("Envoyer ma demande")).click()
    reference = page.locator("h1 .reference").inner_text().strip()
    assert re.fullmatch(r"DPR-\d{4}-\d+", reference), reference
    expect(page.locator(".messages")).to_contain_text(reference)
    expect(page.locator(".request-summary")).to_contain_text(t("Reçue"))
    trip.step("receipt")
    assert any(reference in str(mail["Subject"]) for mail in portal.mails_to(address))

    # The officer's screenshots are kept apart for each of the member's variants.
    staff = journey("access-export-officer" + ("" if javascript else "-for-nojs"), language)
    officer = member_account("responsable", staff_role=roles.PRIVACY_OFFICER)
    open_admin_as_new_staff(staff, officer)
    officer_releases_the_export(staff, reference)

    trip.goto(url_of(language, "privacy_request_list"))
    row = page.locator(".request-table tbody tr", has_text=reference)
    expect(row).to_contain_text(t("Exécutée"))
    trip.step("my requests, fulfilled")
    row.get_by_role("link", name=reference).click()
    download_link = page.get_by_role("link", name=t("Télécharger mon exportation (ZIP)"))
    expect(download_link).to_be_visible()
    trip.step("export ready")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == f"{reference}.zip"
    with zipfile.ZipFile(io.BytesIO(download.path().read_bytes())) as archive:
        assert {"export.json", "export.html", "export.schema.json"} <= set(archive.namelist())
        data = json.loads(archive.read("export.json"))
        document = archive.read("export.html").decode()
    text = json.dumps(data, ensure_ascii=False)
    assert address in text and "Parcours" in text, "the export lacks the member's own data"

    # The readable document, opened as the member would open the file, at phone size.
    reader = page.context.new_page()
    reader.set_content(document)
    expect(reader.locator("html")).to_have_attribute("lang", language)
    expect(reader.get_by_role("heading", level=1)).to_have_text(t("Vos renseignements personnels"))
    expect(reader.locator("nav.toc")).to_contain_text(t("Votre dossier de membre"))
    reader.get_by_role("link", name=t("Votre dossier de membre")).click()
    expect(reader.locator("#members-member")).to_contain_text("Parcours")
    expect(reader.locator("#members-member")).to_contain_text(t("Jusqu’à quand"))
    body = reader.locator("body").inner_text()
    assert "True" not in body and "(cents)" not in body and "T00:" not in body
    reader.screenshot(
        path=str(trip.folder / f"{trip.variant}-export-document.png"), full_page=False
    )
    reader.close()
    trip.assert_no_problems("download")

    assert trip.non_essential_cookies() == [], "an optional cookie was set without consent"
