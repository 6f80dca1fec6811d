from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from privacy.ip import client_address, truncate_ip
from privacy.sealed_mail import mail_queue

from . import signin


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Trop de tentatives de connexion. Réessayez plus tard, connectez-vous depuis un "
            "appareil que vous avez déjà utilisé, ou débloquez votre compte par courriel."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's mail (reset, confirmation, notices), rendered here, sent by the worker.

        Queued sealed (privacy.sealed_mail): the page answers the same whether the
        relay is up or not, and the broker never holds the address or the link.
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        mail_queue(message=self.render_mail(template_prefix, email, ctx))

    def get_client_ip(self, request) -> str:
        """Truncated: allauth stores it with user sessions, and no full IP is kept.

        The client behind a trusted proxy, never the proxy (privacy.ip.client_address).
        Rate limits by address therefore apply per /24 (IPv4) or /48 (IPv6)
        network, which only makes them stricter.
        """
        return truncate_ip(client_address(request)) or "0.0.0.0"  # noqa: S104 - placeholder, not a bind  # nosec B104

    def pre_authenticate(self, request, **credentials) -> None:
        """Our limits (members.signin) instead of allauth's per-e-mail lock-out."""
        login = credentials.get("email") or credentials.get("username") or ""
        try:
            self._signin_attempt = signin.signin_attempt_begin(
                request=request, login=login, network=self.get_client_ip(request)
            )
        except signin.SignInLocked:
            self._signin_attempt = None
            request.signin_locked = True
            raise self.validation_error("too_many_login_attempts") from None

    def _rollback_login_failed_rl_usage(self) -> None:
        """A right password gives back the counts its attempt took."""
        attempt = getattr(self, "_signin_attempt", None)
        if attempt is not None:
            attempt.succeeded()

    def _delete_login_attempts_cached_email(self, request, **credentials) -> None:
        """A completed password reset lifts the account's locks, as allauth's did."""
        super()._delete_login_attempts_cached_email(request, **credentials)
        login = credentials.get("email") or ""
        if login:
            signin.signin_locks_lift(
                request=request, login=login, network=self.get_client_ip(request)
            )

    def post_login(self, request, user, **kwargs):
        """Signed in: this browser becomes a known device for the member."""
        response = super().post_login(request, user, **kwargs)
        if response is not None and hasattr(response, "set_signed_cookie"):
            signin.known_device_remember(request, response, user=user)
        return response

    def is_safe_url(self, url: str | None) -> bool:
        """allauth's rule, and never from an HTTPS page down to plain HTTP (``next=``)."""
        request = allauth_context.request
        if url and request is not None and request.is_secure():
            host = urlsplit(url.strip().replace("\\", "/")).netloc
            if not url_has_allowed_host_and_scheme(
                url, allowed_hosts={host} if host else None, require_https=True
            ):
                return False
        return super().is_safe_url(url)
