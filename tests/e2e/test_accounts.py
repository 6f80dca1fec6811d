"""A student creates an account on a phone: sign up, verify the address, sign in.

In French and English, with JavaScript on and off, refusing every optional cookie.
"""

import re

import pytest
from playwright.sync_api import expect

from .support import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_student_signs_up_verifies_and_reaches_their_account(
    journey, portal, unique_email, language, javascript
):
    trip = journey("sign-up", language, javascript=javascript)
    page, text = trip.page, trip.text
    address = unique_email(f"inscription-{language}")

    trip.goto(f"/{language}/")
    trip.step("home")
    trip.refuse_cookies_if_asked()

    page.get_by_role("link", name=text["sign_up_link"], exact=True).first.click()
    trip.step("sign-up form")

    # A weak password and a mismatch: the errors are announced and focused.
    trip.field("email").fill(address)
    trip.field("password").fill("123")
    trip.field("password_again").fill("456")
    page.get_by_role("button", name=text["sign_up_button"], exact=True).click()
    trip.expect_error_summary()
    expect(trip.field("password")).to_have_attribute("aria-invalid", "true")
    trip.step("sign-up errors")

    trip.field("password").fill(PASSWORD)
    trip.field("password_again").fill(PASSWORD)
    page.get_by_role("button", name=text["sign_up_button"], exact=True).click()
    expect(page).to_have_url(re.compile(r"/confirm-email/$"))
    trip.step("check your inbox")

    link = portal.link_in_last_mail(address, r"/confirm-email/[^/]+/$")
    page.goto(link)
    trip.step("confirm address")
    page.get_by_role("button", name=text["confirm"], exact=True).click()
    expect(page).to_have_url(re.compile(r"/login/"))
    trip.step("address confirmed")
    # No dead passkey button without JavaScript, and no stock "requires JavaScript" line.
    if not javascript:
        expect(page.locator("#passkey_login")).to_be_hidden()
    expect(page.locator("body")).not_to_contain_text("requires JavaScript")
    expect(page.locator("body")).not_to_contain_text("nécessite JavaScript")

    trip.field("email").fill(address)
    trip.field("password").fill(PASSWORD)
    page.get_by_role("button", name=text["sign_in_button"], exact=True).click()
    expect(page.get_by_role("button", name=text["sign_out"])).to_be_visible()
    trip.step("signed in")

    page.get_by_role("link", name=text["my_account"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["my_account"])
    expect(page.locator("main")).to_contain_text(address)
    trip.step("my account")

    assert trip.non_essential_cookies() == [], "an optional cookie was set without consent"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_wrong_password_is_announced_and_nothing_opens(journey, member_account, language):
    trip = journey("sign-in-refused", language)
    page, text = trip.page, trip.text
    address = member_account("refus")
    trip.goto(f"/{language}/")
    trip.refuse_cookies_if_asked()
    trip.sign_in(address, "not-the-password")
    trip.expect_error_summary()
    expect(page.get_by_role("button", name=text["sign_out"])).to_have_count(0)
    trip.step("sign-in refused")
