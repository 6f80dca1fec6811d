"""Privacy requests in the admin.

The privacy officer (``privacy.triage_privacyrequest``) works the queue:
days left in colour bands, filters, search by reference or exact student
number, and every transition as an admin action or a button on the request,
each calling one service. Member services get a separate, restricted list that
shows only that a request exists and its status.

The request admin is put together from parts, by concept:

- ``admin_list``: the queue (filters, search, actions on selected requests);
- ``admin_detail``: one request (its columns and pages: act, corrections, export,
  document);
- ``admin_actions``: the buttons a request offers and what each one runs.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from privacy.adminkit.audited import StaffAccessAuditMixin
from privacy.requests.admin_actions import available_actions
from privacy.requests.admin_detail import RequestColumnsMixin, RequestPagesMixin
from privacy.requests.admin_list import (
    TRIAGE,
    AssigneeFilter,
    DueFilter,
    RequestBulkActionsMixin,
    RequestSearchMixin,
    StateFilter,
)
from privacy.requests.models import (
    PrivacyRequest,
    PrivacyRequestStatus,
)


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(
    StaffAccessAuditMixin,
    RequestColumnsMixin,
    RequestPagesMixin,
    RequestBulkActionsMixin,
    RequestSearchMixin,
    admin.ModelAdmin,
):
    list_display = (
        "reference",
        "kind",
        "status",
        "days_left_band",
        "due_display",
        "assignee_display",
        "submitted_at",
    )
    list_filter = (StateFilter, "kind", "status", DueFilter, AssigneeFilter)
    list_select_related = ("assignee",)
    actions = [
        "action_assign_to_me",
        "action_start_review",
        "action_approve",
        "action_fulfil",
        "action_close",
        "action_refuse",
        "action_ask_member",
        "action_extend",
        "action_assign",
    ]
    fields = (
        "reference",
        "member_id_display",
        "kind",
        "status",
        "submitted_at",
        "due_display",
        "extension_display",
        "assignee_display",
        "details",
        "decision_display",
        "correction_items_display",
        "document_display",
        "export_display",
        "deletion_plan_display",
        "timeline_display",
        "notes_display",
    )
    readonly_fields = fields

    class Media:
        css = {"all": ["css/admin_privacy_requests.css"]}

    # --- Permissions: read-only model; changes only through services --------

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(TRIAGE)

    def get_queryset(self, request):
        # The date the column shows is the date the queue sorts on: the extended one.
        queryset = self.model._default_manager.get_queryset().annotate(
            effective_due=Coalesce("extended_due_on", "due_on")
        )
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        # Most urgent first: earliest effective deadline, then the oldest request.
        return ("effective_due", "submitted_at")

    def has_module_permission(self, request):
        return request.user.has_perm(TRIAGE)

    def has_triage_permission(self, request):
        return request.user.has_perm(TRIAGE)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Opening a request is audited by StaffAccessAuditMixin (the member sees it).
        if obj is not None:
            context["transitions"] = available_actions(obj)
            obj._viewer = request.user  # who reads the page: may they follow the member link?
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )


@admin.register(PrivacyRequestStatus)
class PrivacyRequestStatusAdmin(RequestSearchMixin, admin.ModelAdmin):
    """Member services: that a request exists and where it stands; nothing of its content."""

    list_display = ("reference", "kind", "status", "submitted_at", "due_display")
    list_filter = ("kind", "status")
    fields = ("reference", "kind", "status", "submitted_at", "due_display")
    readonly_fields = fields
    actions = None

    @admin.display(description=_("échéance"))
    def due_display(self, obj):
        return obj.effective_due_on

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
