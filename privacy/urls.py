from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from privacy.consent import policy_views as views

urlpatterns = [
    path(_("politique-de-confidentialite/"), views.policy, name="privacy_policy"),
    path(_("confidentialite/demandes/"), include("privacy.requests.urls")),
    path(_("politiques/versions/"), views.policy_history, name="policy_history"),
    path(
        _("politiques/versions/<slug:kind>/<int:version>/"),
        views.policy_version,
        name="policy_version",
    ),
    path("", include("privacy.consent.urls")),
]
