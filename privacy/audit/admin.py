"""The audit log in admin: read-only, for the privacy officer."""

from django.contrib import admin

from privacy.adminkit.readonly import ReadOnlyAdminMixin
from privacy.audit.models import AuditCheckpoint, AuditEntry


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "created_at",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "subject_id",
        "ip_prefix",
    )
    list_filter = ("action", "actor_role", "object_type")
    # Exact ids only: the log is searched by object or account, never by value.
    search_fields = ("=object_id", "=subject_id", "=actor_id")
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(AuditCheckpoint)
class AuditCheckpointAdmin(ReadOnlyAdmin):
    list_display = ("through_id", "removed_count", "created_at")
