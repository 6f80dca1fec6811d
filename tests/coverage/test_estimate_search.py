"""The estimate finds care by the words students use, and leads to its answer."""

import pytest
from django.utils import timezone

from tests.coverage.test_pages import url

pytestmark = pytest.mark.django_db

DENTAL = ("dental-checkup", "dental-fillings")


def found(html: str) -> str:
    """The page without its list of every benefit (a disclosure at the bottom)."""
    return html.split('<details class="all-benefits">')[0]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("query", ["dents", "teeth", "orthodontie", "Braces", "dent", "tooth"])
def test_everyday_words_for_teeth_find_the_dental_benefits(
    client, member, coverage_member, language, query
):
    client.force_login(member)
    html = found(
        client.get(url("coverage_estimate", language=language), {"q": query}).content.decode()
    )
    for key in DENTAL:
        assert f"benefit={key}" in html, query
    assert "benefit=physiotherapy" not in html


@pytest.mark.parametrize(("query", "key"), [("lentilles", "glasses"), ("lenses", "glasses")])
def test_a_plural_finds_its_singular(client, member, coverage_member, query, key):
    client.force_login(member)
    html = found(client.get(url("coverage_estimate"), {"q": query}).content.decode())
    assert f"benefit={key}" in html


def test_calculate_leads_to_the_result_and_focuses_it(client, member, coverage_member):
    client.force_login(member)
    form = client.get(url("coverage_estimate"), {"benefit": "dental-checkup"}).content.decode()
    assert 'action="/fr/couverture/estimation/#resultat"' in form
    result = client.get(
        url("coverage_estimate"),
        {
            "benefit": "dental-checkup",
            "person": str(coverage_member.id),
            "on": timezone.localdate().isoformat(),
            "cost": "100",
        },
    ).content.decode()
    assert 'id="resultat" tabindex="-1" data-focus-on-load' in result
