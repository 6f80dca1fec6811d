"""The longest name the forms accept wraps on a 320 px phone: no page scrolls sideways.

A 35-letter surname made the card page 513 px wide on a 390 px screen; a
100-character one, 2,500 px.
"""

import pytest
from playwright.sync_api import expect

from .support import url_of

pytestmark = pytest.mark.e2e

# As long as the forms and the insurer's record accept (100 characters), no space to break at.
LONG_NAME = "Wolfeschlegelsteinhausenbergerdorff" * 2 + "Vandersteen" * 2 + "Tremblay"

NARROW = {"width": 320, "height": 700}


def no_sideways_scroll(page) -> tuple[int, int]:
    """(page width, layout viewport width). A phone widens its layout viewport to fit
    content that overflows, so the viewport must also still be the screen's 320 px."""
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert viewport == NARROW["width"], f"the layout viewport grew to {viewport} px"
    return width, viewport


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_100_character_name_wraps_at_320_px_on_every_member_page(
    journey, plan_member, portal, language, javascript
):
    trip = journey("long-values", language, javascript=javascript)
    page = trip.page
    page.set_viewport_size(NARROW)
    address = plan_member("long", language=language)
    portal.python(
        "from members.models import Member\n"
        f"member = Member.objects.get(user__email={address!r})\n"
        f"member.last_name = {LONG_NAME!r}\n"
        f"member.address_line1 = {LONG_NAME!r}\n"
        "member.save()\n"
    )
    trip.goto(f"/{language}/")
    trip.refuse_cookies_if_asked()
    trip.sign_in(address)

    for name in ("coverage_summary", "members_profile", "account_overview"):
        trip.goto(url_of(language, name))
        trip.step(name.replace("_", " "))
        width, viewport = no_sideways_scroll(page)
        assert width <= viewport, f"{name}: {width} px wide on a {viewport} px screen"

    trip.goto(url_of(language, "coverage_summary"))
    page.locator("a[href*='/carte/'], a[href*='/card/']").first.click()
    expect(page.locator(".proof-card")).to_be_visible()
    expect(page.locator(".proof-name")).to_contain_text(LONG_NAME)
    trip.step("proof of coverage")
    width, viewport = no_sideways_scroll(page)
    assert width <= viewport, f"card: {width} px wide on a {viewport} px screen"
