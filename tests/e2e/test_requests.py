"""A member asks for a copy of their data and reads what deleting their data would do.

The access request carried through to the download (a privacy officer triaging it in
the admin) is test_access_export.py; a correction request is test_correction.py.
"""

import re

import pytest
from playwright.sync_api import expect

from .support import translated, url_of

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_member_requests_access_and_reads_the_deletion_plan(
    journey, member_account, language, javascript
):
    def t(message: str) -> str:
        return translated(language, message)

    trip = journey("privacy-requests", language, javascript=javascript)
    page = trip.page
    address = member_account("demandes")
    trip.goto(f"/{language}/")
    trip.refuse_cookies_if_asked()
    trip.sign_in(address)

    trip.goto(url_of(language, "privacy_request_list"))
    trip.step("my requests")

    trip.goto(url_of(language, "privacy_request_access"))
    trip.reauthenticate_if_asked()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Obtenir une copie de mes renseignements")
    )
    trip.step("access request")
    page.get_by_role("button", name=t("Envoyer ma demande")).click()
    page.wait_for_load_state("load")
    expect(page.locator("h1 .reference")).not_to_be_empty()
    expect(page.locator("main")).to_contain_text(t("Réponse au plus tard le"))
    trip.step("receipt")

    trip.goto(url_of(language, "privacy_request_deletion"))
    trip.reauthenticate_if_asked()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Faire supprimer mes renseignements")
    )
    expect(page.get_by_role("heading", name=t("Conservé, et pourquoi"))).to_be_visible()
    expect(page.get_by_role("button", name=t("Demander la suppression"))).to_be_visible()
    trip.step("deletion plan")
    assert re.search(r"/\w+/", page.url)
    assert trip.non_essential_cookies() == []
