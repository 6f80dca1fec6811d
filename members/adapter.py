from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import formats, timezone, translation

from aseq_portal.mail import mail_site, member_mail
from privacy.ip import truncate_ip

from .devices import device_family
from .models import DeviceFamily


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        """Truncated: allauth stores it with user sessions, and no full IP is kept.

        Rate limits by address therefore apply per /24 (IPv4) or /48 (IPv6)
        network, which only makes them stricter.
        """
        return truncate_ip(super().get_client_ip(request)) or "0.0.0.0"  # noqa: S104 - placeholder, not a bind  # nosec B104

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
        message.send()


def _first_name(member) -> str:
    return member.first_name if member is not None else ""


def _notification_context(context: dict) -> dict:
    """allauth's raw values (timestamp, full user agent, address) as a person reads them."""
    extra = {}
    timestamp = context.get("timestamp")
    if timestamp is not None:
        extra["when"] = formats.date_format(timezone.localtime(timestamp), "DATETIME_FORMAT")
    agent = context.get("user_agent")
    if agent is not None:
        family = device_family(agent)
        extra["device"] = str(DeviceFamily(family).label) if family else ""
    if context.get("ip"):
        extra["network"] = context["ip"]
    return extra
