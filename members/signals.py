"""Signal receivers: thin, each calls one service."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from . import services
from .origin import origin_of


@receiver(user_logged_in, dispatch_uid="members_record_sign_in")
def record_sign_in(sender, request, user, **kwargs) -> None:
    services.activity_record_sign_in(user=user, origin=origin_of(request))
