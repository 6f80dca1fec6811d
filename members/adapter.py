from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils.http import url_has_allowed_host_and_scheme

from privacy.ip import client_address, truncate_ip
from privacy.sealed_mail import mail_queue


class AccountAdapter(DefaultAccountAdapter):
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
