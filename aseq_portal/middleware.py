"""Site-wide wiring: which brand a host serves, and the security headers."""

from django.conf import settings
from django.utils.cache import patch_cache_control


class HealthProbeMiddleware:
    """Answer /healthz and /readyz before anything reads the Host header.

    The orchestrator asks by address (compose: ``Host: 127.0.0.1:8000``), which is
    not a host the portal serves. Placed first, this answers the two probes
    whatever the Host header says; every other path still goes through host
    validation (``ALLOWED_HOSTS`` is not widened).
    """

    def __init__(self, get_response):
        from . import views

        self.get_response = get_response
        self.probes = {"/healthz": views.healthz, "/readyz": views.readyz}

    def __call__(self, request):
        probe = self.probes.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)


def site_for_host(host: str) -> dict:
    """The brand and default language configured for a host name."""
    return settings.PORTAL_SITES.get(host.lower(), settings.PORTAL_DEFAULT_SITE)


class SiteBrandMiddleware:
    """Attach the brand of the host name the request came in on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.portal_site = site_for_host(request.get_host().split(":")[0])
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy everywhere; no-store on every signed-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = dict(settings.PERMISSIONS_POLICY)
        policy.update(getattr(request, "permissions_policy_overrides", {}))
        response.setdefault(
            "Permissions-Policy", ", ".join(f"{name}={value}" for name, value in policy.items())
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
