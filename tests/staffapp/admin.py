from django.contrib import admin

from privacy.adminkit.audited import StaffAccessAuditMixin
from privacy.adminkit.masking import MaskedFieldsMixin

from .models import CaseFile


@admin.register(CaseFile)
class CaseFileAdmin(StaffAccessAuditMixin, MaskedFieldsMixin, admin.ModelAdmin):
    list_display = ("student_number", "date_of_birth", "status")
    masked_fields = {"student_number": 3, "date_of_birth": 0}
    raw_id_fields = ("owner",)
