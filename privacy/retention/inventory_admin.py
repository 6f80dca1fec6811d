"""The data map inventory, read-only, for holders of privacy.view_datamapinventory.

It lives with retention because it states each model's window in force: the
declaration's, or its ``PRIVACY_RETENTION`` override.
"""

from datetime import timedelta

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from privacy.adminkit.pages import ReadOnlyPageAdmin
from privacy.datamap.models import DataMapInventory
from privacy.datamap.registry import Action, datamap_inventory
from privacy.retention.api import retention_rules


def duration_label(keep_for: timedelta) -> str:
    days = keep_for.days
    if days and days % 365 == 0:
        years = days // 365
        return ngettext("%(count)d an", "%(count)d ans", years) % {"count": years}
    return ngettext("%(count)d jour", "%(count)d jours", days) % {"count": days}


def action_label(action: Action) -> str:
    return _("supprimées") if action == Action.DELETE else _("anonymisées")


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
