"""Site-level pages: the landing page, the contact page and health probes."""

import logging

import redis
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .service_centre import service_centre_status
from .startup import refusal_line, startup_problems

logger = logging.getLogger(__name__)


@require_safe
def root(request: HttpRequest) -> HttpResponse:
    """Send a bare host name to its brand's default language."""
    # portal_site is attached by SiteBrandMiddleware.
    with translation.override(request.portal_site["language"]):  # type: ignore[attr-defined]
        return HttpResponseRedirect(reverse("home"))


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Anonymous: the (cookie-free) landing page. A member: their coverage summary."""
    if request.user.is_authenticated:
        from members.selectors import member_for_user

        if member_for_user(user=request.user) is not None:
            return HttpResponseRedirect(reverse("coverage_summary"))
        return render(request, "home.html", {"claim_record_url": reverse("members_claim")})
    return render(request, "home.html")


@require_safe
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "contact.html", {"service_centre": service_centre_status()})


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready when the keys are valid and the database and, where configured, Redis answer."""
    failures = []
    problems = startup_problems()
    if problems:
        # The orchestrator reads "keys"; the operator reads the log line (no key material).
        logger.error(refusal_line("readyz", problems))
        failures.append("keys")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        failures.append("database")
    if settings.REDIS_URL:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
        except Exception:
            failures.append("redis")
    if failures:
        return HttpResponse(
            "unavailable: " + ", ".join(failures), status=503, content_type="text/plain"
        )
    return HttpResponse("ready", content_type="text/plain")


def too_many_requests(
    request: HttpRequest, exception=None, *, retry_after: int = 60
) -> HttpResponse:
    """The 429 page, in the visitor's language: ours and allauth's (urls.handler429)."""
    response = render(request, "429.html", {"retry_minutes": max(1, retry_after // 60)}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused by the CSRF check (opened too long ago, cookies refused): our 403 page,
    in the visitor's language, saying what to do; Django's stock page speaks of DEBUG."""
    return render(request, "403_csrf.html", status=403)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """The 400 page; a bare one for an unknown host, which has no brand to show it in."""
    if isinstance(exception, DisallowedHost):
        return HttpResponseBadRequest(b"Bad Request (400)", content_type="text/plain")
    return defaults.bad_request(request, exception)
