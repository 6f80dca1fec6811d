from django.contrib import admin

from privacy.staff.api import EncryptedModelAdmin

from .models import Vault


@admin.register(Vault)
class VaultAdmin(EncryptedModelAdmin):
    list_display = ("id", "email", "student_number", "label")
    search_fields = ("label",)
    blind_index_search_fields = ("student_number", "email")
