from django.urls import path
from django.utils.translation import gettext_lazy as _

from privacy.consent import views

urlpatterns = [
    path(_("confidentialite/"), views.privacy_centre, name="privacy_centre"),
    path(_("confidentialite/choix/"), views.consent_update, name="consent_update"),
    path(_("temoins/"), views.cookie_policy, name="cookie_policy"),
    path(
        _("politiques/prise-de-connaissance/"),
        views.policy_acknowledge_view,
        name="policy_acknowledge",
    ),
]
