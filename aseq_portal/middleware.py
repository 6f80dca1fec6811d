"""Site-wide wiring: which brand a host serves, and the security headers."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control


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


class HtmlGZipMiddleware(GZipMiddleware):
    """Compress our HTML pages, nothing else.

    Safe against BREACH for pages because the three conditions it needs do not
    meet here: Django masks the CSRF token afresh in every response and pads
    every compressed response with a random number of bytes (up to 100,
    "Heal the BREACH"); and the session cookie is SameSite=Lax, so the
    cross-site requests an attacker would time carry no session and get no
    personal page. Exports, PDFs and calendar files (the most personal bodies)
    stay as they are; static files are compressed ahead of time by WhiteNoise
    or by the reverse proxy (docs/deployment.md).
    """

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
