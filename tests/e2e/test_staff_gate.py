"""A staff member signs in, is stopped at the MFA gate, turns on TOTP, and the admin opens.

It then reads and accepts the confidentiality agreement and the procedures. Admin work has its
own journey files (a privacy officer triaging a request: test_access_export.py).
"""

import re

import pytest
from playwright.sync_api import expect

from privacy import roles

from .support import accept_staff_documents, turn_on_totp

pytestmark = pytest.mark.e2e


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
