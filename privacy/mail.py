"""Every mail a member receives: our own templates, in their language, branded by the site
they used (name, sender, links to that host), with the service centre's phone and hours.

A mail is one HTML template (``<prefix>_message.html``, extending
``email/base_message.html``) and a subject (``<prefix>_subject.txt``); the plain-text
part is derived from the HTML, so both always say the same thing. Wiring only: no app
of ours is imported here, so privacy, members and coverage may all use it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

LOCAL_SUFFIXES = ("localhost", "127.0.0.1", "[::1]")


@dataclass(frozen=True)
class MailSite:
    """The site a mail speaks for: its brand, its host and the sender people recognise."""

    brand: str
    host: str
    scheme: str

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}"

    @property
    def from_email(self) -> str:
        """ "Brand <no-reply@host>"; on an address or a bare name, the configured sender's
        address under the brand's name."""
        domain = self.host.split(":")[0].strip("[]")
        if "." not in domain or domain.replace(".", "").isdigit() or ":" in domain:
            return formataddr((self.brand, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
        return f"{self.brand} <no-reply@{domain}>"

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path


def _default_host(language: str) -> str:
    """The configured host whose brand speaks ``language`` (the first one otherwise)."""
    hosts = list(settings.PORTAL_SITES)
    host = next(
        (h for h in hosts if settings.PORTAL_SITES[h]["language"] == language),
        hosts[0] if hosts else "localhost",
    )
    # The embedded default serves on a port of its own (make run PORT=...).
    port = getattr(settings, "PORTAL_LINK_PORT", None)
    return f"{host}:{port}" if port else host


def mail_site(
    *, host: str | None = None, language: str | None = None, scheme: str = ""
) -> MailSite:
    """The brand of ``host`` (the site the member used), else the one of their language."""
    host = (host or "").strip().lower() or _default_host(language or settings.LANGUAGE_CODE)
    name = host.split(":")[0]
    site = settings.PORTAL_SITES.get(name, settings.PORTAL_DEFAULT_SITE)
    if not scheme:
        scheme = "http" if name.endswith(LOCAL_SUFFIXES) else "https"
    return MailSite(brand=site["brand"], host=host, scheme=scheme)


def html_to_text(markup: str) -> str:
    """The plain-text part: paragraphs, line breaks, list items and links kept readable."""
    text = re.sub(r"<(style|head)\b.*?</\1>", "", markup, flags=re.S | re.I)
    text = re.sub(
        r'<a\b[^>]*href="([^"]+)"[^>]*>(.*?)</a>',
        lambda m: m.group(2) if m.group(2).strip() == m.group(1) else f"{m.group(2)}\n{m.group(1)}",
        text,
        flags=re.S | re.I,
    )
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"<li\b[^>]*>", "\n- ", text, flags=re.I)
    text = re.sub(r"</(p|h1|h2|div|ul|ol|table|tr)>", "\n\n", text, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [line.strip() for line in text.splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def member_mail(
    *,
    template_prefix: str,
    to: list[str],
    context: dict,
    language: str,
    site: MailSite,
    headers: dict | None = None,
) -> EmailMultiAlternatives:
    """The mail, rendered in ``language`` for ``site``: subject, text and HTML parts."""
    with translation.override(language):
        full = {
            **context,
            "site": site,
            "brand": site.brand,
            "site_url": site.base_url + "/" + language + "/",
            "language": language,
            "service_centre_phone": settings.SERVICE_CENTRE_PHONE,
            "service_centre_tel": "+"
            + "".join(c for c in settings.SERVICE_CENTRE_PHONE if c.isdigit()),
        }
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", full).split())
        body_html = render_to_string(f"{template_prefix}_message.html", full)
    message = EmailMultiAlternatives(
        subject=subject,
        body=html_to_text(body_html),
        from_email=site.from_email,
        to=to,
        headers=headers,
    )
    message.attach_alternative(body_html, "text/html")
    return message
