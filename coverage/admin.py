"""Admin for published plans, and read-only, audited views of enrolments and claims.

Enrolments and claims are personal health information that arrive through the
insurer feed (manage.py import_coverage): staff may read them (member services,
for a member on the phone), never edit them, and every opening is audited so the
member sees it in their activity page and access export.
"""

from datetime import date

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from members.admin import BoundedInlineMixin
from privacy.staff.api import BigListMixin, ReadOnlyAdminMixin, StaffAccessAuditMixin

from . import rules
from .models import Benefit, BenefitCategory, Claim, CombinedMaximum, Enrolment, Plan
from .rules import cents_to_money
from .templatetags.coverage_tags import format_money

# Amounts are stored in cents: staff read them in dollars, in their language.
MONEY_LABELS = {
    "per_visit_max_cents": _("montant maximal par visite"),
    "yearly_max_cents": _("maximum annuel"),
    "frequency_max_cents": _("maximum par période"),
    "amount_claimed_cents": _("montant réclamé"),
    "amount_paid_cents": _("montant payé"),
}


def _dollars_display(field_name: str):
    @admin.display(description=MONEY_LABELS[field_name], ordering=None)
    def show(self, obj) -> str:
        cents = getattr(obj, field_name)
        return "—" if cents is None else format_money(cents_to_money(cents))

    return show


class DollarsAdminMixin:
    """Cents fields read as dollars wherever the page is read-only (every staff role's view);
    whoever may edit a plan keeps the exact cents input."""

    def _in_dollars(self, names):
        return [f"{n[: -len('_cents')]}_dollars" if n in MONEY_LABELS else n for n in names]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return self._in_dollars(fields)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if self.has_change_permission(request, obj):
            return readonly
        shown = {f"{name[: -len('_cents')]}_dollars" for name in MONEY_LABELS}
        return [*self._in_dollars(readonly), *sorted(shown - set(readonly))]


for _name in MONEY_LABELS:
    setattr(DollarsAdminMixin, f"{_name[: -len('_cents')]}_dollars", _dollars_display(_name))


class BenefitCategoryInline(DollarsAdminMixin, BoundedInlineMixin, admin.TabularInline):
    model = BenefitCategory
    extra = 0


class CombinedMaximumInline(DollarsAdminMixin, BoundedInlineMixin, admin.TabularInline):
    model = CombinedMaximum
    extra = 0


@admin.register(Plan)
class PlanAdmin(DollarsAdminMixin, admin.ModelAdmin):
    list_display = ("name_fr", "association", "policy_year", "health_window_end")
    list_filter = ("policy_year", "association")
    search_fields = ("name_fr", "name_en", "association__name_fr")
    inlines = [BenefitCategoryInline, CombinedMaximumInline]


@admin.register(Benefit)
class BenefitAdmin(DollarsAdminMixin, admin.ModelAdmin):
    list_display = ("name_fr", "plan", "category", "percent", "per_visit_max_dollars")
    list_filter = ("plan__policy_year", "plan__association", "category__part")
    search_fields = ("name_fr", "name_en", "keywords_fr", "keywords_en")
    raw_id_fields = ("plan", "category", "combined")


class ReadOnlyAuditedAdmin(
    DollarsAdminMixin, StaffAccessAuditMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    """Insurer data: viewable by roles that may, audited on every opening, never edited."""


class PolicyYearFilter(admin.SimpleListFilter):
    """The policy years the plans cover: read from the plans, never a DISTINCT over the rows."""

    title = _("année de police")
    parameter_name = "policy_year_end"

    def lookups(self, request, model_admin):
        years = Plan.objects.order_by("-policy_year").values_list("policy_year", flat=True)
        return [
            (rules.policy_year_bounds(year)[1].isoformat(), f"{year}-{year + 1}")
            for year in dict.fromkeys(years)
        ]

    def queryset(self, request, queryset):
        try:
            end = date.fromisoformat(self.value() or "")
        except ValueError:
            return queryset
        return queryset.filter(policy_year_end=end)


@admin.register(Enrolment)
class EnrolmentAdmin(BigListMixin, ReadOnlyAuditedAdmin):
    # No personal value in the list: the member number and statuses only.
    list_display = ("member", "dependant", "part", "status", "policy_year_end", "changed_at")
    list_filter = ("part", "status", PolicyYearFilter)
    # Exact member number (an index lookup), never a substring across the join.
    exact_search_fields = ("member__member_number",)
    search_help_text = _("Numéro de membre exact, par exemple ASEQ-1234567.")
    # A dependant reads as its card number, which names its member: joined too.
    list_select_related = ("member", "dependant", "dependant__member")
    exclude = ("proof",)
    readonly_fields = ("has_proof",)

    @admin.display(boolean=True, description=_("preuve d’autre couverture reçue"))
    def has_proof(self, obj: Enrolment) -> bool:
        return bool(obj.proof_content_type)


@admin.register(Claim)
class ClaimAdmin(BigListMixin, ReadOnlyAuditedAdmin):
    # Amounts, dates and providers are health information: shown only on the
    # (audited) detail page, never in the list.
    list_display = ("reference", "member", "status", "policy_year_end", "in_network")
    list_filter = ("status", PolicyYearFilter, "in_network")
    # Exact reference or member number (index lookups), never a substring across the join.
    exact_search_fields = ("reference", "member__member_number")
    search_help_text = _("Numéro de demande ou numéro de membre exact.")
    list_select_related = ("member",)
