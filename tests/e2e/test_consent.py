"""A visitor refuses every optional cookie from the banner, then changes their mind and
withdraws again from the privacy centre, as easily as they gave consent (P16-P18).

Every other journey also refuses all cookies first and checks, at its end, that no
cookie outside the essential category reached the browser.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

CENTRE = {"fr": "/fr/confidentialite/", "en": "/en/privacy/"}


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_visitor_refuses_then_gives_then_withdraws_consent(journey, language, javascript):
    trip = journey("consent", language, javascript=javascript)
    page, text = trip.page, trip.text

    trip.goto(f"/{language}/")
    banner = page.get_by_role("region", name=text["banner_title"])
    expect(banner).to_be_visible()
    expect(banner.get_by_role("button", name=text["refuse_all"])).to_be_visible()
    expect(banner.get_by_role("button", name=text["accept_all"])).to_be_visible()
    assert page.context.cookies() == [], "a reading page set a cookie before any choice"
    trip.step("banner")

    assert trip.refuse_cookies_if_asked()
    expect(page.get_by_role("region", name=text["banner_title"])).to_have_count(0)
    assert trip.non_essential_cookies() == []
    trip.step("refused")

    trip.goto(CENTRE[language])
    expect(page.get_by_role("heading", level=1)).to_have_text(text["privacy_centre"])
    checkboxes = page.locator("#choix input[type=checkbox]")
    assert checkboxes.count() >= 3
    for index in range(checkboxes.count()):
        expect(checkboxes.nth(index)).not_to_be_checked()
    trip.step("privacy centre")

    page.locator("#choix").get_by_role("button", name=text["accept_all"]).click()
    expect(page.locator("#choix")).to_contain_text(text["saved"])
    trip.step("accepted")

    page.locator("#choix").get_by_role("button", name=text["refuse_all"]).click()
    expect(page.locator("#choix")).to_contain_text(text["saved"])
    for index in range(checkboxes.count()):
        expect(checkboxes.nth(index)).not_to_be_checked()
    trip.step("withdrawn")
    assert trip.non_essential_cookies() == []
