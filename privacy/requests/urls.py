from django.urls import path
from django.utils.translation import gettext_lazy as _

from privacy.requests import correction_views, views

urlpatterns = [
    path("", views.request_list, name="privacy_request_list"),
    path(_("nouvelle/acces/"), views.request_access, name="privacy_request_access"),
    path(
        _("nouvelle/rectification/"),
        correction_views.correction_person,
        name="privacy_request_correction",
    ),
    path(
        _("nouvelle/rectification/renseignement/"),
        correction_views.correction_topic,
        name="privacy_request_correction_topic",
    ),
    path(
        _("nouvelle/rectification/champ/"),
        correction_views.correction_field,
        name="privacy_request_correction_field",
    ),
    path(
        _("nouvelle/rectification/valeur/"),
        correction_views.correction_value,
        name="privacy_request_correction_value",
    ),
    path(
        _("nouvelle/rectification/verifier/"),
        correction_views.correction_review,
        name="privacy_request_correction_review",
    ),
    path(
        _("nouvelle/rectification/retirer/"),
        correction_views.correction_remove,
        name="privacy_request_correction_remove",
    ),
    path(_("nouvelle/suppression/"), views.request_deletion, name="privacy_request_deletion"),
    path("<uuid:request_id>/", views.request_detail, name="privacy_request_detail"),
    path(_("<uuid:request_id>/repondre/"), views.request_reply, name="privacy_request_reply"),
    path(
        _("<uuid:request_id>/exportation/"),
        views.export_download,
        name="privacy_request_export_download",
    ),
]
