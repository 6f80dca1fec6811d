"""Admin for published plans, and read-only, audited views of enrolments and claims.

Enrolments and claims are personal health information that arrive through the
insurer feed (manage.py import_coverage): staff may read them (member services,
for a member on the phone), never edit them, and every opening is audited so the
member sees it in their activity page and access export.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from members.admin import BoundedInlineMixin
from privacy.staff.api import ReadOnlyAdminMixin, StaffAccessAuditMixin

from .models import Benefit, BenefitCategory, Claim, CombinedMaximum, Enrolment, Plan


class BenefitCategoryInline(BoundedInlineMixin, admin.TabularInline):
    model = BenefitCategory
    extra = 0


class CombinedMaximumInline(BoundedInlineMixin, admin.TabularInline):
    model = CombinedMaximum
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name_fr", "association", "policy_year", "health_window_end")
    list_filter = ("policy_year", "association")
    search_fields = ("name_fr", "name_en", "association__name_fr")
    inlines = [BenefitCategoryInline, CombinedMaximumInline]


@admin.register(Benefit)
class BenefitAdmin(admin.ModelAdmin):
    list_display = ("name_fr", "plan", "category", "percent", "per_visit_max_cents")
    list_filter = ("plan__policy_year", "plan__association", "category__part")
    search_fields = ("name_fr", "name_en", "keywords_fr", "keywords_en")
    raw_id_fields = ("plan", "category", "combined")


class ReadOnlyAuditedAdmin(StaffAccessAuditMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Insurer data: viewable by roles that may, audited on every opening, never edited."""


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAuditedAdmin):
    # No personal value in the list: the member number and statuses only.
    list_display = ("member", "dependant", "part", "status", "policy_year_end", "changed_at")
    list_filter = ("part", "status", "policy_year_end")
    search_fields = ("member__member_number",)
    list_select_related = ("member", "dependant")
    exclude = ("proof",)
    readonly_fields = ("has_proof",)

    @admin.display(boolean=True, description=_("preuve d’autre couverture reçue"))
    def has_proof(self, obj: Enrolment) -> bool:
        return bool(obj.proof_content_type)


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAuditedAdmin):
    # Amounts, dates and providers are health information: shown only on the
    # (audited) detail page, never in the list.
    list_display = ("reference", "member", "status", "policy_year_end", "in_network")
    list_filter = ("status", "policy_year_end", "in_network")
    search_fields = ("reference", "member__member_number")
    list_select_related = ("member",)
