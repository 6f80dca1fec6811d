from functools import lru_cache

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse, translate_url
from django.utils.translation import get_language, get_language_info


@lru_cache(maxsize=2048)
def _translated_path(path: str, language: str, active: str | None, urlconf: str) -> str:
    """translate_url() of a path without its query: a pure function of the URLconf and
    the languages, resolved twice on every page (one link per language)."""
    return translate_url(path, language)


@lru_cache(maxsize=64)
def _layout_links(language: str | None, script_prefix: str, urlconf: str) -> dict[str, str]:
    """The layout's fixed links (base.html): the same on every page of a language, so
    resolved once per process rather than by a {% static %} or {% url %} on each page
    (about 130 k instructions each, bench/README.md)."""
    return {
        "css": static("css/portal.css"),
        "favicon": static("img/favicon.svg"),
        "js": static("js/portal.js"),
        "home": reverse("home"),
        "logout": reverse("account_logout"),
    }


def portal(request):
    """Brand of this host and links to this very page in each language."""
    site = getattr(request, "portal_site", settings.PORTAL_DEFAULT_SITE)
    path, separator, query = request.get_full_path().partition("?")
    active = get_language()
    return {
        "portal_brand": site["brand"],
        "layout_links": _layout_links(active, get_script_prefix(), settings.ROOT_URLCONF),
        "language_links": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"].capitalize(),
                "url": _translated_path(path, code, active, settings.ROOT_URLCONF)
                + separator
                + query,
            }
            for code, _name in settings.LANGUAGES
        ],
    }
