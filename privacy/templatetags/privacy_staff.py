from django import template

from privacy.registers.selectors import PersonInChargeInfo
from privacy.registers.selectors import person_in_charge as person_in_charge_select

register = template.Library()


@register.simple_tag
def person_in_charge() -> PersonInChargeInfo:
    """{% person_in_charge as pic %}: the published person in charge (or the defaults)."""
    return person_in_charge_select()
