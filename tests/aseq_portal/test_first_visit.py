"""First visit: headings in order under the banner, titles with their separator,
sign-out beside the language link (the header stays two rows)."""

import re

import pytest

from tests.privacy.consent_support import url_in

pytestmark = pytest.mark.django_db


def headings(html: str) -> list[str]:
    return re.findall(r"<h([1-6])\b", html)


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("page", ["home", "contact", "privacy_policy", "account_login"])
def test_the_pages_h1_is_the_first_heading_even_under_the_cookie_banner(client, language, page):
    html = client.get(url_in(language, page)).content.decode()
    assert 'class="consent-banner"' in html
    assert headings(html)[0] == "1"


@pytest.mark.parametrize(
    ("language", "title"),
    [("fr", "<title>Accueil · ASEQ</title>"), ("en", "<title>Home · ASEQ</title>")],
)
def test_the_home_page_title_carries_its_separator(client, language, title):
    assert title in client.get(url_in(language, "home")).content.decode()


def test_sign_out_sits_in_the_brands_row_not_in_a_third_one(client, member_record):
    client.force_login(member_record.user)
    html = client.get(url_in("fr", "account_overview")).content.decode()
    row = re.search(r'<div class="wrap header-row">(.*?)</div>', html, re.S).group(1)
    assert "Se déconnecter" in row
    nav = re.search(r'<nav class="wrap main-nav".*?</nav>', html, re.S).group(0)
    assert "Se déconnecter" not in nav


@pytest.mark.parametrize(
    ("language", "words"), [("fr", "Portail des membres"), ("en", "Member portal")]
)
@pytest.mark.parametrize("page", ["home", "contact", "privacy_policy", "account_login"])
def test_public_pages_carry_a_meta_description_in_their_language(client, language, words, page):
    html = client.get(url_in(language, page)).content.decode()
    assert f'<meta name="description" content="{words}' in html


def test_time_elements_carry_a_valid_datetime_without_microseconds(client, member_record):
    from members.models import ActivityEvent
    from members.services import activity_record

    activity_record(user=member_record.user, kind=ActivityEvent.Kind.values[0])
    client.force_login(member_record.user)
    html = client.get(url_in("fr", "members_activity")).content.decode()
    values = re.findall(r'<time datetime="([^"]+)"', html)
    assert values
    for value in values:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", value), value
