from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from privacy.staff.api import dashboard_panels

from . import views

# The admin's own login goes through allauth, so its rate limits and MFA apply.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = _("Administration du portail")
admin.site.site_title = _("Portail des membres")
# The admin index opens on each role's dashboard: the panels the apps registered.
admin.site.index_template = "admin/staff_index.html"
_admin_index = admin.site.index


def _admin_index_with_dashboard(request, extra_context=None):
    return _admin_index(
        request, {"dashboard_panels": dashboard_panels(request), **(extra_context or {})}
    )


admin.site.index = _admin_index_with_dashboard  # type: ignore[method-assign]
# allauth's own rate limits (sign-up, password reset) answer with our 429 page.
handler400 = "aseq_portal.views.bad_request"
handler429 = "aseq_portal.views.too_many_requests"

urlpatterns = [
    path("", views.root, name="root"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path(_("contact/"), views.contact, name="contact"),
    path(_("compte/"), include("allauth.urls")),
    path("", include("privacy.urls")),
    path("", include("members.urls")),
    path("", include("members.signin_urls")),
    path("", include("coverage.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
