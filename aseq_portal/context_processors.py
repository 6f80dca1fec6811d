from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def portal(request):
    """Brand of this host and links to this very page in each language."""
    site = getattr(request, "portal_site", settings.PORTAL_DEFAULT_SITE)
    path = request.get_full_path()
    return {
        "portal_brand": site["brand"],
        "language_links": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"].capitalize(),
                "url": translate_url(path, code),
            }
            for code, _name in settings.LANGUAGES
        ],
        "service_centre_phone": settings.SERVICE_CENTRE_PHONE,
    }
