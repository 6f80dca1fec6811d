"""Enforce consent on every response, whatever code produced it."""

import logging

from django.db import DatabaseError
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from privacy.consent.cookies import ConsentCategory, cookie_category
from privacy.consent.selectors import consent_state
from privacy.consent.services import page_view_count

logger = logging.getLogger(__name__)

# Namespaces whose pages are not counted (staff tools).
UNCOUNTED_NAMESPACES = frozenset({"admin"})


def _is_deletion(morsel) -> bool:
    """A Set-Cookie that removes a cookie (as ``delete_cookie`` writes it) is always allowed."""
    return str(morsel["max-age"]) == "0" or morsel["expires"].startswith("Thu, 01 Jan 1970")


class ConsentMiddleware:
    """Read the visitor's consent cookie and enforce it.

    Request: ``request.consent`` holds the visitor's choice; when location is
    allowed, ``Permissions-Policy`` lets this origin ask for geolocation.
    Response: every cookie whose category the visitor has not allowed (or that
    nobody declared) is removed, HttpOnly or not; pages are counted for
    visitors who allowed analytics. Place it after the session and
    authentication middleware and before ``SecurityHeadersMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = consent_state(request=request)
        request.consent = state
        if state.allows(ConsentCategory.LOCATION):
            overrides = dict(getattr(request, "permissions_policy_overrides", {}))
            overrides["geolocation"] = "(self)"
            request.permissions_policy_overrides = overrides

        response = self.get_response(request)

        for name, morsel in list(response.cookies.items()):
            if _is_deletion(morsel):
                continue
            category = cookie_category(name)
            if category is not None and state.allows(category):
                continue
            del response.cookies[name]
            logger.info(
                "Consent: cookie %s (%s) not allowed, removed from the response.",
                name,
                category or "undeclared",
            )
        # What a page shows (banner, Permissions-Policy) depends on these headers.
        patch_vary_headers(response, ("Cookie", "Sec-GPC"))
        self._count(request, response, state)
        return response

    def _count(self, request, response, state) -> None:
        if request.method != "GET" or response.status_code != 200:
            return
        match = getattr(request, "resolver_match", None)
        if match is None or UNCOUNTED_NAMESPACES.intersection(match.namespaces):
            return
        if not state.allows(ConsentCategory.ANALYTICS):
            return
        try:
            page_view_count(path="/" + match.route, day=timezone.localdate())
        except DatabaseError:
            logger.warning("Consent: page count not recorded.", exc_info=True)
