"""Money in the page's language, and the estimate's reasons as sentences."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coverage.models import ClaimStatus, EnrolmentStatus, Part
from coverage.rules import Reason, money
from privacy.dates import date_text

register = template.Library()

NBSP = "\u00a0"


def format_money(value: Decimal | int | str | None, language: str | None = None) -> str:
    """fr: "1 200,00 $", en: "$1,200.00". Decimal in, cents kept exact."""
    if value is None:
        return ""
    amount = money(value)
    language = (language or get_language() or "fr")[:2]
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    if language == "en":
        return f"{sign}${','.join(groups)}.{cents}"
    return f"{sign}{NBSP.join(groups)},{cents}{NBSP}$"


@register.filter
def dollars(value) -> str:
    return format_money(value)


@register.filter
def percent(value) -> str:
    value = Decimal(value).normalize()
    text = f"{value:f}"
    if (get_language() or "fr").startswith("fr"):
        return f"{text.replace('.', ',')}{NBSP}%"
    return f"{text}%"


@register.filter
def part_label(value: str) -> str:
    return str(Part(value).label) if value in Part.values else ""


@register.filter
def enrolment_label(value: str) -> str:
    return (
        str(EnrolmentStatus(value).label) if value in EnrolmentStatus.values else _("Non couvert")
    )


@register.filter
def claim_status_label(value: str) -> str:
    return str(ClaimStatus(value).label) if value in ClaimStatus.values else ""


def _date(value) -> str:
    return date_text(value)


def reason_text(reason: Reason) -> str:
    values = reason.values
    if reason.code == "percent":
        return _("Le régime rembourse %(percent)s des frais.") % {
            "percent": percent(values["percent"])
        }
    if reason.code == "network_percent":
        return _("Fournisseur du réseau : le régime rembourse %(percent)s au lieu de %(base)s.") % {
            "percent": percent(values["percent"]),
            "base": percent(values["base"]),
        }
    if reason.code == "network_hint":
        return _("Chez un fournisseur du réseau, le remboursement passerait à %(percent)s.") % {
            "percent": percent(values["percent"])
        }
    if reason.code == "per_visit_max":
        return _("Le remboursement est limité à %(maximum)s par visite.") % {
            "maximum": format_money(values["maximum"])
        }
    if reason.code == "yearly_left":
        return _("Il reste %(left)s sur le maximum annuel de %(maximum)s pour cette garantie.") % {
            "left": format_money(values["left"]),
            "maximum": format_money(values["maximum"]),
        }
    if reason.code == "combined_left":
        return _(
            "Il reste %(left)s sur le maximum annuel combiné de %(maximum)s, partagé avec "
            "d’autres garanties."
        ) % {"left": format_money(values["left"]), "maximum": format_money(values["maximum"])}
    if reason.code == "window_left":
        text = _(
            "Il reste %(left)s sur le maximum de %(maximum)s par période de %(months)s mois."
        ) % {
            "left": format_money(values["left"]),
            "maximum": format_money(values["maximum"]),
            "months": values["months"],
        }
        if values.get("next_eligible"):
            text += " " + _("Prochain remboursement possible à partir du %(date)s.") % {
                "date": _date(values["next_eligible"])
            }
        return text
    if reason.code == "nothing_to_pay":
        return _("Il n’y a rien à rembourser pour ce montant.")
    return ""


@register.filter
def reason(value: Reason) -> str:
    return reason_text(value)


# --- A benefit's terms: the same on every member's page ------------------------

TERMS_TEMPLATE = "coverage/_benefit_terms.html"
TERMS_MEMO_SIZE = 1024
_terms_rendered: dict[tuple, SafeString] = {}


def _terms_key(benefit) -> tuple:
    """Everything coverage/_benefit_terms.html shows, and the language it speaks."""
    combined = benefit.combined if benefit.combined_id else None
    return (
        (get_language() or "fr")[:2],
        benefit.percent,
        benefit.network_percent,
        benefit.per_visit_max_cents,
        benefit.yearly_max_cents,
        benefit.shared_by_family,
        benefit.frequency_months,
        benefit.frequency_max_cents,
        combined and (combined.yearly_max_cents, combined.name_fr, combined.name_en),
    )


@register.simple_tag
def benefit_terms(benefit) -> SafeString:
    """coverage/_benefit_terms.html for ``benefit``, rendered once per process for each
    set of terms and language: published plan terms, nothing personal. A page lists a
    dozen benefits for each covered person; the key holds every value the fragment
    shows, so changed terms render anew."""
    key = _terms_key(benefit)
    html = _terms_rendered.get(key)
    if html is None:
        html = get_template(TERMS_TEMPLATE).render({"benefit": benefit})
        if len(_terms_rendered) >= TERMS_MEMO_SIZE:
            _terms_rendered.clear()
        _terms_rendered[key] = html
    return html
