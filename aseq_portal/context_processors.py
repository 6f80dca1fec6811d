from django.conf import settings
from django.urls import translate_url


def portal(request):
    """Brand of this host and links to this very page in each language."""
    site = getattr(request, "portal_site", settings.PORTAL_DEFAULT_SITE)
    path = request.get_full_path()
    return {
        "portal_brand": site["brand"],
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ],
        "service_centre_phone": settings.SERVICE_CENTRE_PHONE,
    }
