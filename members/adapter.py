from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse

from privacy.ip import truncate_ip


def user_display(user) -> str:
    """How allauth names an account on screen and in mail: first name, else e-mail.

    Never the account's id: a member does not know it and should never see it.
    """
    try:
        member = user.member
    except (ObjectDoesNotExist, AttributeError):
        member = None
    if member is not None and member.first_name:
        return member.first_name
    return user.email


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """Truncated: allauth stores it with user sessions, and no full IP is kept.

        Rate limits by address therefore apply per /24 (IPv4) or /48 (IPv6)
        network, which only makes them stricter.
        """
        return truncate_ip(super().get_client_ip(request)) or "0.0.0.0"  # noqa: S104 - placeholder, not a bind  # nosec B104

    def get_logout_redirect_url(self, request) -> str:
        """The home page in the language the member was reading.

        Signing out flushes the session; the bare root would then send an English
        reader to the host's default language.
        """
        return reverse("home")
