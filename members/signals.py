"""Signal receivers: thin, each calls one service."""

from allauth.account.signals import user_signed_up
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import DisallowedHost
from django.dispatch import receiver

from . import services
from .origin import origin_of


@receiver(user_logged_in, dispatch_uid="members_record_sign_in")
def record_sign_in(sender, request, user, **kwargs) -> None:
    services.activity_record_sign_in(user=user, origin=origin_of(request))
    services.user_portal_host_remember(user=user, host=_host(request))


def _host(request) -> str:
    """The validated host name of a real request; "" for a synthetic one (tests, scripts)."""
    if request is None or not request.META.get("HTTP_HOST"):
        return ""
    try:
        return request.get_host()
    except DisallowedHost:
        return ""


@receiver(user_signed_up, dispatch_uid="members_record_sign_up_site")
def record_sign_up_site(sender, request, user, **kwargs) -> None:
    """Mails sent later (by staff, by a task) come from the site the member signed up on."""
    services.user_portal_host_remember(user=user, host=_host(request))
