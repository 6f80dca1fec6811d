"""Staff access transparency: every look at, or change to, an object in admin
is an audit entry about the account the object is about (P25)."""

from django.db import transaction

from privacy.audit import chain as audit


class StaffAccessAuditMixin:
    """Add to a ModelAdmin (first in the bases) to audit opening, adding,
    changing and deleting its objects.

    The subject is resolved through the model's data map declaration
    (``subject`` path), so the member sees the view in ``staff_views_of``.
    """

    def audit_view(self, request, obj, **metadata) -> None:
        """Record that staff opened ``obj`` (or a part of it, named in ``metadata``)."""
        with transaction.atomic():
            audit.audit_record(
                action=audit.ADMIN_VIEW, obj=obj, request=request, metadata=metadata or None
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Only a real opening of an existing object, not a form re-shown with errors.
        if obj is not None and not add and request.method in ("GET", "HEAD"):
            self.audit_view(request, obj)
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def construct_change_message(self, request, form, formsets, add=False):
        # Field names only (never values), for the audit entry log_change writes.
        request._audit_changed_fields = sorted(getattr(form, "changed_data", []))[:20]
        return super().construct_change_message(request, form, formsets, add)

    def log_addition(self, request, obj, message):
        with transaction.atomic():
            audit.audit_record(action=audit.ADMIN_ADD, obj=obj, request=request)
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        fields = getattr(request, "_audit_changed_fields", [])
        with transaction.atomic():
            audit.audit_record(
                action=audit.ADMIN_CHANGE, obj=obj, request=request, metadata={"fields": fields}
            )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit.audit_record(action=audit.ADMIN_DELETE, obj=obj, request=request)
        return super().log_deletions(request, queryset)
