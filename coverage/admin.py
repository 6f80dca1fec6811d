"""Admin for the published plans only (not personal data).

Enrolments and claims are personal health information: they arrive through the
insurer feed (manage.py import_coverage) and are not browsable here until staff
views are audited per record (see the staff issue).
"""

from django.contrib import admin

from .models import Benefit, BenefitCategory, CombinedMaximum, Plan


class BenefitCategoryInline(admin.TabularInline):
    model = BenefitCategory
    extra = 0


class CombinedMaximumInline(admin.TabularInline):
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
