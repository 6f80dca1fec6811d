"""The banner: plain forms, equal choices, no pre-ticked box, and no forged consent."""

import re

import pytest

from privacy.models import ConsentRecord

from .consent_support import SAME_ORIGIN, consent_cookie, form_posting_to, post_consent, url_in

pytestmark = pytest.mark.django_db


def banner_html(html: str) -> str:
    match = re.search(r'<section class="consent-banner".*?</section>', html, re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize(
    ("language", "accept", "refuse", "choose"),
    [
        ("fr", "Tout accepter", "Tout refuser", "Choisir"),
        ("en", "Accept all", "Refuse all", "Choose"),
    ],
)
def test_banner_offers_accept_and_refuse_side_by_side_with_equal_weight(
    client, language, accept, refuse, choose
):
    banner = banner_html(client.get(url_in(language, "home")).content.decode())
    assert banner
    buttons = re.findall(r"<button ([^>]*)>([^<]*)</button>", banner)
    assert [label for _, label in buttons] == [accept, refuse]
    # Same element, same classes: neither is styled to stand out.
    attributes = [re.sub(r'value="[^"]*"', "", attrs) for attrs, _ in buttons]
    assert attributes[0] == attributes[1]
    assert f">{choose}</a>" in banner
    assert url_in(language, "privacy_centre") in banner


def test_banner_has_no_pre_ticked_box_and_no_csrf_token(client):
    html = client.get(url_in("fr", "home")).content.decode()
    assert "checked" not in banner_html(html)
    assert "csrfmiddlewaretoken" not in html


def test_banner_is_a_labelled_region_reachable_without_javascript(client):
    html = client.get(url_in("fr", "contact")).content.decode()
    banner = banner_html(html)
    assert 'aria-labelledby="consent-banner-title"' in banner
    assert 'id="consent-banner-title"' in banner
    form = form_posting_to(html, url_in("fr", "consent_update"))
    assert form.method == "post"


@pytest.mark.parametrize("press", ["accept_all", "refuse_all"])
def test_banner_form_works_with_javascript_off_and_returns_to_the_page(client, press):
    page = url_in("en", "contact")
    html = client.get(page).content.decode()
    form = form_posting_to(html, url_in("en", "consent_update"))
    response = form.submit(client, press=press)
    assert response.status_code == 303
    assert response["Location"] == page
    assert consent_cookie(response).value
    after = client.get(page).content.decode()
    assert banner_html(after) == ""
    record = ConsentRecord.objects.get()
    assert record.source == "banner"
    assert record.analytics is (press == "accept_all")


def test_choose_link_leads_to_the_centre_where_each_category_is_unticked(client):
    html = client.get(url_in("fr", "privacy_centre")).content.decode()
    form = form_posting_to(html, url_in("fr", "consent_update"))
    boxes = [i for i in form.inputs if i.get("type") == "checkbox"]
    assert {box["name"] for box in boxes} == {"preferences", "analytics", "location"}
    assert not any("checked" in box for box in boxes)
    for box in boxes:
        assert f'<label for="{box["id"]}">' in html


def test_banner_is_not_repeated_on_the_privacy_centre(client):
    assert banner_html(client.get(url_in("fr", "privacy_centre")).content.decode()) == ""


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.testserver"},
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
        {},
    ],
    ids=[
        "cross-site",
        "fetch-site-only",
        "same-site",
        "foreign-origin",
        "null-origin",
        "foreign-referer",
        "no-provenance",
    ],
)
def test_a_cross_site_consent_post_is_refused(client, headers):
    response = post_consent(client, "accept_all", headers=headers)
    assert response.status_code == 403
    assert consent_cookie(response) is None
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        SAME_ORIGIN,
        {"Origin": "http://testserver"},
        {"Sec-Fetch-Site": "same-origin"},
        {"Referer": "http://testserver/fr/contact/"},
    ],
    ids=["both", "origin", "fetch-site", "referer"],
)
def test_a_same_origin_consent_post_is_accepted(client, headers):
    response = post_consent(client, "refuse_all", headers=headers)
    assert response.status_code == 303
    assert ConsentRecord.objects.count() == 1


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
def test_after_choosing_the_visitor_is_sent_back_only_within_the_site(client, target):
    response = client.post(
        url_in("fr", "consent_update"),
        {"action": "refuse_all", "source": "banner", "next": target},
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 303
    assert response["Location"] == url_in("fr", "home")


def test_an_unreadable_choice_is_refused_without_recording(client):
    response = client.post(
        url_in("fr", "consent_update"),
        {"action": "everything", "source": "banner"},
        headers=SAME_ORIGIN,
    )
    assert response.status_code == 400
    assert not ConsentRecord.objects.exists()


def test_consent_form_refuses_get(client):
    assert client.get(url_in("fr", "consent_update")).status_code == 405


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("fr", "Global Privacy Control\u00a0: nous refusons"),
        ("en", "Global Privacy Control signal"),
    ],
)
def test_banner_says_that_gpc_is_honoured(client, language, notice):
    with_gpc = client.get(url_in(language, "home"), headers={"Sec-GPC": "1"}).content.decode()
    without = client.get(url_in(language, "home")).content.decode()
    assert notice in banner_html(with_gpc)
    assert notice not in banner_html(without)
