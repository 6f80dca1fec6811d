"""The coverage summary answers "what do I have left" first and says each thing once."""

import re

import pytest

from tests.coverage.test_pages import paid_claims, url
from tests.factories import DependantFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(client, member, coverage_member, plan):
    from coverage.demo import enrolment_seed

    child = DependantFactory(member=coverage_member, relationship="child")
    enrolment_seed(member=coverage_member, plan=plan, dependants=[child])
    paid_claims(coverage_member, plan, "physiotherapy", 3)
    client.force_login(member)
    return child


def test_a_combined_maximum_is_stated_once_per_group_not_on_every_benefit(client, family):
    html = client.get(url("coverage_summary")).content.decode()
    own = html.split('<details class="person person-more">')[0]
    visible = re.sub(r'<details class="terms-details">.*?</details>', "", own, flags=re.S)
    assert visible.count("Maximum combiné de 600,00\u00a0$") == 1
    assert "reste <strong>480,00\u00a0$</strong> (120,00\u00a0$ utilisés)" in visible


def test_each_dependant_is_behind_a_disclosure_that_names_them(client, family):
    html = client.get(url("coverage_summary", language="en")).content.decode()
    disclosures = re.findall(
        r'<details class="person person-more">\s*<summary>(.*?)</summary>', html, re.S
    )
    assert len(disclosures) == 1
    assert family.full_name in disclosures[0]
    assert "Health: Covered" in re.sub(r"<[^>]+>", "", disclosures[0])


def test_a_groups_terms_are_behind_a_disclosure(client, family):
    html = client.get(url("coverage_summary")).content.decode()
    own = html.split('<details class="person person-more">')[0]
    terms = re.findall(r'<details class="terms-details">(.*?)</details>', own, re.S)
    assert terms and all("<summary>" in block for block in terms)
    visible = re.sub(r'<details class="terms-details">.*?</details>', "", own, flags=re.S)
    assert "par visite" not in visible
