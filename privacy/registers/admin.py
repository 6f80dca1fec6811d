"""Registers in admin: processors and third parties, disclosures (recorded
through disclosure_record, which refuses what the policy forbids, never changed
after), confidentiality incidents, and the person in charge. Each register
exports as CSV for the regulator."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from privacy.adminkit.audited import StaffAccessAuditMixin
from privacy.adminkit.csv_export import CsvExportMixin
from privacy.registers.dashboard import IncidentStateFilter
from privacy.registers.models import (
    CATEGORY_CHOICES,
    ConfidentialityIncident,
    Disclosure,
    Processor,
)
from privacy.registers.person_in_charge import PersonInCharge
from privacy.registers.services import (
    disclosure_record,
    disclosure_refusal,
    person_in_charge_save,
)


class CategoriesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", CATEGORY_CHOICES)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class CategoriesAdminMixin:
    """The categories JSON list, edited as checkboxes of the data map's categories."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "categories":
            return CategoriesField(label=db_field.verbose_name, help_text=db_field.help_text)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class DisclosureForm(forms.ModelForm):
    """Says on the form why the policy refuses a disclosure, before anything is written."""

    class Meta:
        model = Disclosure
        fields = ("recipient", "subject", "categories", "legal_basis", "disclosed_at")

    def clean(self):
        cleaned = super().clean()
        recipient = cleaned.get("recipient")
        if recipient is not None and cleaned.get("legal_basis"):
            refusal = disclosure_refusal(
                recipient=recipient,
                categories=sorted(cleaned.get("categories") or []),
                legal_basis=cleaned["legal_basis"],
            )
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned


@admin.register(Processor)
class ProcessorAdmin(StaffAccessAuditMixin, CsvExportMixin, CategoriesAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "contract_on_file", "contract_date", "is_active")
    csv_columns = (
        "name",
        "kind",
        "purpose",
        "categories",
        "contract_on_file",
        "contract_date",
        "location",
        "is_active",
    )
    list_filter = ("kind", "contract_on_file", "is_active")
    search_fields = ("name",)

    def has_delete_permission(self, request, obj=None):
        # Disclosures point at it; deactivate instead.
        return False


@admin.register(Disclosure)
class DisclosureAdmin(
    StaffAccessAuditMixin, CsvExportMixin, CategoriesAdminMixin, admin.ModelAdmin
):
    form = DisclosureForm
    list_display = ("disclosed_at", "recipient", "legal_basis")
    list_filter = ("recipient", "legal_basis")
    raw_id_fields = ("subject",)
    date_hierarchy = "disclosed_at"
    csv_columns = ("disclosed_at", "recipient", "categories", "legal_basis")

    def save_model(self, request, obj, form, change):
        # Through the service, which checks the policy again and writes the audit row.
        saved = disclosure_record(
            recipient=obj.recipient,
            subject=obj.subject,
            categories=obj.categories,
            legal_basis=obj.legal_basis,
            disclosed_at=obj.disclosed_at,
            actor=request.user,
            request=request,
        )
        obj.pk = saved.pk
        obj._state.adding = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ConfidentialityIncident)
class ConfidentialityIncidentAdmin(
    StaffAccessAuditMixin, CsvExportMixin, CategoriesAdminMixin, admin.ModelAdmin
):
    csv_columns = (
        "id",
        "discovered_on",
        "occurred_from",
        "occurred_to",
        "description",
        "personal_info_concerned",
        "categories",
        "people_count",
        "risk_assessment",
        "serious_injury_risk",
        "commission_notified_on",
        "people_notified_on",
        "public_notice",
        "measures_taken",
    )
    list_display = (
        "id",
        "discovered_on",
        "people_count",
        "serious_injury_risk",
        "commission_notified_on",
        "people_notified_on",
    )
    list_filter = (IncidentStateFilter, "serious_injury_risk")
    date_hierarchy = "discovered_on"
    fieldsets = (
        (_("Incident"), {"fields": ("description", "personal_info_concerned", "categories")}),
        (
            _("Dates et personnes concernées"),
            {
                "fields": (
                    ("occurred_from", "occurred_to", "occurred_dates_approximate"),
                    "discovered_on",
                    ("people_count", "people_count_approximate"),
                )
            },
        ),
        (_("Risque de préjudice"), {"fields": ("risk_assessment", "serious_injury_risk")}),
        (
            _("Avis"),
            {
                "fields": (
                    "commission_notified_on",
                    "people_notified_on",
                    "public_notice",
                    "public_notice_reason",
                )
            },
        ),
        (_("Mesures"), {"fields": ("measures_taken",)}),
    )


@admin.register(PersonInCharge)
class PersonInChargeAdmin(StaffAccessAuditMixin, admin.ModelAdmin):
    list_display = ("title_fr", "name", "updated_at")

    def save_model(self, request, obj, form, change):
        person_in_charge_save(person=obj)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not PersonInCharge.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
