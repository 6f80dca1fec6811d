"""The data map inventory, read-only, for holders of privacy.view_datamapinventory."""

from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from privacy.crypto import keyring
from privacy.datamap.registry import Action, datamap_inventory
from privacy.models import DataMapInventory, KeyRotationStatus
from privacy.retention.api import retention_rules
from privacy.rotation.selectors import encryption_key_usage
from privacy.staff.readonly import ReadOnlyAdminMixin


def duration_label(keep_for: timedelta) -> str:
    days = keep_for.days
    if days and days % 365 == 0:
        years = days // 365
        return ngettext("%(count)d an", "%(count)d ans", years) % {"count": years}
    return ngettext("%(count)d jour", "%(count)d jours", days) % {"count": days}


def action_label(action: Action) -> str:
    return _("supprimées") if action == Action.DELETE else _("anonymisées")


class ReadOnlyPageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """One read-only admin page with no table behind it, opened by a view permission."""

    view_permission = ""

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm(self.view_permission)

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="{}_{}_changelist".format(*info),
            )
        ]

    def page_context(self, request: HttpRequest, extra_context=None, **context) -> dict:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.opts.verbose_name_plural,
            **context,
            **(extra_context or {}),
        }


@admin.register(DataMapInventory)
class DataMapInventoryAdmin(ReadOnlyPageAdmin):
    """The inventory derived from the data map."""

    view_permission = "privacy.view_datamapinventory"

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # The window in force: the declaration's, or its PRIVACY_RETENTION override.
        windows = {rule.label: rule.keep_for for rule in retention_rules()}
        inventory = [
            {
                "model": entry,
                "keep_for": duration_label(windows[entry.label]) if entry.retention else "",
                "action": action_label(entry.retention.action) if entry.retention else "",
            }
            for entry in datamap_inventory()
        ]
        context = self.page_context(request, extra_context, inventory=inventory)
        return TemplateResponse(request, "privacy/admin/datamap_inventory.html", context)


@admin.register(KeyRotationStatus)
class KeyRotationStatusAdmin(ReadOnlyPageAdmin):
    """Values sealed under each key id, so operators know when a key can be retired."""

    view_permission = "privacy.view_keyrotationstatus"

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        primary = keyring().primary_id
        usage = [
            {"key_id": key_id, "count": count, "primary": key_id == primary}
            for key_id, count in encryption_key_usage().items()
        ]
        context = self.page_context(request, extra_context, usage=usage)
        return TemplateResponse(request, "privacy/admin/key_rotation_status.html", context)
