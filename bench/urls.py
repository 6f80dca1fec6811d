"""The portal's URLs plus a bare view: the yardstick every page is compared with."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from aseq_portal.urls import urlpatterns as portal_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    """Through the same middleware stack, but no template and no query."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *portal_urlpatterns]
