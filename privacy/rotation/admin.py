"""Key rotation status, read-only, for holders of privacy.view_keyrotationstatus.

Counting scans every encrypted column (seconds to minutes at scale): the page shows
the last stored census with its date, and a button asks a task to recount.
"""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from privacy.adminkit.pages import ReadOnlyPageAdmin
from privacy.crypto import keyring
from privacy.rotation.models import KeyRotationStatus
from privacy.rotation.selectors import UNKNOWN_KEY, key_census
from privacy.rotation.tasks import key_census_task


@admin.register(KeyRotationStatus)
class KeyRotationStatusAdmin(ReadOnlyPageAdmin):
    """Values sealed under each key id, so operators know when a key can be retired."""

    view_permission = "privacy.view_keyrotationstatus"

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        context = self.page_context(request, extra_context)  # refuses without the permission
        if request.method == "POST":
            key_census_task.delay()
            self.message_user(
                request,
                _(
                    "Le décompte est relancé. Les chiffres de cette page sont ceux du dernier "
                    "décompte terminé : rechargez-la dans quelques minutes."
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        ring = keyring()
        census = key_census()
        usage = []
        if census is not None:
            key_ids = list(ring.ciphers)
            key_ids += [
                k
                for k in sorted(census.values_by_key.keys() | census.data_keys_by_key.keys())
                if k not in key_ids
            ]
            for key_id in key_ids:
                values = int(census.values_by_key.get(key_id, 0))
                data_keys = int(census.data_keys_by_key.get(key_id, 0))
                usage.append(
                    {
                        "key_id": key_id,
                        "count": values,
                        "data_keys": data_keys,
                        "primary": key_id == ring.primary_id,
                        "unknown": key_id == UNKNOWN_KEY,
                        "in_use": bool(values or data_keys),
                    }
                )
        context.update(census=census, usage=usage)
        return TemplateResponse(request, "privacy/admin/key_rotation_status.html", context)
