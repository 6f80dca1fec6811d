import time
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from privacy.dates import datetime_text
from privacy.ip import client_address, truncate_ip
from privacy.mail import mail_site, member_mail
from privacy.sealed_mail import mail_queue

from . import signin
from .devices import device_family
from .models import DeviceFamily


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

    def get_logout_redirect_url(self, request) -> str:
        """The home page in the language the member was reading.

        Signing out flushes the session; the bare root would then send an English
        reader to the host's default language.
        """
        return reverse("home")

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Our own templates (templates/account/email, templates/mfa/email), in the member's
        language, from and about the site the request came in on."""
        request = getattr(self, "request", None)
        user = context.get("user")
        language = (
            getattr(user, "preferred_language", "")
            or translation.get_language()
            or settings.LANGUAGE_CODE
        )[:2]
        if request is not None:
            site = mail_site(host=request.get_host(), scheme=request.scheme)
        else:
            site = mail_site(host=getattr(user, "portal_host", ""), language=language)
        with translation.override(language):
            extra = _notification_context(context)
        member = getattr(user, "member", None) if user is not None else None
        message = member_mail(
            template_prefix=template_prefix,
            to=[email],
            context={**context, **extra, "email": email, "first_name": _first_name(member)},
            language=language,
            site=site,
        )
        # Sealed and handed to the worker: the page answers the same whether the relay
        # is up or not, and the broker never holds the address or the link.
        mail_queue(message=message)


def _first_name(member) -> str:
    return member.first_name if member is not None else ""


def _notification_context(context: dict) -> dict:
    """allauth's raw values (timestamp, full user agent, address) as a person reads them."""
    extra = {}
    timestamp = context.get("timestamp")
    if timestamp is not None:
        extra["when"] = datetime_text(timestamp)
    agent = context.get("user_agent")
    if agent is not None:
        family = device_family(agent)
        extra["device"] = str(DeviceFamily(family).label) if family else ""
    if context.get("ip"):
        extra["network"] = context["ip"]
    return extra
