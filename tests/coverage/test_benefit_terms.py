"""A benefit's terms are rendered once per set of terms and language, and stay exact."""

from decimal import Decimal

import pytest
from django.template.loader import get_template
from django.utils import translation

from coverage.models import Benefit
from coverage.templatetags.coverage_tags import TERMS_TEMPLATE, benefit_terms

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_terms_read_as_the_fragment_renders_them(plan, language):
    benefits = Benefit.objects.filter(plan=plan).select_related("combined")
    with translation.override(language):
        for benefit in benefits:
            expected = get_template(TERMS_TEMPLATE).render({"benefit": benefit})
            assert benefit_terms(benefit) == expected
            assert benefit_terms(benefit) == expected  # the second time, from the memo


def test_changed_terms_are_rendered_anew(plan):
    benefit = Benefit.objects.get(plan=plan, key="dental-checkup")
    with translation.override("fr"):
        assert "70\u00a0%" in benefit_terms(benefit)
        benefit.percent = Decimal("75")
        assert "75\u00a0%" in benefit_terms(benefit)


def test_each_language_gets_its_own_terms(plan):
    benefit = Benefit.objects.get(plan=plan, key="physiotherapy")
    with translation.override("en"):
        english = benefit_terms(benefit)
    with translation.override("fr"):
        french = benefit_terms(benefit)
    assert "$40.00" in english
    assert "40,00\u00a0$" in french
