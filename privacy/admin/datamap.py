"""The data map inventory, read-only, for holders of privacy.view_datamapinventory."""

from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from privacy.datamap import Action, datamap_inventory
from privacy.models import DataMapInventory
from privacy.retention import retention_rules


def duration_label(keep_for: timedelta) -> str:
    days = keep_for.days
    if days and days % 365 == 0:
        years = days // 365
        return ngettext("%(count)d an", "%(count)d ans", years) % {"count": years}
    return ngettext("%(count)d jour", "%(count)d jours", days) % {"count": days}


def action_label(action: Action) -> str:
    return _("supprimées") if action == Action.DELETE else _("anonymisées")


@admin.register(DataMapInventory)
class DataMapInventoryAdmin(admin.ModelAdmin):
    """One page, no table behind it: the inventory derived from the data map."""

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("privacy.view_datamapinventory")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "",
                self.admin_site.admin_view(self.changelist_view),
                name="{}_{}_changelist".format(*info),
            )
        ]

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
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
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.opts.verbose_name_plural,
            "inventory": inventory,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "privacy/admin/datamap_inventory.html", context)
