"""Find every page and form the portal offers, from the URLconf and by following links.

Shared by the no-third-party crawl and the hostile-input tests, so a page or form
added by any app is covered without editing a list.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import translation

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Our own origin under the test client, and the host names the portal serves.
OWN_HOSTS = {"testserver", *settings.PORTAL_SITES}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "srcset", "background"}
# Never followed: they end the session or are not pages.
SKIPPED_PATHS = re.compile(r"(/logout/|/static/|/media/|\.(?:ics|pdf|zip|json|png|svg)$)")


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select", "textarea"
    options: list[str] = field(default_factory=list)
    value: str = ""


@dataclass
class Form:
    page: str
    action: str
    method: str
    fields: list[FormField] = field(default_factory=list)
    multipart: bool = False

    @property
    def key(self) -> tuple:
        return (urlsplit(self.action).path, self.method, tuple(sorted(f.name for f in self.fields)))

    @property
    def language(self) -> str:
        return self.action.strip("/").split("/")[0] if self.action.startswith("/") else ""


class PageParser(HTMLParser):
    """Links, resources, forms and every URL-bearing attribute of one HTML page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.forms: list[Form] = []
        self.html_lang = ""
        self.inline_styles: list[str] = []
        self._form: Form | None = None
        self._select: FormField | None = None
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang") or ""
        for name, value in attrs:
            if value and (name in URL_ATTRIBUTES or (tag == "meta" and name == "content")):
                self.urls.append((tag, name, value))
            if name == "style" and value:
                self.inline_styles.append(value)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        if tag == "link" and "stylesheet" in (attributes.get("rel") or ""):
            self.stylesheets.append(attributes.get("href") or "")
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes["src"])
        if tag == "style":
            self._in_style = True
        if tag == "form":
            self._form = Form(
                page=self.page,
                action=urljoin(self.page, attributes.get("action") or self.page),
                method=(attributes.get("method") or "get").lower(),
                multipart="multipart" in (attributes.get("enctype") or ""),
            )
            self.forms.append(self._form)
        elif self._form is not None and attributes.get("name"):
            if tag == "button" and (attributes.get("type") or "submit") == "submit":
                # A named submit button says which action the form performs.
                self._form.fields.append(
                    FormField(attributes["name"], "submit", value=attributes.get("value") or "")
                )
            elif tag == "input":
                kind = (attributes.get("type") or "text").lower()
                if kind in {"button", "image", "reset"}:
                    return
                self._form.fields.append(
                    FormField(attributes["name"], kind, value=attributes.get("value") or "")
                )
            elif tag == "textarea":
                self._form.fields.append(FormField(attributes["name"], "textarea"))
            elif tag == "select":
                self._select = FormField(attributes["name"], "select")
                self._form.fields.append(self._select)
        if tag == "option" and self._select is not None:
            self._select.options.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.inline_styles.append(data)


def url_names() -> Iterator[str]:
    """Every named URL pattern, with its namespace (admin:index, account_login, ...)."""

    def walk(patterns, namespace: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name

    yield from walk(get_resolver().url_patterns, "")


def seed_paths() -> list[str]:
    """Every page reachable without an argument, in every language."""
    paths: set[str] = set()
    for name in url_names():
        for language in LANGUAGES:
            with translation.override(language):
                try:
                    paths.add(reverse(name))
                except NoReverseMatch:
                    continue
    return sorted(p for p in paths if not SKIPPED_PATHS.search(p))


def is_own(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"mailto", "tel", "data", "otpauth", "javascript", "blob"}:
        return True  # not a fetch from another origin (javascript: is caught by the CSP)
    if not parts.netloc:
        return not url.startswith("//")
    return parts.hostname in OWN_HOSTS


@dataclass
class Visit:
    path: str
    status: int
    response: object
    parser: PageParser | None


def crawl(client: Client, *, limit: int = 250, admin: bool = False) -> Iterator[Visit]:
    """Breadth-first over our own pages from the URLconf, following links; GET only."""
    queue = deque(seed_paths())
    seen = set(queue)
    count = 0
    while queue and count < limit:
        path = queue.popleft()
        if path.startswith("/admin/") and not admin:
            continue
        count += 1
        response = client.get(path)
        parser = None
        content_type = response.get("Content-Type", "")
        if response.status_code == 200 and content_type.startswith("text/html"):
            parser = PageParser(path)
            parser.feed(response.content.decode())
            for link in parser.links:
                target = urljoin(path, link)
                parts = urlsplit(target)
                if parts.netloc or parts.scheme or not parts.path.startswith("/"):
                    continue
                if parts.query and parts.path.startswith("/admin/"):
                    continue  # sorting and filtering variants of the same admin list
                target = parts.path + (f"?{parts.query}" if parts.query else "")
                if target not in seen and not SKIPPED_PATHS.search(parts.path):
                    seen.add(target)
                    queue.append(target)
        elif response.status_code in {301, 302, 303, 307, 308}:
            location = response["Location"]
            parts = urlsplit(location)
            if not parts.netloc and parts.path not in seen and not SKIPPED_PATHS.search(parts.path):
                seen.add(parts.path)
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        yield Visit(path, response.status_code, response, parser)


def discover_forms(client: Client, *, limit: int = 250) -> list[Form]:
    """Every distinct form on the pages this client can reach (admin left out)."""
    forms: dict[tuple, Form] = {}
    for visit in crawl(client, limit=limit):
        if visit.parser:
            for form in visit.parser.forms:
                if is_own(form.action) and not urlsplit(form.action).path.startswith("/admin/"):
                    forms.setdefault(form.key, form)
    return list(forms.values())
