"""The portal's URLs plus a bare view: the yardstick every page is compared with."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path

from aseq_portal.urls import urlpatterns as portal_urlpatterns
from members.selectors import member_for_user


def bare(request: HttpRequest) -> HttpResponse:
    """Through the same middleware stack, but no template and no query."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def bare_signed_in(request: HttpRequest) -> HttpResponse:
    """What every member page costs before its own work: the session, the account
    and the member record (one query), the same middleware; no template."""
    member_for_user(user=request.user)
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/bare/signed-in/", bare_signed_in, name="bench_bare_signed_in"),
    *portal_urlpatterns,
]
