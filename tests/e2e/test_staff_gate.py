"""A staff member signs in, is stopped at the MFA gate, turns on TOTP, and the admin opens.

It then reads and accepts the confidentiality agreement and the procedures. Admin work (triaging a
privacy request, issue 7) add their steps in their own journey files.
"""

import re

import pytest
from playwright.sync_api import expect

from privacy import roles

from .support import Journey, totp_code

pytestmark = pytest.mark.e2e


def turn_on_totp(trip: Journey) -> None:
    """From the MFA page: activate an authenticator app with the secret the page shows."""
    page, text = trip.page, trip.text
    page.get_by_role("link", name=text["activate"], exact=True).first.click()
    trip.reauthenticate_if_asked()
    expect(page).to_have_url(re.compile(r"/2fa/totp/activate/"))
    trip.step("authenticator setup")
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), "no TOTP secret on the page"
    trip.field("code").fill(totp_code(secret))
    page.get_by_role("button", name=text["activate"], exact=True).click()
    page.wait_for_load_state("load")
    trip.step("authenticator on")


def accept_staff_documents(trip: Journey) -> None:
    """The confidentiality agreement, then the procedures: each read and accepted (P26, P27)."""
    page = trip.page
    for number in range(1, 4):
        if "/staffdocument/" not in page.url:
            return
        trip.step(f"staff document {number}")
        page.locator("#id_confirm").check()
        page.locator(".submit-row input[type=submit]").click()
        page.wait_for_load_state("load")
    raise AssertionError("the admin kept asking for staff documents")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_must_turn_on_mfa_before_the_admin_opens(journey, member_account, language):
    trip = journey("staff-mfa-gate", language)
    page, text = trip.page, trip.text
    address = member_account("personnel", staff_role=roles.MEMBER_SERVICES)

    trip.goto(f"/{language}/")
    trip.refuse_cookies_if_asked()
    trip.sign_in(address)
    trip.step("signed in")

    trip.goto("/admin/")
    expect(page).to_have_url(re.compile(rf"/{language}/\w+/2fa/$"))
    expect(page.locator(".messages")).to_contain_text(text["mfa_required"])
    trip.step("mfa required")

    turn_on_totp(trip)

    trip.goto("/admin/")
    accept_staff_documents(trip)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#site-name")).to_contain_text(text["admin_title"])
    trip.step("admin open")
