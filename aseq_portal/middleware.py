"""Site-wide wiring: which brand a host serves, and the security headers."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
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


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def write_rate(setting: str) -> tuple[int, int]:
    """ "60/m" -> (60, 60): writes allowed per period (seconds)."""
    from members.app_settings import parse_rate

    return parse_rate(getattr(settings, setting))


class WriteRateLimitMiddleware:
    """No client writes without bound: every anonymous post, per network; a member's, per account.

    300 anonymous consent posts once wrote 300 rows in 23 s. Views with a stricter
    limit of their own (sign-in: per account and client, members.signin) are named in
    PORTAL_WRITE_RATE_LIMIT_EXEMPT; staff in the admin are not counted. Past the limit
    the visitor gets the 429 page in their language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method in SAFE_METHODS:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in settings.PORTAL_WRITE_RATE_LIMIT_EXEMPT:
            return None
        from members.ratelimit import rate_limit_hit
        from privacy.ip import request_ip

        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.is_staff:
                return None
            key, (limit, period) = (
                f"write:user:{user.pk}",
                write_rate("PORTAL_MEMBER_WRITE_RATE_LIMIT"),
            )
        else:
            network = request_ip(request) or "unknown"
            key, (limit, period) = (
                f"write:anon:{network}",
                write_rate("PORTAL_ANONYMOUS_WRITE_RATE_LIMIT"),
            )
        if rate_limit_hit(key=key, limit=limit, period=period):
            from .views import too_many_requests

            return too_many_requests(request, retry_after=period)
        return None


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
