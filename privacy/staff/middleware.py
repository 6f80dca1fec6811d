"""The admin gate: MFA first, then the current agreement and procedures."""

from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from privacy.staff.selectors import staff_documents_pending

# Admin views a gated staff member may still reach.
ALWAYS_OPEN = {"logout", "login", "jsi18n"}
DOCUMENT_VIEW = "privacy_staffdocument_read"


class AdminGateMiddleware:
    """The admin opens only for staff with MFA who accepted the current documents.

    Applies to superusers too (break-glass still needs MFA and the agreement).
    The pages where staff read and accept the documents are the only admin
    pages past the MFA check that stay open.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not (user.is_staff or user.is_superuser) or match.url_name in ALWAYS_OPEN:
            return None
        if not is_mfa_enabled(user):
            messages.warning(
                request,
                _(
                    "L’administration exige l’authentification à deux facteurs. "
                    "Activez-la pour continuer."
                ),
            )
            return redirect("mfa_index")
        if match.url_name == DOCUMENT_VIEW:
            return None
        pending = staff_documents_pending(user=user)
        if pending:
            url = reverse(f"admin:{DOCUMENT_VIEW}", args=[pending[0].kind])
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return None
