"""Key rotation status, read-only, for holders of privacy.view_keyrotationstatus."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from privacy.adminkit.pages import ReadOnlyPageAdmin
from privacy.crypto import keyring
from privacy.rotation.models import KeyRotationStatus
from privacy.rotation.selectors import encryption_key_usage


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
