from functools import lru_cache

from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


@lru_cache(maxsize=2048)
def _translated_path(path: str, language: str, active: str | None, urlconf: str) -> str:
    """translate_url() of a path without its query: a pure function of the URLconf and
    the languages, resolved twice on every page (one link per language)."""
    return translate_url(path, language)


def portal(request):
    """Brand of this host and links to this very page in each language."""
    site = getattr(request, "portal_site", settings.PORTAL_DEFAULT_SITE)
    path, separator, query = request.get_full_path().partition("?")
    active = get_language()
    return {
        "portal_brand": site["brand"],
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
