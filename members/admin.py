from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from privacy.admin.audited import StaffAccessAuditMixin
from privacy.admin.masking import MaskedFieldsMixin

from .models import User


@admin.register(User)
class UserAdmin(StaffAccessAuditMixin, MaskedFieldsMixin, DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("__str__", "email", "is_staff", "is_active", "date_joined")
    # Opening an account is audited (the member sees it); emails are masked in lists.
    masked_fields = ("email",)
    list_filter = ("is_staff", "is_active", "groups")
    search_fields = ("email",)
    readonly_fields = ("date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password", "preferred_language")}),
        (_("Accès"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ("groups",)
