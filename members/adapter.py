import time

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from privacy.ip import truncate_ip

from . import signin


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "Trop de tentatives de connexion. Réessayez plus tard, connectez-vous depuis un "
            "appareil que vous avez déjà utilisé, ou débloquez votre compte par courriel."
        ),
    }

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Not to turn on a first second factor right after signing in with a password.

        allauth counts only an explicit reauthentication as recent; a staff member
        sent from sign-in to the compulsory MFA set-up would type the password twice.
        Removing a factor or reading recovery codes still asks for it.
        """
        required = super().is_reauthentication_required(app=app, **kwargs)
        if not required or app != "allauth.mfa":
            return required
        from allauth.account.internal.flows.login import get_authentication_records
        from allauth.core import context
        from allauth.mfa.utils import is_mfa_enabled

        request = context.request
        user = getattr(request, "user", None)
        if request is None or user is None or not user.is_authenticated or is_mfa_enabled(user):
            return required
        records = get_authentication_records(request, user)
        if not records:
            return required
        age = time.time() - float(records[-1].get("at", 0))
        return not 0 <= age < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT

    def get_client_ip(self, request) -> str:
        """Truncated: allauth stores it with user sessions, and no full IP is kept.

        Rate limits by address therefore apply per /24 (IPv4) or /48 (IPv6)
        network, which only makes them stricter.
        """
        return truncate_ip(super().get_client_ip(request)) or "0.0.0.0"  # noqa: S104 - placeholder, not a bind  # nosec B104

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
