"""P3: no advertising company (no one) collects data through the service.

A crawl of every page, signed out, signed in as a member and as staff, finds no URL
outside our own origin in HTML, CSS, scripts, headers or redirects.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders

from tests.factories import totp_authenticator_add

from .crawl import PageParser, Visit, crawl, is_own

pytestmark = pytest.mark.django_db

CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
ABSOLUTE_URL = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}[^\s'")<>]*""", re.I)
URL_HEADERS = ("Location", "Link", "Refresh", "Content-Location")
# Host sources are forbidden in the CSP: only keywords, nonces, 'self' and data:.
CSP_SOURCE = re.compile(r"^('[\w-]+'|'nonce-[^']+'|data:|blob:)$")


# XML namespaces name a vocabulary; nothing is fetched from them.
NAMESPACES = re.compile(r"^(?:https?:)?//www\.w3\.org/")
JS_COMMENTS = re.compile(r"/\*.*?\*/|^\s*//[^\n]*", re.S | re.M)


_assets: dict[str, str] = {}


def asset_text(client, url: str) -> str:
    """A stylesheet or script: from the static folders, or served by a view (jsi18n)."""
    if url not in _assets:
        _assets[url] = _read_asset(client, url)
    return _assets[url]


def _read_asset(client, url: str) -> str:
    path = urlsplit(url).path
    if not path.startswith("/static/"):
        response = client.get(url)
        assert response.status_code == 200, f"asset {url}: HTTP {response.status_code}"
        return response.content.decode()
    found = finders.find(path.removeprefix("/static/"))
    assert found, f"asset not found: {url}"
    with open(found, encoding="utf-8") as handle:
        return handle.read()


def outside_urls(visit: Visit, client=None) -> list[str]:
    problems = []
    response = visit.response
    for header in URL_HEADERS:
        value = response.get(header)
        if value and not is_own(value.split(";")[0].strip("<> ")):
            problems.append(f"{visit.path}: header {header}: {value}")
    csp = response.get("Content-Security-Policy", "")
    for directive in filter(None, (d.strip() for d in csp.split(";"))):
        name, *sources = directive.split()
        for source in sources:
            if source.startswith("'") or CSP_SOURCE.match(source):
                continue
            problems.append(f"{visit.path}: CSP {name} allows {source}")
    parser: PageParser | None = visit.parser
    if parser is None:
        return problems
    for tag, attribute, value in parser.urls:
        if tag == "meta" and attribute == "content" and "url=" not in value.lower():
            continue
        candidates = value.split(",") if attribute == "srcset" else [value]
        for candidate in candidates:
            url = candidate.strip().split()[0] if candidate.strip() else ""
            if tag == "meta":
                url = value.lower().split("url=", 1)[1].strip()
            if url and not is_own(url):
                problems.append(f"{visit.path}: <{tag} {attribute}={url!r}>")
    for css in parser.inline_styles:
        problems.append(f"{visit.path}: inline style (CSP forbids it): {css[:60]!r}")
    for sheet in parser.stylesheets:
        for match in CSS_URL.finditer(asset_text(client, sheet)):
            url = match.group(1) or match.group(2)
            if not is_own(url):
                problems.append(f"{visit.path}: {sheet} loads {url}")
    for script in parser.scripts:
        if not is_own(script):
            problems.append(f"{visit.path}: script from {script}")
            continue
        code = JS_COMMENTS.sub("", asset_text(client, script))
        for url in ABSOLUTE_URL.findall(code):
            if not is_own(url) and not NAMESPACES.match(url):
                problems.append(f"{visit.path}: {script} mentions {url}")
    return problems


def crawl_for_outside_urls(client, *, admin: bool = False) -> tuple[int, list[str]]:
    visits = list(crawl(client, admin=admin))
    problems = [problem for visit in visits for problem in outside_urls(visit, client)]
    errors = [f"{v.path}: HTTP {v.status}" for v in visits if v.status >= 500]
    return len([v for v in visits if v.parser]), problems + errors


def test_signed_out_pages_name_no_other_origin(client):
    pages, problems = crawl_for_outside_urls(client)
    assert pages >= 10, f"the crawl found only {pages} pages"
    assert problems == []


def test_member_pages_name_no_other_origin(client, member):
    client.force_login(member)
    pages, problems = crawl_for_outside_urls(client)
    assert pages >= 10
    assert problems == []


def test_staff_and_admin_pages_name_no_other_origin(client, staff):
    totp_authenticator_add(staff)
    staff.is_superuser = True  # sees every admin page there is
    staff.save()
    client.force_login(staff)
    pages, problems = crawl_for_outside_urls(client, admin=True)
    assert pages >= 15
    assert problems == []


def test_the_crawl_would_catch_an_outside_url():
    """The checker itself: a tracker in a page, a font in a header, a CDN script."""

    class FakeResponse(dict):
        pass

    page = PageParser("/fr/")
    page.feed(
        '<html lang="fr"><img src="https://tracker.example.com/p.gif">'
        '<a href="//cdn.example.net/x">x</a><a href="/fr/contact/">ok</a>'
        '<a href="mailto:someone@example.org">mail</a></html>'
    )
    response = FakeResponse({"Link": "<https://fonts.example.com/a.woff2>; rel=preload"})
    problems = outside_urls(Visit("/fr/", 200, response, page))
    assert len(problems) == 3, problems
