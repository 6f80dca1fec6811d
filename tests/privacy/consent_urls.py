"""Test-only URLs: the portal's own, plus a view that tries to set every kind of cookie."""

from django.http import HttpResponse
from django.urls import path

from aseq_portal.urls import urlpatterns as portal_urlpatterns


def set_cookies(request):
    """Sets, as careless code might, an essential, optional and undeclared cookie."""
    response = HttpResponse("cookies attempted")
    response.set_cookie("messages", "essential")
    response.set_cookie("test_preferences", "1", httponly=True)
    response.set_cookie("test_analytics", "1", httponly=True, samesite="Lax")
    response.set_cookie("test_location", "1")
    response.set_cookie("undeclared_tracker", "1", httponly=True)
    return response


def clear_cookie(request):
    response = HttpResponse("cleared")
    response.delete_cookie("test_preferences")
    return response


urlpatterns = [
    path("test-only/set-cookies/", set_cookies),
    path("test-only/clear-cookie/", clear_cookie),
    *portal_urlpatterns,
]
