"""French typography on French pages, none of it on English pages.

French: a non-breaking space before ":" and a narrow one before ";", "?", "!",
non-breaking spaces inside « », "1er"; English: no space before those signs.
The page scan renders what the demo student sees, in both languages.
"""

import html as htmllib
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from aseq_portal.typography import typeset
from members.models import User

pytestmark = pytest.mark.django_db

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "<p>Que couvre le régime de mon école?</p>",
            f"<p>Que couvre le régime de mon école{NNBSP}?</p>",
        ),
        ("<p>Santé : Couvert</p>", f"<p>Santé{NBSP}: Couvert</p>"),
        ("<li><a>Nom</a> : requis</li>", f"<li><a>Nom</a>{NBSP}: requis</li>"),
        ("<p>« Oui »; «non»!</p>", f"<p>«{NBSP}Oui{NBSP}»{NNBSP}; «{NBSP}non{NBSP}»{NNBSP}!</p>"),
        ("<p>Du 1 décembre au 11 janvier</p>", "<p>Du 1er décembre au 11 janvier</p>"),
        ("<p>à 10:30, https://a.ca/x?y=1</p>", "<p>à 10:30, https://a.ca/x?y=1</p>"),
        ("<p>A &amp; B</p>", "<p>A &amp; B</p>"),
        ("<p>Merci d'indiquer l'adresse</p>", "<p>Merci d’indiquer l’adresse</p>"),
    ],
)
def test_french_text_gets_its_spaces(source, expected):
    assert typeset(source, "fr") == expected


@pytest.mark.parametrize(
    "source",
    [
        '<input value="a : b">',
        "<textarea>a : b</textarea>",
        "<script>x ? y : z;</script>",
        '<a href="/fr/?q=1" title="a : b">x</a>',
        '<input placeholder="l\'adresse">',
    ],
)
def test_markup_and_raw_text_are_never_touched(source):
    assert typeset(source, "fr") == source


def test_english_text_has_no_space_before_punctuation():
    assert typeset("<p>Health : Covered ; really ?</p>", "en") == "<p>Health: Covered; really?</p>"


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", page, flags=re.S | re.I)
    # Tags that end a block become line breaks; inline ones vanish.
    page = re.sub(
        r"</?(p|li|h[1-6]|dt|dd|div|td|th|tr|section|title|label|legend|ul|ol|br)\b[^>]*>",
        "\n",
        page,
    )
    return htmllib.unescape(re.sub(r"<[^>]*>", "", page))


MEMBER_PAGES = [
    "coverage_summary",
    "coverage_estimate",
    "coverage_enrolment",
    "coverage_claims",
    "coverage_plans",
    "account_overview",
    "members_profile",
    "members_dependants",
    "members_activity",
    "members_providers",
    "privacy_centre",
    "privacy_policy",
    "cookie_policy",
    "privacy_request_list",
    "contact",
    "account_change_password",
]


@pytest.fixture
def demo_student(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    user = User.objects.get(email="etudiante@demo.aseq.ca")
    client.force_login(user)
    return user


def member_pages(client, language):
    from coverage.models import Claim

    claim = Claim.objects.filter(member__user__email="etudiante@demo.aseq.ca").first()
    with translation.override(language):
        urls = [reverse(name) for name in MEMBER_PAGES]
        urls.append(reverse("coverage_claim_detail", args=[claim.pk]))
        urls.append(reverse("coverage_card", args=[claim.member.pk]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        yield url, response.content.decode()


def test_french_member_pages_have_no_plain_space_before_high_punctuation(client, demo_student):
    problems = []
    for url, page in member_pages(client, "fr"):
        for match in re.finditer(r".{0,30}[ \n\t][:;?!](?=\s|$).{0,10}", visible_text(page)):
            problems.append(f"{url}: {match.group(0)!r}")
        for match in re.finditer(
            r"«[ \n]|[ \n]»|(?<![\d])1 (janvier|mars|avril|mai|juin)", visible_text(page)
        ):
            problems.append(f"{url}: {match.group(0)!r}")
        assert "<title>" in page and " · " in page.split("<title>")[1].split("</title>")[0], url
    assert problems == []


def test_english_member_pages_have_no_space_before_a_colon(client, demo_student):
    problems = []
    for url, page in member_pages(client, "en"):
        text = visible_text(page)
        for match in re.finditer(r".{0,30}\s[:;?!](?=\s|$).{0,10}", text):
            problems.append(f"{url}: {match.group(0)!r}")
        assert NNBSP + "?" not in text and NBSP + ":" not in text, url
    assert problems == []


@pytest.mark.parametrize(
    ("language", "cost", "message"),
    [
        ("fr", "0", f"Entrez un montant d’au moins 0,01{NBSP}$."),
        ("en", "0", "Enter an amount of at least $0.01."),
        ("fr", "200000", f"Entrez un montant d’au plus 100{NBSP}000,00{NBSP}$."),
    ],
)
def test_amount_limits_are_written_as_money_in_the_readers_language(language, cost, message):
    from coverage.forms import MoneyField

    field = MoneyField(min_value=Decimal("0.01"), max_value=Decimal("100000"), decimal_places=2)
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            field.clean(cost)
        assert error.value.messages == [message]


# typeset() finds the signs first and typesets only the runs holding one; the plain
# way (_typeset_tokens) cuts the whole page into tags and runs. Both must give the
# same page, for whatever markup: odd markup, comments and raw text included.
_PIECES = [
    "<p>", "</p>", "<a href=\"/fr/?q=1\" title=\"a : b\">", "</a>", "<br>", "<!-- x : y -->",
    "<!--", "-->", "<script>", "</script>", "<SCRIPT src=\"a.js\">", "</Script >", "<pre>",
    "</pre>", "<code>", "</code>", "<textarea>", "</textarea>", "<style>", "</style>",
    "<prefix>", "<scripts>", "<", ">", "</", " ", "\u00a0", "\u202f", "\n", ":", ";", "?", "!",
    "«", "»", "1", "1 ", "1\u00a0", "janvier", "septembre", "&amp;", "&#59;", "&", "a", "Santé",
    "(", "[", ".", ",", "’", "10:30", "https://a.ca/x?y=1", "ſcript", "<ſcript>", "</ſcript>",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
@settings(max_examples=3000, deadline=None)
def test_finding_signs_first_gives_the_same_page_as_the_plain_way(pieces):
    from aseq_portal.typography import _english, _french, _typeset_tokens

    html = "".join(pieces)
    assert typeset(html, "fr") == _typeset_tokens(html, _french)
    assert typeset(html, "en") == _typeset_tokens(html, _english)


def test_every_member_page_is_typeset_as_the_plain_way_would(client, demo_student):
    from aseq_portal.typography import _english, _french, _typeset_tokens

    for language, fix in (("fr", _french), ("en", _english)):
        for url, page in member_pages(client, language):
            # Undo the spacing too, so that the comparison has work to do.
            for source in (page, page.replace(NBSP + ":", " :").replace(NNBSP, " ")):
                assert typeset(source, language) == _typeset_tokens(source, fix), url
