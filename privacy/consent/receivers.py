"""Signal receivers: thin, each calls one service."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from privacy.consent.selectors import consent_state
from privacy.consent.services import consent_user_link


@receiver(user_logged_in, dispatch_uid="privacy.consent.link_on_sign_in")
def link_consent_on_sign_in(sender, request, user, **kwargs) -> None:
    """The choices made in this browser before signing in become the member's."""
    if request is None:
        return
    state = consent_state(request=request)
    if state.consent_id is not None:
        consent_user_link(consent_id=state.consent_id, user=user)
